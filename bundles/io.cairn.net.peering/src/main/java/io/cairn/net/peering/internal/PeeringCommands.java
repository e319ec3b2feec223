package io.cairn.net.peering.internal;

import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PeerId;
import io.cairn.net.Peering;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Kubo's {@code swarm/peering/*}: the running set of peering peers (not saved to the configuration, as in Kubo). */
final class PeeringCommands {
  private PeeringCommands() {}

  private static Map<String, Object> result(PeerId peer) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("ID", peer.toString());
    line.put("Status", "success");
    return line;
  }

  /** {@code swarm/peering/add?arg=<multiaddr with /p2p/>...}: one {@code {ID, Status}} line per peer. */
  @Component(property = RpcCommand.PATH + "=swarm/peering/add")
  public static final class Add implements RpcCommand {
    private final Peering peering;

    @Activate
    public Add(@Reference Peering peering) {
      this.peering = peering;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      if (request.arguments().isEmpty()) {
        throw RpcException.client("argument \"address\" is required");
      }
      Map<PeerId, List<Multiaddr>> byPeer = new LinkedHashMap<>();
      for (String arg : request.arguments()) {
        Multiaddr address;
        try {
          address = Multiaddr.parse(arg);
        } catch (MultiformatException e) {
          throw RpcException.client("invalid multiaddr \"" + arg + "\": " + e.getMessage());
        }
        PeerId peer = address.peerId().orElseThrow(() -> RpcException.client("address " + arg + " has no /p2p/<peer id>"));
        if (address.withoutPeerId().equals(address)) {
          throw RpcException.client("address " + arg + " has no transport part to dial");
        }
        byPeer.computeIfAbsent(peer, p -> new ArrayList<>()).add(address);
      }
      RpcResponse.JsonLines lines = response.jsonLines();
      for (Map.Entry<PeerId, List<Multiaddr>> e : byPeer.entrySet()) {
        try {
          peering.add(e.getKey(), e.getValue());
        } catch (IllegalArgumentException refused) {
          lines.fail(refused.getMessage());
          return;
        }
        lines.write(result(e.getKey()));
      }
    }
  }

  /** {@code swarm/peering/ls}: {@code {Peers: [{ID, Addrs}]}}. */
  @Component(property = RpcCommand.PATH + "=swarm/peering/ls")
  public static final class Ls implements RpcCommand {
    private final Peering peering;

    @Activate
    public Ls(@Reference Peering peering) {
      this.peering = peering;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws IOException {
      List<Map<String, Object>> peers = new ArrayList<>();
      peering.peers().forEach((peer, addresses) -> {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("ID", peer.toString());
        info.put("Addrs", addresses.stream().map(Multiaddr::toString).toList());
        peers.add(info);
      });
      response.json(Map.of("Peers", peers));
    }
  }

  /** {@code swarm/peering/rm?arg=<peer id>...}: one {@code {ID, Status}} line per peer. */
  @Component(property = RpcCommand.PATH + "=swarm/peering/rm")
  public static final class Rm implements RpcCommand {
    private final Peering peering;

    @Activate
    public Rm(@Reference Peering peering) {
      this.peering = peering;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      if (request.arguments().isEmpty()) {
        throw RpcException.client("argument \"ID\" is required");
      }
      List<PeerId> ids = new ArrayList<>();
      for (String arg : request.arguments()) {
        try {
          ids.add(PeerId.parse(arg));
        } catch (MultiformatException e) {
          throw RpcException.client("invalid peer id \"" + arg + "\": " + e.getMessage());
        }
      }
      RpcResponse.JsonLines lines = response.jsonLines();
      for (PeerId id : ids) {
        peering.remove(id);
        lines.write(result(id));
      }
    }
  }
}
