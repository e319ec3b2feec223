package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The distribution as an operator uses it: bin/cairn daemon, the banner, the api file, SIGTERM, restarts. */
class DaemonTest {
  @TempDir Path home;

  @Test
  void daemonAnswersStopsOnSigtermAndKeepsItsIdentity() throws Exception {
    String firstPeer;
    try (CairnProcess node = CairnProcess.daemon(home)) {
      String base = node.awaitRpcBase(60);
      assertFalse(base.isEmpty(), "no banner:\n" + node.output());
      firstPeer = node.peerId();
      assertTrue(firstPeer.startsWith("12D3KooW"), firstPeer);

      Rpc rpc = new Rpc(base);
      HttpResponse<String> id = rpc.post("/api/v0/id");
      assertEquals(200, id.statusCode());
      assertTrue(id.body().startsWith("{\"ID\":\"" + firstPeer + "\""), id.body());
      assertEquals(405, rpc.send("GET", "/api/v0/id").statusCode());
      assertEquals(200, rpc.send("GET", "/system/console/bundles", "Authorization", "Basic YWRtaW46YWRtaW4=").statusCode());

      String apiFile = Files.readString(home.resolve("api")).trim();
      assertEquals("/ip4/127.0.0.1/tcp/" + base.substring(base.lastIndexOf(':') + 1), apiFile);
      assertTrue(Files.isRegularFile(home.resolve("identity.key")));

      int code = node.terminate(30);
      assertEquals(143, code, "SIGTERM ends the JVM through its shutdown hook:\n" + node.output());
      assertFalse(Files.exists(home.resolve("api")), "the api file goes with the node");
    }
    try (CairnProcess again = CairnProcess.daemon(home)) {
      assertFalse(again.awaitRpcBase(60).isEmpty(), again.output());
      assertEquals(firstPeer, again.peerId(), "the identity is reused after a restart");
    }
  }

  @Test
  void secondNodeOnTheSameHomeIsRefused() throws Exception {
    try (CairnProcess first = CairnProcess.daemon(home)) {
      assertFalse(first.awaitRpcBase(60).isEmpty(), first.output());
      try (CairnProcess second = CairnProcess.daemon(home)) {
        assertEquals(1, second.awaitExit(30));
        assertTrue(second.output().contains("repo.lock"), second.output());
      }
    }
  }

  @Test
  void corruptIdentityIsAClearErrorAndIsNotReplaced() throws Exception {
    byte[] garbage = "this is not a key".getBytes();
    Files.write(home.resolve("identity.key"), garbage);
    try (CairnProcess node = CairnProcess.daemon(home, "--start-timeout", "5")) {
      int code = node.awaitExit(60);
      assertNotEquals(0, code);
      assertTrue(node.output().contains("identity key file") && node.output().contains("corrupt"), node.output());
    }
    assertEquals(new String(garbage), Files.readString(home.resolve("identity.key")));
  }

  @Test
  void withoutATerminalTheNodeRunsAsDaemonDoes() throws Exception {
    try (CairnProcess node = CairnProcess.withoutTerminal(home)) {
      String base = node.awaitRpcBase(60);
      assertFalse(base.isEmpty(), "no banner:\n" + node.output());
      Rpc rpc = new Rpc(base);
      // Before: Gogo read end-of-file from stdin right after the banner and stopped the whole node.
      for (int i = 0; i < 10; i++) {
        assertEquals(200, rpc.post("/api/v0/id").statusCode(), node.output());
        Thread.sleep(200);
      }
      assertTrue(node.isAlive(), node.output());
      assertTrue(node.output().contains("standard input is not a terminal"), node.output());
      assertEquals(143, node.terminate(30), node.output());
    }
  }

  /** One line naming the address and the option that moves it, and at once: not the readiness time-out. */
  @ParameterizedTest
  @ValueSource(strings = {"--api-address", "--swarm-address", "--gateway-address"})
  void aPortInUseStopsTheNodeAtOnceWithOneLine(String option) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String address = option.equals("--swarm-address") ? "/ip4/127.0.0.1/tcp/" + taken.getLocalPort()
          : "127.0.0.1:" + taken.getLocalPort();
      String variable = "CAIRN_" + option.substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
      try (CairnProcess node = CairnProcess.daemon(home, "--start-timeout", "120", option, address)) {
        assertEquals(1, node.awaitExit(60), node.output());
        assertEquals("cairn: " + address + " is in use: set " + option + " (" + variable + ") to another port", node.output());
      }
    }
  }

  @Test
  void badAddressIsAClearError() throws Exception {
    try (CairnProcess node = CairnProcess.daemon(home, "--api-address", "127.0.0.1:99999")) {
      assertEquals(2, node.awaitExit(30));
      assertTrue(node.output().contains("outside 0-65535"), node.output());
    }
  }
}
