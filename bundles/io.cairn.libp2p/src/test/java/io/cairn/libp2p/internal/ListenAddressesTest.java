package io.cairn.libp2p.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.multiformats.Multiaddr;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a host bound to a wildcard announces, checked against the test machine's own interfaces (listed
 * here with {@link NetworkInterface}, apart from the code under test), and that every announced address
 * accepts a TCP connection.
 */
class ListenAddressesTest {

  /** "/ip4|ip6/<addr>/tcp/<port>" for every address of every up interface that {@code wanted} keeps. */
  private static Set<String> interfaceAddresses(int port, Predicate<InetAddress> wanted) throws IOException {
    Set<String> expected = new TreeSet<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp()) {
        continue;
      }
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (wanted.test(a)) {
          String host = a.getHostAddress().replaceAll("%.*", "");
          expected.add(Multiaddr.parse((a instanceof Inet6Address ? "/ip6/" : "/ip4/") + host + "/tcp/" + port).toString());
        }
      }
    }
    return expected;
  }

  private static Set<String> strings(List<Multiaddr> addresses) {
    return addresses.stream().map(Multiaddr::toString).collect(Collectors.toCollection(TreeSet::new));
  }

  private static int port(TestHost h) {
    return h.host.listenAddresses().get(0).tcpPort().orElseThrow();
  }

  /** The announced form (/p2p/<id> appended) of every listen address: what /api/v0/id and identify carry. */
  private static void assertAnnouncedAre(TestHost h, Set<String> expected) {
    String suffix = "/p2p/" + h.host.peerId();
    Set<String> announced = new TreeSet<>();
    for (String a : h.host.announcedAddresses()) {
      assertTrue(a.endsWith(suffix), a);
      announced.add(a.substring(0, a.length() - suffix.length()));
    }
    assertEquals(expected, announced);
    assertEquals(expected, strings(h.host.announced()), "identify announces the same");
  }

  /** Each address takes a TCP connection: announcing it is not a promise the listener cannot keep. */
  private static void assertAllAccept(Set<String> addresses) throws IOException {
    for (String a : addresses) {
      InetSocketAddress target = Addresses.socketAddress(Multiaddr.parse(a));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByName(target.getHostString()), target.getPort()), 5000);
      }
    }
  }

  @Test
  void anIpv4WildcardAnnouncesEveryIpv4AddressOfTheUpInterfacesLoopbackIncluded() throws IOException {
    try (TestHost h = TestHost.bare(Map.of("listenAddresses", new String[] {"/ip4/0.0.0.0/tcp/0"}))) {
      int port = port(h);
      Set<String> expected = interfaceAddresses(port, a -> a instanceof Inet4Address);
      assertTrue(expected.contains("/ip4/127.0.0.1/tcp/" + port), "the machine has IPv4 loopback: " + expected);
      assertEquals(expected, strings(h.host.listenAddresses()));
      assertAnnouncedAre(h, expected);
      assertAllAccept(expected);
    }
  }

  @Test
  void anIpv6WildcardIsDualStackAndAnnouncesBothFamiliesButNotIpv6LinkLocal() throws IOException {
    try (TestHost h = TestHost.bare(Map.of("listenAddresses", new String[] {"/ip6/::/tcp/0"}))) {
      assumeTrue(!h.host.listenAddresses().isEmpty(), "this JVM cannot listen on IPv6");
      int port = port(h);
      Set<String> expected = interfaceAddresses(port, a -> a instanceof Inet4Address || !a.isLinkLocalAddress());
      assertTrue(expected.contains("/ip4/127.0.0.1/tcp/" + port), expected.toString());
      assertEquals(expected, strings(h.host.listenAddresses()));
      assertAnnouncedAre(h, expected);
      assertAllAccept(expected);
    }
  }

  @Test
  void bothWildcardsOnOnePortAreServedByTheDualStackListener() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    // Kubo's default pair: the IPv4 wildcard cannot bind beside a dual-stack :: on the same port, and need not.
    try (TestHost h = TestHost.bare(Map.of("listenAddresses",
        new String[] {"/ip4/0.0.0.0/tcp/" + port, "/ip6/::/tcp/" + port}))) {
      assertTrue(h.log.stream().noneMatch(l -> l.startsWith("ERROR")), h.log.toString());
      Set<String> expected = interfaceAddresses(port, a -> a instanceof Inet4Address || !a.isLinkLocalAddress());
      assertEquals(expected, strings(h.host.listenAddresses()));
      assertAllAccept(expected);
    }
  }

  @Test
  void aSpecificAddressIsItself() throws IOException {
    try (TestHost h = TestHost.bare(Map.of("listenAddresses", new String[] {"/ip4/127.0.0.1/tcp/0"}))) {
      assertEquals(Set.of("/ip4/127.0.0.1/tcp/" + port(h)), strings(h.host.listenAddresses()));
    }
  }

  @Test
  void expansionKeepsIpv4LinkLocalAndDropsIpv6LinkLocal() throws IOException {
    List<InetAddress> up = List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("169.254.3.4"),
        InetAddress.getByName("::1"), InetAddress.getByName("fe80::1"), InetAddress.getByName("2001:db8::7"));
    assertEquals(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/9"), Multiaddr.parse("/ip4/169.254.3.4/tcp/9")),
        Addresses.expand(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 9), up));
    assertEquals(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/9"), Multiaddr.parse("/ip4/169.254.3.4/tcp/9"),
        Multiaddr.parse("/ip6/::1/tcp/9"), Multiaddr.parse("/ip6/2001:db8::7/tcp/9")),
        Addresses.expand(new InetSocketAddress(InetAddress.getByName("::"), 9), up));
    // No interface of the family: the wildcard itself rather than nothing.
    assertEquals(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/9")),
        Addresses.expand(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 9), List.of(InetAddress.getByName("::1"))));
  }
}
