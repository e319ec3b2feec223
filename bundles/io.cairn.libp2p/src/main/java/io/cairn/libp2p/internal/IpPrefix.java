package io.cairn.libp2p.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * An IP network: the first {@code length} bits of an IPv4 or IPv6 address, the rest zero. The key of the
 * per-source admission counts ({@code 1.2.3.4/32}, {@code 1.2.3.0/24}, {@code 2001:db8:1200::/56}) and the
 * form of the exempt networks. IPv4 addresses are held in the low 32 bits of {@code low}.
 */
record IpPrefix(boolean ipv6, int length, long high, long low) {
  /**
   * A dotted quad, or hex digits with colons (and a dotted tail): what InetAddress reads as a literal. A word
   * of hex letters only ("cafe") is a host name to it, which it would look up.
   */
  private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

  /** The network of {@code length} bits that holds {@code address}. */
  static IpPrefix of(InetAddress address, int length) {
    ByteBuffer bytes = ByteBuffer.wrap(address.getAddress());
    if (address instanceof Inet6Address) {
      return new IpPrefix(true, length, mask(bytes.getLong(), Math.min(length, 64)), mask(bytes.getLong(), Math.max(length - 64, 0)));
    }
    return new IpPrefix(false, length, 0, (bytes.getInt() & 0xFFFFFFFFL) & ~(0xFFFFFFFFL >>> length));
  }

  private static long mask(long bits, int length) {
    return length == 0 ? 0 : bits & (-1L << (64 - length));
  }

  /**
   * Parses {@code a.b.c.d/n} or {@code x:y::z/n}: a literal address only (never a name to look up) with
   * its prefix length; bits past the prefix are ignored.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    if (!LITERAL.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not an IP network (a.b.c.d/n or x:y::z/n)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP network: " + e.getMessage());
    }
    int bits = address instanceof Inet4Address ? 32 : 128;
    int length;
    try {
      length = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no prefix length after the /");
    }
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException("'" + text + "': a prefix length is 0 to " + bits);
    }
    return of(address, length);
  }

  /** Whether {@code address} lies in this network. */
  boolean contains(InetAddress address) {
    return (address instanceof Inet6Address) == ipv6 && of(address, length).equals(this);
  }

  @Override
  public String toString() {
    byte[] bytes = ipv6
        ? ByteBuffer.allocate(16).putLong(high).putLong(low).array()
        : ByteBuffer.allocate(4).putInt((int) low).array();
    try {
      return InetAddress.getByAddress(bytes).getHostAddress() + "/" + length;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 4 or 16 bytes are always an address
    }
  }
}
