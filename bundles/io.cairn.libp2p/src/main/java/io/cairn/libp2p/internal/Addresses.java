package io.cairn.libp2p.internal;

import io.cairn.multiformats.Multiaddr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Between socket addresses and multiaddrs. */
final class Addresses {
  private Addresses() {}

  static Multiaddr of(SocketAddress address) {
    InetSocketAddress inet = (InetSocketAddress) address;
    return of(inet.getAddress(), inet.getPort());
  }

  static Multiaddr of(InetAddress address, int port) {
    String family = address instanceof Inet6Address ? "/ip6/" : "/ip4/";
    String host = address.getHostAddress();
    int zone = host.indexOf('%');
    return Multiaddr.parse(family + (zone < 0 ? host : host.substring(0, zone)) + "/tcp/" + port);
  }

  /** The socket address to bind or dial for an ip4, ip6 or dns address with a tcp port. */
  static InetSocketAddress socketAddress(Multiaddr address) {
    String host = address.host().orElseThrow(() -> new IllegalArgumentException(address + " has no host"));
    int port = address.tcpPort().orElseThrow(() -> new IllegalArgumentException(address + " has no /tcp port"));
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** A bound wildcard address (0.0.0.0, ::) becomes one address per interface of its family, loopback included. */
  static List<Multiaddr> expand(InetSocketAddress bound) {
    if (!bound.getAddress().isAnyLocalAddress()) {
      return List.of(of(bound));
    }
    List<Multiaddr> result = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          boolean sameFamily = (a instanceof Inet6Address) == (bound.getAddress() instanceof Inet6Address);
          if (sameFamily && !a.isLinkLocalAddress()) {
            result.add(of(a, bound.getPort()));
          }
        }
      }
    } catch (SocketException e) {
      return List.of(of(bound));
    }
    return result.isEmpty() ? List.of(of(bound)) : result;
  }
}
