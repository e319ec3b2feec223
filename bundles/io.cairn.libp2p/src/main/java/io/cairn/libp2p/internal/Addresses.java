package io.cairn.libp2p.internal;

import io.cairn.multiformats.Multiaddr;
import io.netty.channel.socket.InternetProtocolFamily;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Between socket addresses and multiaddrs, and from bound listeners to the addresses worth announcing. */
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

  /**
   * The family to open a listening socket with. {@code /ip4} (and {@code /dns4}) gets an IPv4 socket, so
   * {@code /ip4/0.0.0.0} accepts IPv4 only and reports {@code 0.0.0.0} as its address, as go-libp2p's tcp4
   * listener does; left to the platform, a dual-stack JVM opens every socket as IPv6 and a bind to 0.0.0.0
   * becomes {@code ::}. Empty for the rest: the platform's socket (IPv6, dual-stack where the JVM has IPv6).
   */
  static Optional<InternetProtocolFamily> listenFamily(Multiaddr address) {
    return switch (address.components().get(0).protocol()) {
      case IP4, DNS4 -> Optional.of(InternetProtocolFamily.IPv4);
      default -> Optional.empty();
    };
  }

  /**
   * Whether {@code address} is an IPv4 wildcard whose port an IPv6 wildcard of {@code all} also takes. That
   * {@code ::} socket is dual-stack (Netty and the JDK clear IPV6_V6ONLY), so it already accepts IPv4 on the
   * port, and a second socket on 0.0.0.0 could not bind it (Kubo's default lists both).
   */
  static boolean servedByDualStack(Multiaddr address, List<Multiaddr> all) {
    if (!isWildcard(address, "0.0.0.0") || address.tcpPort().orElse(0) == 0) {
      return false;
    }
    return all.stream().anyMatch(other -> isWildcard(other, "::") && other.tcpPort().equals(address.tcpPort()));
  }

  private static boolean isWildcard(Multiaddr address, String host) {
    return address.host().filter(host::equals).isPresent();
  }

  /**
   * What a bound listener announces. A specific address is itself. A wildcard becomes the addresses of the
   * interfaces that are up, loopback included (peers on this machine dial it too): an IPv4 wildcard those
   * of IPv4; an IPv6 wildcard, dual-stack, those of both families. IPv6 link-local addresses (fe80::/10) are
   * left out: they mean something only with a zone (the interface) that a remote peer cannot know, and
   * go-libp2p leaves them out of its interface addresses too. IPv4 link-local ones (169.254/16) need no
   * zone and stay.
   *
   * @param up the addresses of the interfaces that are up ({@link #upInterfaceAddresses})
   */
  static List<Multiaddr> expand(InetSocketAddress bound, List<InetAddress> up) {
    InetAddress local = bound.getAddress();
    if (!local.isAnyLocalAddress()) {
      return List.of(of(bound));
    }
    boolean dualStack = local instanceof Inet6Address;
    Set<Multiaddr> result = new LinkedHashSet<>();
    for (InetAddress a : up) {
      boolean wanted = a instanceof Inet4Address || (dualStack && !a.isLinkLocalAddress());
      if (wanted) {
        result.add(of(a, bound.getPort()));
      }
    }
    return result.isEmpty() ? List.of(of(bound)) : List.copyOf(result);
  }

  /** The addresses of every interface that is up, in the order the platform lists them. */
  static List<InetAddress> upInterfaceAddresses() throws SocketException {
    List<InetAddress> result = new ArrayList<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nif.isUp()) {
        result.addAll(Collections.list(nif.getInetAddresses()));
      }
    }
    return result;
  }
}
