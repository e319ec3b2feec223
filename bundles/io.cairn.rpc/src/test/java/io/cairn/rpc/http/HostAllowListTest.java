package io.cairn.rpc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostAllowListTest {
  private final HostAllowList none = new HostAllowList(List.of());

  @Test
  void loopbackNamesAndAddressLiteralsPass() {
    for (String host : List.of("localhost", "localhost:5001", "LOCALHOST.:5001", "node.localhost:5001", "127.0.0.1:5001",
        "127.0.0.1", "[::1]:5001", "[::1]", "192.168.1.20:5001", "[fd00::2]:5001")) {
      assertTrue(none.permits(host), host);
    }
  }

  @Test
  void aRequestWithoutHostPasses() {
    assertTrue(none.permits(null));
    assertTrue(none.permits(""));
  }

  @Test
  void aRebindingNameIsRefused() {
    for (String host : List.of("evil.example", "evil.example:5001", "localhost.evil.example", "127.0.0.1.evil.example:5001",
        "127.1:5001", "999.0.0.1")) {
      assertFalse(none.permits(host), host);
    }
  }

  @Test
  void malformedHostsAreRefused() {
    for (String host : List.of("::1", "[::1", "[::1]x", "a b", "user@localhost", "localhost:port", "localhost/x", "[evil.example]")) {
      assertFalse(none.permits(host), host);
      assertNull(HostAllowList.hostOf(host), host);
    }
  }

  @Test
  void configuredNamesPassAndStarPermitsAll() {
    HostAllowList list = new HostAllowList(List.of(HostAllowList.validate("Node.Example.ORG")));
    assertTrue(list.permits("node.example.org:5001"));
    assertFalse(list.permits("other.example.org"));
    assertTrue(new HostAllowList(List.of("*")).permits("anything.example"));
  }

  @Test
  void configuredValuesAreChecked() {
    assertEquals("node.example.org", HostAllowList.validate(" node.example.org. "));
    assertEquals("::1", HostAllowList.validate("[::1]"));
    for (String bad : List.of("", "http://node", "node:5001", "node/path", "a b")) {
      assertThrows(IllegalArgumentException.class, () -> HostAllowList.validate(bad), bad);
    }
  }
}
