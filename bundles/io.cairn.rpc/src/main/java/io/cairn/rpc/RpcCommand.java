package io.cairn.rpc;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One RPC endpoint, {@code POST /api/v0/<path>}. Implementations are services carrying {@link #PATH}.
 * Each request runs on a thread of its own, never one of the HTTP server's: a command may block while it
 * waits (for the network, the disk), and other requests are answered meanwhile. The request's
 * {@link RpcRequest#deadline() deadline} bounds it: at the deadline the thread is interrupted and the
 * futures the command {@link RpcRequest#bind bound} are cancelled, so a wait should give up on either.
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
