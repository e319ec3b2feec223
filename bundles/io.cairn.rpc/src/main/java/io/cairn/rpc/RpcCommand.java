package io.cairn.rpc;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One RPC endpoint, {@code POST /api/v0/<path>}. Implementations are services carrying {@link #PATH}.
 * They run on the HTTP server's threads: a command that waits on the network takes its deadline
 * from {@link RpcRequest#timeout()}.
 */
@ConsumerType
public interface RpcCommand {
  /** Service property: the path below {@code /api/v0/}, without slashes at either end, e.g. {@code swarm/peers}. */
  String PATH = "cairn.rpc.path";

  /**
   * Answers one request. Throwing {@link RpcException} before anything is written gives Kubo's error
   * shape with its status; after a stream has started, the error goes into the {@code X-Stream-Error} trailer.
   */
  void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException;
}
