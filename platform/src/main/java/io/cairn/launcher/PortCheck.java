package io.cairn.launcher;

import java.io.IOException;
import java.io.Reader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Before the framework starts: can the node listen where it will? A port another process holds would
 * otherwise surface deep inside Jetty, the gateway or the libp2p host, long after the launch, as a
 * stack trace (Jetty's even ends in a NullPointerException) and a readiness time-out. Here it is one
 * line naming the address and the option that moves it.
 *
 * <p>Each address is what the component will use: the framework property ({@code --api-address},
 * {@code --swarm-address}, {@code --gateway-address}) when set, else the component's configuration as
 * FileInstall ({@code conf/<pid>.cfg}) or ConfigAdmin's store in the node home holds it, else the
 * component's metatype default. An address the launcher cannot read with certainty is not checked:
 * this check never refuses a start the component itself would have managed.
 */
final class PortCheck {
  /** {@code io.cairn.libp2p.internal.HostConfig#listenAddresses}'s default (PortCheckTest keeps them equal). */
  static final String DEFAULT_SWARM = "/ip4/0.0.0.0/tcp/4001";
  /** {@code io.cairn.gateway.internal.GatewayConfig}'s default host and port (PortCheckTest keeps them equal). */
  static final String DEFAULT_GATEWAY_HOST = "127.0.0.1";
  static final int DEFAULT_GATEWAY_PORT = 8080;
  static final String SWARM_PID = "io.cairn.libp2p.host";
  static final String GATEWAY_PID = "io.cairn.gateway";

  /** One socket the node will listen on, and how the operator changes it. */
  record Listener(String shown, InetSocketAddress socket, String option, String variable) {}

  private static final Pattern TCP_MULTIADDR = Pattern.compile("/(ip4|ip6)/([^/]+)/tcp/(\\d{1,5})(/.*)?");

  private PortCheck() {}

  /** The node's listeners from its framework properties (after {@link NodeAddresses#applyApiAddress}). */
  static List<Listener> listeners(java.util.Map<String, String> props) {
    List<Listener> out = new ArrayList<>();
    String apiHost = props.get("cairn.api.host");
    String apiPort = props.get("cairn.api.port");
    if (apiHost != null && apiPort != null) {
      add(out, props.get("cairn.api.address"), apiHost, Integer.parseInt(apiPort), "--api-address", "CAIRN_API_ADDRESS");
    }
    Path conf = props.containsKey("cairn.conf") ? Path.of(props.get("cairn.conf")) : null;
    Path cm = props.containsKey("felix.cm.dir") ? Path.of(props.get("felix.cm.dir")) : null;

    String swarm = props.get("cairn.swarm.address");
    List<String> swarmAddresses;
    if (swarm != null && !swarm.isBlank()) {
      swarmAddresses = List.of(swarm.split(","));
    } else {
      swarmAddresses = configured(conf, cm, SWARM_PID, "listenAddresses").map(PortCheck::list)
          .orElse(List.of(DEFAULT_SWARM));
    }
    for (String a : swarmAddresses) {
      Matcher m = TCP_MULTIADDR.matcher(a.trim());
      if (m.matches()) {
        add(out, a.trim(), m.group(2), Integer.parseInt(m.group(3)), "--swarm-address", "CAIRN_SWARM_ADDRESS");
      }
    }

    String gateway = props.get("cairn.gateway.address");
    if (gateway != null && !gateway.isBlank()) {
      int colon = gateway.lastIndexOf(':');
      Integer port = colon > 0 ? parsePort(gateway.substring(colon + 1)) : null;
      if (port != null) {
        add(out, gateway, gateway.substring(0, colon).replace("[", "").replace("]", ""), port,
            "--gateway-address", "CAIRN_GATEWAY_ADDRESS");
      }
    } else {
      String host = configured(conf, cm, GATEWAY_PID, "host").orElse(DEFAULT_GATEWAY_HOST).trim();
      Optional<String> portText = configured(conf, cm, GATEWAY_PID, "port");
      Integer port = portText.isPresent() ? parsePort(portText.get()) : Integer.valueOf(DEFAULT_GATEWAY_PORT);
      if (port != null && !host.isEmpty()) {
        add(out, (host.contains(":") ? "[" + host + "]" : host) + ":" + port, host, port,
            "--gateway-address", "CAIRN_GATEWAY_ADDRESS");
      }
    }
    return out;
  }

  private static void add(List<Listener> out, String shown, String host, int port, String option, String variable) {
    if (port == 0) {
      return; // any free port: nothing to collide with
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return; // the component reports a name it cannot resolve in its own words
    }
    out.add(new Listener(shown, new InetSocketAddress(address, port), option, variable));
  }

  /** The first listener that cannot be bound, as the one line the launcher prints; empty when all can. */
  static Optional<String> firstUnavailable(List<Listener> listeners) {
    for (Listener l : listeners) {
      try (ServerSocketChannel probe = ServerSocketChannel.open()) {
        // As Jetty and Netty bind: address reuse on, so a socket in TIME_WAIT from the last run is no collision.
        probe.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        probe.bind(l.socket());
      } catch (BindException e) {
        String why = e.getMessage() != null && e.getMessage().contains("in use") ? "is in use"
            : "cannot be listened on (" + e.getMessage() + ")";
        return Optional.of(l.shown() + " " + why + ": set " + l.option() + " (" + l.variable() + ") to another "
            + (why.equals("is in use") ? "port" : "address"));
      } catch (IOException e) {
        return Optional.of(l.shown() + " cannot be listened on (" + e + "): set " + l.option() + " (" + l.variable()
            + ") to another address");
      }
    }
    return Optional.empty();
  }

  /**
   * A key of a PID's configuration: FileInstall's {@code conf/<pid>.cfg} (or {@code .config}) wins, as
   * FileInstall pushes it into ConfigAdmin at every start; else ConfigAdmin's own store (set from the Web
   * Console or the shell). Empty when neither has the key or it cannot be read.
   */
  static Optional<String> configured(Path conf, Path cmDir, String pid, String key) {
    try {
      if (conf != null) {
        Path cfg = conf.resolve(pid + ".cfg");
        if (Files.isRegularFile(cfg)) {
          Properties p = new Properties();
          try (Reader r = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            p.load(r);
          }
          return Optional.ofNullable(p.getProperty(key));
        }
        Path config = conf.resolve(pid + ".config");
        if (Files.isRegularFile(config)) {
          return storedValue(Files.readString(config, StandardCharsets.UTF_8), key);
        }
      }
      if (cmDir != null) {
        Path stored = cmDir.resolve(pid.replace('.', '/') + ".config");
        if (Files.isRegularFile(stored)) {
          return storedValue(Files.readString(stored, StandardCharsets.UTF_8), key);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * One key from ConfigAdmin's file format ({@code key=I"8081"}, {@code key="127.0.0.1"},
   * {@code key=["/ip4/…", "/ip6/…"]}, continued over lines with a backslash), as a plain string; arrays
   * as their elements joined with commas.
   */
  static Optional<String> storedValue(String text, String key) {
    String joined = text.replaceAll("\\\\\\r?\\n\\s*", "");
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=\\s*[A-Za-z]?(\\[(.*)]|\"((?:[^\"\\\\]|\\\\.)*)\")\\s*$")
        .matcher(joined);
    if (!m.find()) {
      return Optional.empty();
    }
    if (m.group(2) != null) {
      List<String> items = new ArrayList<>();
      Matcher item = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(m.group(2));
      while (item.find()) {
        items.add(unescape(item.group(1)));
      }
      return Optional.of(String.join(",", items));
    }
    return Optional.of(unescape(m.group(3)));
  }

  private static String unescape(String s) {
    return s.replaceAll("\\\\(.)", "$1");
  }

  private static List<String> list(String commaSeparated) {
    return List.of(commaSeparated.split(","));
  }

  private static Integer parsePort(String s) {
    try {
      int p = Integer.parseInt(s.trim());
      return p >= 0 && p <= 65_535 ? p : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
