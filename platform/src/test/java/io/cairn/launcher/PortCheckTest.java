package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class PortCheckTest {
  @TempDir Path dir;

  private Map<String, String> props(String... keyValues) {
    Map<String, String> p = new HashMap<>(Map.of("cairn.api.address", "127.0.0.1:0",
        "cairn.swarm.address", "/ip4/127.0.0.1/tcp/0", "cairn.gateway.address", "127.0.0.1:0",
        "cairn.conf", dir.resolve("conf").toString(), "felix.cm.dir", dir.resolve("config").toString()));
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    NodeAddresses.applyApiAddress(p);
    return p;
  }

  private static ServerSocket occupy() throws Exception {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }

  @Test
  void freePortsPass() {
    assertEquals(Optional.empty(), PortCheck.firstUnavailable(PortCheck.listeners(props())));
  }

  @Test
  void anApiPortInUseNamesTheAddressAndTheOption() throws Exception {
    try (ServerSocket taken = occupy()) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      assertEquals(Optional.of(address + " is in use: set --api-address (CAIRN_API_ADDRESS) to another port"),
          PortCheck.firstUnavailable(PortCheck.listeners(props("cairn.api.address", address))));
    }
  }

  @Test
  void aSwarmPortInUseNamesTheMultiaddrAndTheOption() throws Exception {
    try (ServerSocket taken = occupy()) {
      String address = "/ip4/127.0.0.1/tcp/" + taken.getLocalPort();
      assertEquals(Optional.of(address + " is in use: set --swarm-address (CAIRN_SWARM_ADDRESS) to another port"),
          PortCheck.firstUnavailable(PortCheck.listeners(props("cairn.swarm.address", "/ip4/127.0.0.1/tcp/0," + address))));
    }
  }

  /** Linux refuses a wildcard bind over a listening specific address (BSDs allow it with SO_REUSEADDR, as the real bind would). */
  @Test
  @EnabledOnOs(OS.LINUX)
  void aWildcardSwarmAddressCollidesWithALoopbackListener() throws Exception {
    try (ServerSocket taken = occupy()) {
      String address = "/ip4/0.0.0.0/tcp/" + taken.getLocalPort();
      assertTrue(PortCheck.firstUnavailable(PortCheck.listeners(props("cairn.swarm.address", address)))
          .orElseThrow().startsWith(address + " is in use"));
    }
  }

  @Test
  void aGatewayPortInUseNamesTheOption() throws Exception {
    try (ServerSocket taken = occupy()) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      assertEquals(Optional.of(address + " is in use: set --gateway-address (CAIRN_GATEWAY_ADDRESS) to another port"),
          PortCheck.firstUnavailable(PortCheck.listeners(props("cairn.gateway.address", address))));
    }
  }

  @Test
  void withoutThePropertyTheGatewaysConfigurationFileDecides() throws Exception {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/io.cairn.gateway.cfg"), "host=127.0.0.1\nport=18081\n");
    Map<String, String> p = props();
    p.remove("cairn.gateway.address");
    assertEquals(new InetSocketAddress("127.0.0.1", 18081), only(p, "--gateway-address").socket());
  }

  @Test
  void withoutAFileConfigAdminsStoreDecides() throws Exception {
    Files.createDirectories(dir.resolve("config/io/cairn/libp2p"));
    Files.writeString(dir.resolve("config/io/cairn/libp2p/host.config"),
        ":org.apache.felix.configadmin.revision:=L\"2\"\nlistenAddresses=[ \\\n  \"/ip4/127.0.0.1/tcp/14001\", \\\n  \"/ip6/::1/tcp/14002\", \\\n  ]\n"
            + "service.pid=\"io.cairn.libp2p.host\"\n");
    Files.createDirectories(dir.resolve("config/io/cairn"));
    Files.writeString(dir.resolve("config/io/cairn/gateway.config"), "host=\"127.0.0.1\"\nport=I\"18082\"\n");
    Map<String, String> p = props();
    p.remove("cairn.swarm.address");
    p.remove("cairn.gateway.address");
    List<PortCheck.Listener> swarm = PortCheck.listeners(p).stream().filter(l -> l.option().equals("--swarm-address")).toList();
    assertEquals(List.of("/ip4/127.0.0.1/tcp/14001", "/ip6/::1/tcp/14002"), swarm.stream().map(PortCheck.Listener::shown).toList());
    assertEquals(18082, only(p, "--gateway-address").socket().getPort());
  }

  @Test
  void withNothingConfiguredTheComponentsDefaultsAreChecked() {
    Map<String, String> p = props();
    p.remove("cairn.swarm.address");
    p.remove("cairn.gateway.address");
    assertEquals("/ip4/0.0.0.0/tcp/4001", only(p, "--swarm-address").shown());
    assertEquals(new InetSocketAddress("127.0.0.1", 8080), only(p, "--gateway-address").socket());
  }

  /** The launcher's copies of the components' defaults must follow the components' metatype. */
  @Test
  void defaultsAreTheComponentsOwn() throws Exception {
    Class<?> host = Class.forName("io.cairn.libp2p.internal.HostConfig");
    assertArrayEquals(new String[] {PortCheck.DEFAULT_SWARM}, (String[]) host.getDeclaredMethod("listenAddresses").getDefaultValue());
    Class<?> gateway = Class.forName("io.cairn.gateway.internal.GatewayConfig");
    assertEquals(PortCheck.DEFAULT_GATEWAY_HOST, gateway.getDeclaredMethod("host").getDefaultValue());
    assertEquals(PortCheck.DEFAULT_GATEWAY_PORT, gateway.getDeclaredMethod("port").getDefaultValue());
  }

  @Test
  void unreadableValuesAreNotChecked() throws Exception {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/io.cairn.gateway.cfg"), "port=eighty\n");
    Map<String, String> p = props("cairn.swarm.address", "/dns4/example.org/tcp/4001");
    p.remove("cairn.gateway.address");
    assertEquals(List.of(), PortCheck.listeners(p), "the API on port 0, a DNS swarm address and an unreadable port");
  }

  private static PortCheck.Listener only(Map<String, String> p, String option) {
    List<PortCheck.Listener> l = PortCheck.listeners(p).stream().filter(x -> x.option().equals(option)).toList();
    assertEquals(1, l.size(), l.toString());
    return l.get(0);
  }
}
