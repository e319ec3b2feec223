/**
 * Multiformats: self-describing identifiers and encodings shared by every Cairn bundle.
 */
@Export
@Version("1.2.0")
package io.cairn.multiformats;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
