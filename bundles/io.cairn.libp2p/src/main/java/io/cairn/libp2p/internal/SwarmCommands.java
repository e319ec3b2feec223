package io.cairn.libp2p.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.Direction;
import io.cairn.libp2p.Host;
import io.cairn.libp2p.PeerInfo;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PeerId;
import io.cairn.rpc.GoDuration;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Kubo's {@code swarm/*} and {@code ping} commands, in its field names (ipfs-cluster and kubo-rpc-client read them). */
final class SwarmCommands {
  /** How long a command waits on the network when the request gives no {@code timeout}. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private SwarmCommands() {}

  static <T> T await(CompletableFuture<T> future, RpcRequest request, String what) throws RpcException {
    Duration timeout = request.timeout().orElse(DEFAULT_TIMEOUT);
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw RpcException.normal(what + ": no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw RpcException.normal(what + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RpcException.normal(what + ": interrupted");
    }
  }

  static PeerId peerArgument(RpcRequest request) throws RpcException {
    String text = request.requireArgument(0, "peer ID");
    try {
      return PeerId.parse(text.startsWith("/p2p/") ? text.substring(5) : text);
    } catch (MultiformatException e) {
      throw RpcException.client("invalid peer id \"" + text + "\": " + e.getMessage());
    }
  }

  @Component(property = RpcCommand.PATH + "=swarm/connect")
  public static final class Connect implements RpcCommand {
    private final Host host;

    @Activate
    public Connect(@Reference Host host) {
      this.host = host;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      if (request.arguments().isEmpty()) {
        throw RpcException.client("argument \"address\" is required");
      }
      List<String> lines = new ArrayList<>();
      for (String arg : request.arguments()) {
        Multiaddr address;
        try {
          address = Multiaddr.parse(arg);
        } catch (MultiformatException e) {
          throw RpcException.client("invalid multiaddr \"" + arg + "\": " + e.getMessage());
        }
        PeerId peer = address.peerId().orElseThrow(() -> RpcException.client("address " + arg + " has no /p2p/<peer id>"));
        await(host.connect(address), request, "connect " + peer + " failure");
        lines.add("connect " + peer + " success");
      }
      response.json(Map.of("Strings", lines));
    }
  }

  /**
   * {@code swarm/peers} in Kubo's shape: {@code Addr} and {@code Peer} always; with {@code latency},
   * {@code streams}, {@code direction}, {@code identify} (or {@code verbose}, all four) the peer's
   * {@code Latency} (the muxer's last measured round trip as a Go duration, else {@code n/a}), the
   * protocols of its open {@code Streams}, its {@code Direction} (1 inbound, 2 outbound) and its
   * {@code Identify}; Kubo leaves an unasked field out and always sends {@code Identify}, empty unless
   * asked. Sorted by address, as Kubo sorts.
   */
  @Component(property = RpcCommand.PATH + "=swarm/peers")
  public static final class Peers implements RpcCommand {
    private final Host host;

    @Activate
    public Peers(@Reference Host host) {
      this.host = host;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      boolean verbose = request.flag("verbose", false);
      boolean streams = verbose || request.flag("streams", false);
      boolean latency = verbose || request.flag("latency", false);
      boolean direction = verbose || request.flag("direction", false);
      boolean identify = verbose || request.flag("identify", false);
      List<Map<String, Object>> peers = new ArrayList<>();
      for (Connection c : host.connections()) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Addr", c.remoteAddress().toString());
        p.put("Peer", c.remotePeer().toString());
        if (latency) {
          p.put("Latency", c.roundTrip().map(GoDuration::format).orElse("n/a"));
        }
        p.put("Muxer", c.muxer());
        if (direction) {
          p.put("Direction", c.direction() == Direction.INBOUND ? 1 : 2); // go's network.Direction
        }
        if (streams) {
          List<String> protocols = new ArrayList<>(c.streamProtocols());
          protocols.sort(null);
          p.put("Streams", protocols.stream().map(protocol -> Map.of("Protocol", protocol)).toList());
        }
        p.put("Identify", identify ? identify(c) : EMPTY_IDENTIFY);
        peers.add(p);
      }
      peers.sort(Comparator.comparing(p -> (String) p.get("Addr")));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("Peers", peers.isEmpty() ? null : peers); // Kubo answers null for none
      response.json(body);
    }

    /** Kubo's IdOutput of a remote peer, from what identify told us. */
    private Map<String, Object> identify(Connection c) {
      Optional<PeerInfo> info = host.peerInfo(c.remotePeer());
      Map<String, Object> id = new LinkedHashMap<>();
      id.put("ID", c.remotePeer().toString());
      id.put("PublicKey", Base64.getEncoder().encodeToString(c.remotePublicKey().toProtobuf()));
      id.put("Addresses", info.map(i -> i.listenAddresses().stream()
          .map(a -> a.withPeerId(c.remotePeer()).toString()).sorted().toList()).orElse(null));
      id.put("AgentVersion", info.map(PeerInfo::agentVersion).orElse(""));
      id.put("Protocols", info.map(i -> i.protocols().stream().sorted().toList()).orElse(null));
      return id;
    }

    /** Kubo's zero IdOutput, sent when identify was not asked for. */
    private static final Map<String, Object> EMPTY_IDENTIFY = emptyIdentify();

    private static Map<String, Object> emptyIdentify() {
      Map<String, Object> id = new LinkedHashMap<>();
      id.put("ID", "");
      id.put("PublicKey", "");
      id.put("Addresses", null);
      id.put("AgentVersion", "");
      id.put("Protocols", null);
      return Collections.unmodifiableMap(id);
    }
  }

  @Component(property = RpcCommand.PATH + "=swarm/addrs/listen")
  public static final class ListenAddrs implements RpcCommand {
    private final Host host;

    @Activate
    public ListenAddrs(@Reference Host host) {
      this.host = host;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws IOException {
      response.json(Map.of("Strings", host.listenAddresses().stream().map(Multiaddr::toString).toList()));
    }
  }

  /** {@code ping}: NDJSON lines {@code {Success, Time (ns), Text}} as Kubo streams them. */
  @Component(property = RpcCommand.PATH + "=ping")
  public static final class Ping implements RpcCommand {
    static final int MAX_COUNT = 1000;
    private final Host host;

    @Activate
    public Ping(@Reference Host host) {
      this.host = host;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      PeerId peer = peerArgument(request);
      int count = (int) request.longOption("count", 10, 1, MAX_COUNT);
      if (host.connection(peer).isEmpty()) {
        throw RpcException.normal("peer " + peer + " is not connected (swarm/connect it first: there is no routing yet)");
      }
      RpcResponse.JsonLines lines = response.jsonLines();
      lines.write(line(false, 0, "PING " + peer + "."));
      long total = 0;
      int ok = 0;
      for (int i = 0; i < count; i++) {
        try {
          Duration rtt = host.ping(peer).get(10, TimeUnit.SECONDS);
          total += rtt.toNanos();
          ok++;
          lines.write(line(true, rtt.toNanos(), ""));
        } catch (ExecutionException | TimeoutException e) {
          lines.write(line(false, 0, "Ping error: " + (e.getCause() == null ? e : e.getCause()).getMessage()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          lines.fail("interrupted");
          return;
        }
      }
      lines.write(ok == 0 ? line(false, 0, "Ping failed")
          : line(true, 0, String.format("Average latency: %.2fms", total / (double) ok / 1e6)));
    }

    private static Map<String, Object> line(boolean success, long nanos, String text) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Success", success);
      m.put("Time", nanos);
      m.put("Text", text);
      return m;
    }
  }
}
