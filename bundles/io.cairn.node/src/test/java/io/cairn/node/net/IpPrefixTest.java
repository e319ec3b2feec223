package io.cairn.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void prefixesParseLiteralsOnlyAndContainTheirAddresses() throws Exception {
    IpPrefix loopback = IpPrefix.parse("127.0.0.0/8");
    assertTrue(loopback.contains(ip("127.1.2.3")));
    assertFalse(loopback.contains(ip("128.0.0.1")));
    assertFalse(loopback.contains(ip("::1")));
    assertTrue(IpPrefix.parse("::1/128").contains(ip("::1")));
    assertFalse(IpPrefix.parse("::1/128").contains(ip("::2")));
    assertEquals("192.0.2.0/24", IpPrefix.of(ip("192.0.2.77"), 24).toString());
    assertEquals(IpPrefix.of(ip("2001:db8:0:1::1"), 56), IpPrefix.of(ip("2001:db8:0:ff::9"), 56));
    assertEquals(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("10.9.9.9/8"), "bits past the prefix do not matter");
    assertEquals("1.2.3.4/32", IpPrefix.parse("1.2.3.4").toString());
    for (String bad : List.of("localhost/8", "example.com", "cafe", "cafe/16", "1.2.3/8", "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0.0/8/9", "1:2:3:4:5:6:7:8:9/64", "")) {
      assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(bad), bad);
    }
  }

  @Test
  void aSourceIsCountedByItsIpv4AddressOrItsIpv6Network() throws Exception {
    assertEquals(IpPrefix.parse("203.0.113.7/32"), IpPrefix.of(ip("203.0.113.7"), 32, 64));
    assertNotEquals(IpPrefix.of(ip("203.0.113.7"), 32, 64), IpPrefix.of(ip("203.0.113.8"), 32, 64));
    assertEquals(IpPrefix.parse("203.0.113.7/32"), IpPrefix.of(ip("::ffff:203.0.113.7"), 32, 64),
        "an IPv4-mapped address is the IPv4 source");
    // A host may take any address of its /64: counting addresses would give it 2^64 shares.
    assertEquals(IpPrefix.parse("2001:db8:1:2::/64"), IpPrefix.of(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), 32, 64));
    assertNotEquals(IpPrefix.of(ip("2001:db8:1:2::1"), 32, 64), IpPrefix.of(ip("2001:db8:1:3::1"), 32, 64));
  }

  @Test
  void equalNetworksAreEqualHowEverTheyWereMade() {
    assertEquals(IpPrefix.parse("192.0.2.0/24"), new IpPrefix(false, 24, 7, 0xC00002FFL));
    assertEquals(IpPrefix.parse("2001:db8::/32"), new IpPrefix(true, 32, 0x20010db8FFFFFFFFL, -1));
    assertEquals(IpPrefix.parse("::/0"), new IpPrefix(true, 0, -1, -1));
    assertEquals(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("255.255.255.255/0"));
    assertThrows(IllegalArgumentException.class, () -> new IpPrefix(false, 33, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(InetAddress.getLoopbackAddress(), 64),
        "an IPv4 address has no 64-bit prefix");
  }
}
