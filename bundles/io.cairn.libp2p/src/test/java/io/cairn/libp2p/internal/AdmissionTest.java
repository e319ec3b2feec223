package io.cairn.libp2p.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.node.net.IpPrefix;
import io.cairn.testing.Components;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  /** Small limits, so each is reached in a few steps: 2 pending per IP, 3 per subnet, 4 connections per IP, 5 per IPv6 subnet. */
  private static final AdmissionLimits LIMITS = new AdmissionLimits(100, 2, 3, 4, 5, 24, 56, 48,
      List.of(IpPrefix.parse("127.0.0.0/8"), IpPrefix.parse("::1/128")), Duration.ofSeconds(10));

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  private static Admission.Ticket admitted(Admission a, String source) throws UnknownHostException {
    return assertInstanceOf(Admission.Ticket.class, a.admit(ip(source), LIMITS), source);
  }

  private static Admission.Limit refusedBy(Admission a, String source) throws UnknownHostException {
    return assertInstanceOf(Admission.Refusal.class, a.admit(ip(source), LIMITS), source).limit();
  }

  @Test
  void pendingUpgradesAreSharedOutPerIpThenPerSubnet() throws Exception {
    Admission a = new Admission();
    admitted(a, "192.0.2.1");
    admitted(a, "192.0.2.1");
    assertEquals(Admission.Limit.MAX_PENDING_UPGRADES_PER_IP, refusedBy(a, "192.0.2.1"));
    admitted(a, "192.0.2.2"); // its own share, in the same /24
    assertEquals(Admission.Limit.MAX_PENDING_UPGRADES_PER_SUBNET, refusedBy(a, "192.0.2.3"));
    admitted(a, "198.51.100.1"); // another /24
    assertEquals(4, a.pending());
  }

  @Test
  void anUpgradeThatEndsGivesItsPlaceBackButTheConnectionStillCounts() throws Exception {
    Admission a = new Admission();
    List<Admission.Ticket> tickets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Admission.Ticket t = admitted(a, "203.0.113.9");
      t.upgradeEnded();
      t.upgradeEnded(); // once only
      tickets.add(t);
    }
    assertEquals(0, a.pending());
    assertEquals(Admission.Limit.MAX_CONNECTIONS_PER_IP, refusedBy(a, "203.0.113.9"));
    tickets.get(0).closed();
    tickets.get(0).closed();
    admitted(a, "203.0.113.9").closed();
    tickets.forEach(Admission.Ticket::closed);
    assertEquals(0, a.sources(), "nothing left behind");
  }

  @Test
  void loopbackIsExemptFromConnectionLimitsButNotFromPendingShares() throws Exception {
    Admission a = new Admission();
    for (int i = 0; i < 10; i++) {
      admitted(a, "127.0.0.1").upgradeEnded(); // 10 connections: more than 4
    }
    admitted(a, "127.0.0.1");
    admitted(a, "127.0.0.1");
    assertEquals(Admission.Limit.MAX_PENDING_UPGRADES_PER_IP, refusedBy(a, "127.0.0.1"));
    for (int i = 0; i < 10; i++) {
      admitted(a, "::1").upgradeEnded();
    }
  }

  @Test
  void anIpv6IpIsItsSlash56AndItsSubnetTheSlash48() throws Exception {
    Admission a = new Admission();
    admitted(a, "2001:db8:0:1::1").upgradeEnded();
    admitted(a, "2001:db8:0:2::1").upgradeEnded(); // same /56 (2001:db8:0:0::/56): one IP
    admitted(a, "2001:db8:0:ff::1").upgradeEnded();
    admitted(a, "2001:db8:0:3::1").upgradeEnded();
    assertEquals(Admission.Limit.MAX_CONNECTIONS_PER_IP, refusedBy(a, "2001:db8:0:4::1"));
    admitted(a, "2001:db8:0:100::1").upgradeEnded(); // the next /56, same /48
    assertEquals(Admission.Limit.MAX_CONNECTIONS_PER_IPV6_SUBNET, refusedBy(a, "2001:db8:0:200::1"));
    admitted(a, "2001:db8:1::1"); // the next /48
  }

  @Test
  void ipv4HasNoSubnetConnectionLimit() throws Exception {
    Admission a = new Admission();
    for (int host = 1; host <= 20; host++) {
      for (int i = 0; i < 4; i++) {
        admitted(a, "192.0.2." + host).upgradeEnded();
      }
    }
  }

  @Test
  void theGlobalPoolStillBoundsEveryoneTogether() throws Exception {
    AdmissionLimits two = new AdmissionLimits(2, 8, 32, 8, 64, 24, 56, 48, List.of(), Duration.ofSeconds(10));
    Admission a = new Admission();
    a.admit(ip("192.0.2.1"), two);
    a.admit(ip("198.51.100.1"), two);
    assertEquals(Admission.Limit.MAX_PENDING_UPGRADES,
        assertInstanceOf(Admission.Refusal.class, a.admit(ip("203.0.113.1"), two)).limit());
  }

  @Test
  void aTicketReleasesWhatItTookEvenAfterThePrefixLengthsChanged() throws Exception {
    Admission a = new Admission();
    Admission.Ticket t = admitted(a, "2001:db8::1");
    AdmissionLimits wider = new AdmissionLimits(100, 2, 3, 4, 5, 16, 64, 32, List.of(), Duration.ofSeconds(10));
    Admission.Ticket u = assertInstanceOf(Admission.Ticket.class, a.admit(ip("2001:db8::1"), wider));
    t.closed();
    u.closed();
    assertEquals(0, a.sources());
    assertEquals(0, a.pending());
  }

  @Test
  void theTransientPoolScalesWithMemoryAsGoLibp2pScalesIt() {
    assertEquals(256, AdmissionLimits.scaledPendingUpgrades(64L << 20), "go-libp2p's 32, raised to the floor");
    assertEquals(256, AdmissionLimits.scaledPendingUpgrades(1L << 30), "go-libp2p's 48, raised to the floor");
    assertEquals(256, AdmissionLimits.scaledPendingUpgrades(14L << 30));
    assertEquals(288, AdmissionLimits.scaledPendingUpgrades(16L << 30));
    assertEquals(100_000, AdmissionLimits.scaledPendingUpgrades(Long.MAX_VALUE));
  }

  @Test
  void withTheDefaultsSeveralSubnetsAtTheirFullShareDoNotFillThePool() throws Exception {
    AdmissionLimits defaults = AdmissionLimits.of(Configs.defaults(HostConfig.class));
    Admission a = new Admission();
    // 8 /24s, each at its share of 32 pending (4 addresses at their share of 8): none is refused.
    for (int subnet = 0; subnet < 8; subnet++) {
      for (int host = 1; host <= 4; host++) {
        for (int i = 0; i < 8; i++) {
          String source = "198.51." + subnet + "." + host;
          assertInstanceOf(Admission.Ticket.class, a.admit(ip(source), defaults), source + ", connection " + i);
        }
      }
    }
    assertEquals(256, a.pending());
  }

  @Test
  void theDefaultsAreGoLibp2psAndBadValuesNameTheirKey() {
    AdmissionLimits d = AdmissionLimits.of(Configs.defaults(HostConfig.class));
    assertEquals(AdmissionLimits.scaledPendingUpgrades(Runtime.getRuntime().maxMemory()), d.maxPendingUpgrades());
    assertEquals(List.of(8, 32, 8, 64, 24, 56, 48), List.of(d.maxPendingUpgradesPerIp(), d.maxPendingUpgradesPerSubnet(),
        d.maxConnectionsPerIp(), d.maxConnectionsPerIpv6Subnet(), d.ipv4SubnetPrefixLength(), d.ipv6PrefixLength(),
        d.ipv6SubnetPrefixLength()));
    assertEquals(List.of(IpPrefix.parse("127.0.0.0/8"), IpPrefix.parse("::1/128")), d.exempt());
    assertEquals(500, AdmissionLimits.of(config(Map.of("maxPendingUpgrades", 500))).maxPendingUpgrades());
    assertEquals("ipv6SubnetPrefixLength", assertThrows(InvalidConfigException.class,
        () -> AdmissionLimits.of(config(Map.of("ipv6PrefixLength", 48, "ipv6SubnetPrefixLength", 56)))).key());
    assertEquals("connectionLimitExemptNetworks", assertThrows(InvalidConfigException.class,
        () -> AdmissionLimits.of(config(Map.of("connectionLimitExemptNetworks", new String[] {"localhost"})))).key());
    assertEquals("maxPendingUpgradesPerIp", assertThrows(InvalidConfigException.class,
        () -> AdmissionLimits.of(config(Map.of("maxPendingUpgradesPerIp", 0)))).key());
  }

  private static HostConfig config(Map<String, Object> values) {
    return (HostConfig) Components.config(HostConfig.class, values);
  }
}
