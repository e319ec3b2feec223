package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
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
      String password = Files.readString(home.resolve("console.password")).strip();
      assertEquals(200, rpc.send("GET", "/system/console/bundles", "Authorization", basic("admin", password)).statusCode());

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

  /**
   * The Web Console: no shipped password (a random one in the home, owner-only, named in the banner),
   * a wait after a failed login, and neither a rebinding Host nor another site's page gets in.
   */
  @Test
  void theWebConsoleHasItsOwnPasswordAndRefusesRebindingAndCrossSiteRequests() throws Exception {
    String password;
    try (CairnProcess node = CairnProcess.daemon(home)) {
      String base = node.awaitRpcBase(60);
      assertFalse(base.isEmpty(), "no banner:\n" + node.output());
      Path file = home.resolve("console.password");
      assertTrue(node.awaitOutput("password in " + file, 10), node.output());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      password = Files.readString(file).strip();
      assertTrue(password.matches("[A-Za-z0-9_-]{24}"), password);

      Rpc rpc = new Rpc(base);
      String console = "/system/console/bundles";
      assertEquals(401, rpc.send("GET", console).statusCode(), "no credentials");
      assertEquals(200, rpc.send("GET", console, "Authorization", basic("admin", password)).statusCode());
      HttpResponse<String> wrong = rpc.send("GET", console, "Authorization", basic("admin", "admin"));
      assertEquals(401, wrong.statusCode(), "the old default password");
      HttpResponse<String> held = rpc.send("GET", console, "Authorization", basic("admin", password));
      assertEquals(429, held.statusCode(), "right after a failed login even the right password waits");
      assertTrue(held.headers().firstValue("Retry-After").isPresent(), held.headers().map().toString());
      Thread.sleep(1100);
      assertEquals(200, rpc.send("GET", console, "Authorization", basic("admin", password)).statusCode());

      assertEquals(403, rpc.send("GET", console, "Authorization", basic("admin", password), "Origin", "http://evil.example")
          .statusCode(), "another site's page");
      int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
      assertTrue(rawGet(port, console, "evil.example:" + port, basic("admin", password)).startsWith("HTTP/1.1 403"),
          "a DNS-rebound name");
      assertTrue(rawGet(port, console, "localhost:" + port, basic("admin", password)).startsWith("HTTP/1.1 200"));
      assertTrue(node.awaitOutput("failed login for user 'admin'", 10), node.output());
    }
    try (CairnProcess again = CairnProcess.daemon(home)) {
      assertFalse(again.awaitRpcBase(60).isEmpty(), again.output());
      assertEquals(password, Files.readString(home.resolve("console.password")).strip(), "kept across restarts");
    }
    Path other = home.resolve("other-node");
    try (CairnProcess node = CairnProcess.daemon(other)) {
      assertFalse(node.awaitRpcBase(60).isEmpty(), node.output());
      assertNotEquals(password, Files.readString(other.resolve("console.password")).strip(), "each home its own password");
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A GET with a Host header of our choosing (java.net.http will not send one), as a rebinding page's browser would. */
  private static String rawGet(int port, String path, String host, String authorization) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
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
      assertTrue(node.awaitOutput("standard input is not a terminal", 10), node.output());
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
