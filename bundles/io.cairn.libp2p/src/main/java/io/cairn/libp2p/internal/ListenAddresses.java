package io.cairn.libp2p.internal;

import io.cairn.multiformats.Multiaddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * The host's bound listeners and the addresses they announce ({@link Addresses#expand}). Wildcards are
 * expanded again when the last expansion is older than {@link #REFRESH_NANOS}, as go-libp2p's host
 * recomputes its addresses every 5 s ({@code addrChangeTickrInterval}): an interface that comes up after
 * start (DHCP, a VPN) is announced, and a burst of identify exchanges costs one interface scan, not one each.
 */
final class ListenAddresses {
  static final ListenAddresses NONE = new ListenAddresses(List.of(), null);
  static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final List<InetSocketAddress> bound;
  private final Logger log;
  private volatile Expansion last;

  private record Expansion(long at, List<Multiaddr> addresses) {}

  ListenAddresses(List<InetSocketAddress> bound, Logger log) {
    this.bound = List.copyOf(bound);
    this.log = log;
  }

  /** Every listener's announced addresses, in listener order, no duplicates. */
  List<Multiaddr> get() {
    Expansion e = last;
    long now = System.nanoTime();
    if (e == null || now - e.at() > REFRESH_NANOS) {
      e = new Expansion(now, expand());
      last = e;
    }
    return e.addresses();
  }

  private List<Multiaddr> expand() {
    if (bound.isEmpty()) {
      return List.of();
    }
    List<InetAddress> up;
    try {
      up = Addresses.upInterfaceAddresses();
    } catch (SocketException e) {
      // The listeners' own addresses are still true; a wildcard is announced as itself meanwhile.
      log.warn("cannot list the network interfaces: {}", e.toString());
      up = List.of();
    }
    List<Multiaddr> all = new ArrayList<>();
    for (InetSocketAddress b : bound) {
      for (Multiaddr a : Addresses.expand(b, up)) {
        if (!all.contains(a)) {
          all.add(a);
        }
      }
    }
    return List.copyOf(all);
  }
}
