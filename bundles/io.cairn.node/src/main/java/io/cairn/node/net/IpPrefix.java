package io.cairn.node.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * An IP network: the first {@code length} bits of an IPv4 or IPv6 address, the rest zero. The key a source
 * is counted under by a per-source limit ({@code 1.2.3.4/32}, {@code 1.2.3.0/24}, {@code 2001:db8:1200::/56}):
 * an IPv6 host can take any address of the /64 (or more) it was given, so counting its addresses one by one
 * would give it 2^64 shares. Also the form of configured networks ({@link #parse}).
 *
 * @param ipv6 whether this is an IPv6 network
 * @param length the prefix length in bits: 0 to 32 for IPv4, 0 to 128 for IPv6
 * @param high the first 64 bits of an IPv6 network; 0 for IPv4
 * @param low the last 64 bits of an IPv6 network, or an IPv4 network in the low 32 bits
 */
public record IpPrefix(boolean ipv6, int length, long high, long low) {
  /**
   * A dotted quad, or hex digits with colons (and a dotted tail): what InetAddress reads as a literal. A word
   * of hex letters only ("cafe") is a host name to it, which it would look up.
   */
  private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

  /**
   * The network; bits past {@code length} are cleared, so that equal networks are equal records.
   *
   * @throws IllegalArgumentException if {@code length} is not 0 to 32 (IPv4) or 0 to 128 (IPv6)
   */
  public IpPrefix {
    if (length < 0 || length > (ipv6 ? 128 : 32)) {
      throw new IllegalArgumentException("a prefix length of an IPv" + (ipv6 ? "6" : "4") + " network is 0 to "
          + (ipv6 ? 128 : 32) + ", not " + length);
    }
    if (ipv6) {
      high = mask(high, Math.min(length, 64));
      low = mask(low, Math.max(length - 64, 0));
    } else {
      high = 0;
      low = mask(low << 32, length) >>> 32;
    }
  }

  /**
   * The network of {@code length} bits that holds {@code address}.
   *
   * @throws IllegalArgumentException if {@code length} is not 0 to 32 (IPv4) or 0 to 128 (IPv6)
   */
  public static IpPrefix of(InetAddress address, int length) {
    ByteBuffer bytes = ByteBuffer.wrap(address.getAddress());
    return address instanceof Inet6Address
        ? new IpPrefix(true, length, bytes.getLong(), bytes.getLong())
        : new IpPrefix(false, length, 0, bytes.getInt() & 0xFFFFFFFFL);
  }

  /**
   * The network {@code address} is counted under: its first {@code ipv4Length} bits if it is an IPv4 address
   * (an IPv4-mapped IPv6 address is one), else its first {@code ipv6Length} bits.
   */
  public static IpPrefix of(InetAddress address, int ipv4Length, int ipv6Length) {
    return of(address, address instanceof Inet6Address ? ipv6Length : ipv4Length);
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
  public static IpPrefix parse(String text) {
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
  public boolean contains(InetAddress address) {
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
