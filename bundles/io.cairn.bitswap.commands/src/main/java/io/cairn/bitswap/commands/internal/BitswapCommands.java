package io.cairn.bitswap.commands.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.Want;
import io.cairn.multiformats.PeerId;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Kubo's {@code bitswap/*} commands over the node's bitswap client and engine, in Kubo's field names
 * (kubo-rpc-client reads them). The client and the engine are optional references: a command whose
 * service is not running answers an error naming it (500) rather than disappearing from the API (404).
 * A bad peer id is a client error (400).
 */
final class BitswapCommands {
  private BitswapCommands() {}

  static Bitswap client(Bitswap client) throws RpcException {
    try {
      return BitswapReport.require(client);
    } catch (IllegalStateException e) {
      throw RpcException.normal(e.getMessage());
    }
  }

  static BitswapEngine engine(BitswapEngine engine) throws RpcException {
    try {
      return BitswapReport.require(engine);
    } catch (IllegalStateException e) {
      throw RpcException.normal(e.getMessage());
    }
  }

  static PeerId peer(String text) throws RpcException {
    try {
      return BitswapReport.parsePeer(text);
    } catch (IllegalArgumentException e) {
      throw RpcException.client(e.getMessage());
    }
  }

  /**
   * {@code bitswap/stat}: boxo's Stat, from the client (wantlist, received) and the engine (partners,
   * sent, messages received). {@code verbose} and {@code human} only shape Kubo's text output, so the
   * JSON is the same with them; they are still checked as booleans.
   */
  @Component(property = RpcCommand.PATH + "=bitswap/stat")
  public static final class Stat implements RpcCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile Bitswap client;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile BitswapEngine engine;

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      request.flag("verbose", false);
      request.flag("human", false);
      Bitswap c = client(client);
      BitswapEngine e = engine(engine);
      response.json(BitswapReport.stat(c.stats(), c.wantlist(), e.stats(), e.ledgers(), e.status()));
    }
  }

  /**
   * {@code bitswap/wantlist}: the CIDs this node wants ({@code {"Keys": [...]}}); with {@code peer}, the
   * CIDs that peer wants from this node, highest priority first (none for a peer without a ledger).
   */
  @Component(property = RpcCommand.PATH + "=bitswap/wantlist")
  public static final class Wantlist implements RpcCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile Bitswap client;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile BitswapEngine engine;

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      Optional<String> peer = request.option("peer");
      if (peer.isPresent()) {
        PeerId id = peer(peer.get());
        response.json(BitswapReport.keys(engine(engine).wantlist(id).stream().map(Want::cid).toList()));
      } else {
        response.json(BitswapReport.keys(BitswapReport.sorted(client(client).wantlist())));
      }
    }
  }

  /** {@code bitswap/ledger <peer>}: the engine's receipt for the peer ({@code Peer, Value, Sent, Recv, Exchanged}). */
  @Component(property = RpcCommand.PATH + "=bitswap/ledger")
  public static final class Ledger implements RpcCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile BitswapEngine engine;

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      PeerId id = peer(request.requireArgument(0, "peer"));
      response.json(BitswapReport.receipt(id, engine(engine).ledger(id)));
    }
  }
}
