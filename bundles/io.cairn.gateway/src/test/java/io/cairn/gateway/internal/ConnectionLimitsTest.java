package io.cairn.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.net.IpPrefix;
import io.cairn.testing.Components;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  static IpPrefix key(String address) throws Exception {
    return ConnectionLimits.clientKey(InetAddress.getByName(address));
  }

  static GatewaySettings settings(Map<String, Object> values) {
    return GatewaySettings.of((GatewayConfig) Components.config(GatewayConfig.class, values), null);
  }

  @Test
  void anIpv4ClientIsCountedByItsAddress() throws Exception {
    assertEquals(IpPrefix.parse("203.0.113.7/32"), key("203.0.113.7"));
    assertNotEquals(key("203.0.113.7"), key("203.0.113.8"));
    assertEquals(IpPrefix.parse("203.0.113.7/32"), key("::ffff:203.0.113.7"), "an IPv4-mapped address is the IPv4 client");
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64() throws Exception {
    // A host may take any address of its /64: counting addresses would give it 2^64 shares.
    assertEquals(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    assertEquals(IpPrefix.parse("2001:db8:1:2::/64"), key("2001:db8:1:2::1"));
    assertNotEquals(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
  }

  @Test
  void theHolderOfAnIpv6Slash48GetsItsSubnetsShareNotEveryConnection() throws Exception {
    ConnectionLimits limits = new ConnectionLimits(null, Components.logger());
    GatewaySettings s = settings(Map.of("maxConnections", 100, "maxConnectionsPerAddress", 4, "maxConnectionsPerIpv6Subnet", 8));
    List<ConnectionLimits.Counted> admitted = new ArrayList<>();
    for (int net = 0; net < 8; net++) { // eight /64s of one /48: each within its own share
      admitted.add(assertInstanceOf(ConnectionLimits.Counted.class,
          limits.admit(InetAddress.getByName("2001:db8:5:" + net + "::1"), s)));
    }
    ConnectionLimits.Refused refused = assertInstanceOf(ConnectionLimits.Refused.class,
        limits.admit(InetAddress.getByName("2001:db8:5:99::1"), s));
    assertEquals("maxConnectionsPerIpv6Subnet", refused.limit());
    assertTrue(refused.reason().contains("2001:db8:5:0:0:0:0:0/48"), refused.reason());
    assertInstanceOf(ConnectionLimits.Counted.class, limits.admit(InetAddress.getByName("2001:db8:6::1"), s),
        "the next /48 has its own share");
    limits.release(admitted.get(0));
    assertInstanceOf(ConnectionLimits.Counted.class, limits.admit(InetAddress.getByName("2001:db8:5:99::1"), s),
        "a place given back is taken again");
  }

  @Test
  void ipv4HasNoSubnetLimitAndEveryLimitIsGivenBack() throws Exception {
    ConnectionLimits limits = new ConnectionLimits(null, Components.logger());
    GatewaySettings s = settings(Map.of("maxConnections", 100, "maxConnectionsPerAddress", 2, "maxConnectionsPerIpv6Subnet", 1));
    List<ConnectionLimits.Counted> admitted = new ArrayList<>();
    for (int host = 1; host <= 20; host++) {
      for (int i = 0; i < 2; i++) {
        admitted.add(assertInstanceOf(ConnectionLimits.Counted.class, limits.admit(InetAddress.getByName("192.0.2." + host), s)));
      }
    }
    assertEquals("maxConnectionsPerAddress",
        assertInstanceOf(ConnectionLimits.Refused.class, limits.admit(InetAddress.getByName("192.0.2.1"), s)).limit());
    admitted.add(assertInstanceOf(ConnectionLimits.Counted.class, limits.admit(null, s), "no IP address: counted in all only"));
    admitted.forEach(limits::release);
    assertEquals(0, limits.open());
  }
}
