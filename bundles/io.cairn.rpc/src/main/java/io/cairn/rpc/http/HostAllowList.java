package io.cairn.rpc.http;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code Host} names an HTTP surface on the API address answers to: the defence against DNS
 * rebinding, where a web page the operator visits re-points its own name ({@code evil.example}) at
 * 127.0.0.1 and then talks to the node as a same-origin page. The browser still sends
 * {@code Host: evil.example}, so a server that answers only to names it knows cannot be reached that way.
 *
 * <p>Always permitted: {@code localhost} and {@code *.localhost} (browsers resolve them to loopback
 * themselves, RFC 6761, never through DNS), every IP address literal (rebinding needs a name: a browser
 * sends an address literal only to the host it connects to), and a request without {@code Host}
 * (HTTP/1.0 tools; browsers always send it). Other names only when configured; {@code *} permits every
 * name (the check off).
 */
public final class HostAllowList {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*(%[0-9a-z._-]+)?");

  private final List<String> names;

  /** {@code names}: host names already checked with {@link #validate}. */
  public HostAllowList(Collection<String> names) {
    this.names = List.copyOf(names);
  }

  /**
   * Normalises and checks one configured name: a DNS name ({@code node.example.org}), an address
   * literal, or {@code *}; no scheme, port or path.
   */
  public static String validate(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("*")) {
      return n;
    }
    if (n.startsWith("[") && n.endsWith("]")) {
      n = n.substring(1, n.length() - 1);
    }
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty() || !(NAME.matcher(n).matches() || IPV6.matcher(n).matches())) {
      throw new IllegalArgumentException("'" + name + "' is not a host name or address (no scheme, port or path)");
    }
    return n;
  }

  /** Whether a request with this {@code Host} header (null when absent) may be answered. */
  public boolean permits(String hostHeader) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return true;
    }
    String host = hostOf(hostHeader);
    if (host == null) {
      return false;
    }
    if (host.equals("localhost") || host.endsWith(".localhost") || IPV4.matcher(host).matches()
        || (host.contains(":") && IPV6.matcher(host).matches())) {
      return true;
    }
    return names.contains("*") || names.contains(host);
  }

  /**
   * The host of a {@code Host} header ({@code name[:port]}, {@code a.b.c.d[:port]}, {@code [v6][:port]}),
   * lower-cased and without a trailing dot; null when it is none of these.
   */
  public static String hostOf(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    String host;
    String port = null;
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = h.substring(1, close);
      String rest = h.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return null;
        }
        port = rest.substring(1);
      }
      if (!IPV6.matcher(host).matches()) {
        return null;
      }
    } else {
      int colon = h.indexOf(':');
      if (colon >= 0 && h.indexOf(':', colon + 1) >= 0) {
        return null; // a bare IPv6 address is not a valid Host
      }
      host = colon < 0 ? h : h.substring(0, colon);
      port = colon < 0 ? null : h.substring(colon + 1);
      if (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      if (!NAME.matcher(host).matches()) {
        return null;
      }
    }
    if (port != null && !port.matches("\\d{1,5}")) {
      return null;
    }
    return host;
  }
}
