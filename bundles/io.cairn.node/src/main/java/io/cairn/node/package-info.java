/**
 * The node itself: where it keeps its state, what version it runs, who it is on the network, and
 * whether it is ready ({@link io.cairn.node.NodeReady}).
 */
@Export
@Version("1.1.0")
package io.cairn.node;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
