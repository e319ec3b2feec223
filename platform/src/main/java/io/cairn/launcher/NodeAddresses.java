package io.cairn.launcher;

import java.net.URI;
import java.util.Map;

/** Turns the operator's addresses into what the bundles read, and back into Kubo's forms. */
final class NodeAddresses {
  private NodeAddresses() {}

  /**
   * {@code cairn.api.address=HOST:PORT} (IPv6 as {@code [::1]:5001}) becomes {@code cairn.api.host} and
   * {@code cairn.api.port}, where io.cairn.rpc opens the API once its servlet is in place; port 0 takes a
   * free port, and the banner then says which. Felix HTTP itself gets an internal connector on a free
   * loopback port that nobody is told about: it opens its own before its whiteboard has any servlet (and
   * answers 404 meanwhile), and it starts no server without one. io.cairn.rpc closes it once the API listens.
   */
  static void applyApiAddress(Map<String, String> props) {
    String address = props.get("cairn.api.address");
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("cairn.api.address is not set (HOST:PORT, e.g. 127.0.0.1:5001)");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("cairn.api.address '" + address + "' is not HOST:PORT");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cairn.api.address '" + address + "': the port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("cairn.api.address '" + address + "': the port is outside 0-65535");
    }
    props.put("cairn.api.host", host);
    props.put("cairn.api.port", Integer.toString(port));
    props.put("org.apache.felix.http.host", java.net.InetAddress.getLoopbackAddress().getHostAddress());
    props.put("org.osgi.service.http.port", "0");
  }

  /** The {@code $CAIRN_PATH/api} file's content, as Kubo writes {@code $IPFS_PATH/api}: {@code /ip4/127.0.0.1/tcp/5001}. */
  static String toMultiaddr(URI endpoint) {
    String host = endpoint.getHost();
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    String proto;
    if (host.matches("[0-9.]+")) {
      proto = "/ip4/";
    } else if (host.contains(":")) {
      proto = "/ip6/";
    } else {
      proto = "/dns/";
    }
    return proto + host + "/tcp/" + endpoint.getPort();
  }
}
