package io.cairn.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  static String key(String address) throws Exception {
    return ConnectionLimits.clientKey(new InetSocketAddress(InetAddress.getByName(address), 1234));
  }

  @Test
  void anIpv4ClientIsCountedByItsAddress() throws Exception {
    assertEquals("203.0.113.7", key("203.0.113.7"));
    assertNotEquals(key("203.0.113.7"), key("203.0.113.8"));
    assertEquals("203.0.113.7", key("::ffff:203.0.113.7"), "an IPv4-mapped address is the IPv4 client");
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64() throws Exception {
    // A host may take any address of its /64: counting addresses would give it 2^64 shares.
    assertEquals(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    assertEquals("2001:db8:1:2::/64", key("2001:db8:1:2::1"));
    assertNotEquals(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
  }
}
