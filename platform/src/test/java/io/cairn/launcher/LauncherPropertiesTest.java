package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherPropertiesTest {
  @TempDir Path dir;

  @Test
  void fileThenEnvironmentThenCommandLine() throws Exception {
    Path file = dir.resolve("cairn.properties");
    Files.writeString(file, "cairn.api.address=127.0.0.1:5001\ncairn.path=/file\ncairn.conf=${cairn.path}/conf\n");
    Map<String, String> props = LauncherProperties.load(file);
    LauncherProperties.applyEnvironment(props, Map.of("CAIRN_PATH", "/env", "HOME", "/ignored", "CAIRN_", "x"));
    List<String> rest = LauncherProperties.applyCommandLine(props,
        List.of("daemon", "--api-address", "127.0.0.1:6001", "--start-timeout=5", "-Dfelix.log.level=4"));
    props = LauncherProperties.substitute(props);
    assertEquals(List.of("daemon"), rest);
    assertEquals("/env", props.get("cairn.path"));
    assertEquals("/env/conf", props.get("cairn.conf"));
    assertEquals("127.0.0.1:6001", props.get("cairn.api.address"));
    assertEquals("5", props.get("cairn.start.timeout"));
    assertEquals("4", props.get("felix.log.level"));
  }

  @Test
  void substitutionErrorsAreClear() {
    Map<String, String> missing = new LinkedHashMap<>(Map.of("a", "${nope}"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherProperties.substitute(missing))
        .getMessage().contains("${nope}"));
    Map<String, String> cycle = new HashMap<>(Map.of("a", "${b}", "b", "${a}"));
    assertThrows(IllegalArgumentException.class, () -> LauncherProperties.substitute(cycle));
    Map<String, String> unclosed = new HashMap<>(Map.of("a", "${b"));
    assertThrows(IllegalArgumentException.class, () -> LauncherProperties.substitute(unclosed));
  }

  @Test
  void optionWithoutValueIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> LauncherProperties.applyCommandLine(new HashMap<>(), List.of("--path")));
  }

  @Test
  void apiAddressBecomesHttpProperties() throws Exception {
    Map<String, String> props = new HashMap<>(Map.of("cairn.api.address", "[::1]:5002"));
    NodeAddresses.applyApiAddress(props);
    assertEquals("::1", props.get("cairn.api.host"));
    assertEquals("5002", props.get("cairn.api.port"));
    // Felix's own connector: a free loopback port, closed once the API listens (io.cairn.rpc's ApiListener).
    assertTrue(java.net.InetAddress.getByName(props.get("org.apache.felix.http.host")).isLoopbackAddress());
    assertEquals("0", props.get("org.osgi.service.http.port"));
    for (String bad : List.of("5001", "host:", "host:abc", "host:70000", ":5001")) {
      Map<String, String> p = new HashMap<>(Map.of("cairn.api.address", bad));
      assertThrows(IllegalArgumentException.class, () -> NodeAddresses.applyApiAddress(p), bad);
    }
  }

  @Test
  void apiFileIsAKuboMultiaddr() {
    assertEquals("/ip4/127.0.0.1/tcp/5001", NodeAddresses.toMultiaddr(URI.create("http://127.0.0.1:5001/")));
    assertEquals("/ip6/::1/tcp/5001", NodeAddresses.toMultiaddr(URI.create("http://[::1]:5001/")));
    assertEquals("/dns/localhost/tcp/5001", NodeAddresses.toMultiaddr(URI.create("http://localhost:5001/")));
  }
}
