/**
 * The Kubo-compatible HTTP RPC. A bundle adds an endpoint by registering an {@link io.cairn.rpc.RpcCommand}
 * service with the property {@value io.cairn.rpc.RpcCommand#PATH}; the RPC server serves it at
 * {@code POST /api/v0/<path>} while the service is registered, and the highest {@code service.ranking}
 * wins when two claim one path. Until the node is ready ({@link io.cairn.node.NodeReady}) every path
 * answers {@code 503} with Kubo's error body, so a client never meets a {@code 404} for a command that is
 * still being registered.
 */
@Export
@Version("1.3.0")
package io.cairn.rpc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
