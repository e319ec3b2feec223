package io.cairn.libp2p.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo: {@code libp2p:peers}, {@code libp2p:connect <multiaddr>}, {@code libp2p:ping <peer> [count]}. */
@Component(service = Libp2pShellCommands.class, property = {"osgi.command.scope=libp2p",
    "osgi.command.function=peers", "osgi.command.function=connect", "osgi.command.function=ping"})
public class Libp2pShellCommands {
  private final Host host;

  @Activate
  public Libp2pShellCommands(@Reference Host host) {
    this.host = host;
  }

  public String peers() {
    StringBuilder out = new StringBuilder();
    for (Connection c : host.connections()) {
      out.append(String.format("%-54s %-8s %-40s streams %d%n", c.remotePeer(), c.direction().name().toLowerCase(),
          c.remoteAddress(), c.streamCount()));
    }
    return out.length() == 0 ? "no peers\n" : out.toString();
  }

  public String connect(String address) throws Exception {
    Connection c = host.connect(Multiaddr.parse(address)).get(30, TimeUnit.SECONDS);
    return "connected to " + c.remotePeer() + " (" + c.security() + ", " + c.muxer() + ")";
  }

  public String ping(String peer) throws Exception {
    return ping(peer, 3);
  }

  public String ping(String peer, int count) throws Exception {
    PeerId id = PeerId.parse(peer);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append("pong from ").append(id).append(": ")
          .append(String.format("%.3f ms", host.ping(id).get(10, TimeUnit.SECONDS).toNanos() / 1e6)).append('\n');
    }
    return out.toString();
  }
}
