/**
 * Request policies shared by the node's HTTP surfaces on the API address (the RPC at {@code /api/v0} and
 * the Web Console at {@code /system/console}): which browser origins may call them, and which
 * {@code Host} names they answer to (DNS rebinding).
 */
@Export
@Version("1.0.0")
package io.cairn.rpc.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
