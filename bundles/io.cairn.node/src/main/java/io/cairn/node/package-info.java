/**
 * The node itself: where it keeps its state, what version it runs, and who it is on the network.
 */
@Export
@Version("1.1.0")
package io.cairn.node;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
