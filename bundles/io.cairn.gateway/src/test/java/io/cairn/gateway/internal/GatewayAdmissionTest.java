package io.cairn.gateway.internal;

import static io.cairn.gateway.internal.GatewayServerTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.client.internal.BitswapExchange;
import io.cairn.blockstore.Block;
import io.cairn.dag.commands.internal.TestStore;
import io.cairn.multiformats.Cid;
import io.cairn.testing.Components;
import io.cairn.testing.bitswap.PeerWithBlocks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or merely numerous client can do to the gateway: requests waiting for blocks nobody sends,
 * many connections from one address, headers sent slowly. The network is the real bitswap client over an
 * in-memory network of one peer ({@link PeerWithBlocks}) that lacks what is asked: its wants are answered
 * DONT_HAVE, and the client waits for the want's timeout, as it would for peers that never deliver.
 */
class GatewayAdmissionTest {
  final TestStore local = new TestStore();
  final PeerWithBlocks peer = new PeerWithBlocks();
  final Bitswap client = Components.createWith(Bitswap.class, "io.cairn.bitswap.client.internal.BitswapClientComponent",
      Map.of(), peer, local.store, local.logger);
  final Block present = Block.raw(bytes(4000, 1));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  GatewayServer server;

  GatewayAdmissionTest() {
    Components.call(local.blocks, "bindExchange", new BitswapExchange(client));
    local.store.put(present).join();
  }

  void start(Map<String, Object> values) throws Exception {
    Map<String, Object> v = new HashMap<>(Map.of("port", 0));
    v.putAll(values);
    server = new GatewayServer(local.blocks, local.dag, local.logger,
        (GatewayConfig) Components.config(GatewayConfig.class, v), null);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.deactivate();
    }
    Components.deactivate(client);
    peer.close();
    local.close();
  }

  HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30))
        .build();
  }

  /** Waits for what other threads settle; fails the test if it never comes. */
  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void requestsWaitingForTheNetworkDoNotDelayALocalBlock() throws Exception {
    // More waiting requests than the 32 request threads the gateway used to have, each for a block nobody sends.
    start(Map.of("rootTimeoutMillis", 120_000L, "blockTimeoutMillis", 120_000L));
    List<Cid> missing = new ArrayList<>();
    List<CompletableFuture<HttpResponse<byte[]>>> waiting = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      Cid cid = Block.raw(bytes(100, 1000 + i)).cid();
      missing.add(cid);
      String path = "/ipfs/" + cid + (i % 2 == 0 ? "?format=raw" : "?format=car");
      waiting.add(http.sendAsync(request(path), HttpResponse.BodyHandlers.ofByteArray()));
    }
    // Every one of them is waiting on the network: the peer was asked for each block.
    eventually("the peer is asked for every missing block", () -> peer.received.stream().map(e -> e.cid())
        .collect(Collectors.toSet()).containsAll(missing));

    HttpResponse<byte[]> raw = http.send(request("/ipfs/" + present.cid() + "?format=raw"),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, raw.statusCode());
    assertArrayEquals(present.data(), raw.body());
    HttpResponse<byte[]> car = http.send(request("/ipfs/" + present.cid() + "?format=car"),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, car.statusCode());
    assertEquals(List.of(present), GatewayServerTest.car(car.body(), List.of(present.cid())));
    for (CompletableFuture<HttpResponse<byte[]>> w : waiting) {
      assertFalse(w.isDone(), "the requests for missing blocks are still waiting: the local ones did not queue behind them");
    }
  }

  @Test
  void aClientThatGoesAwayWithdrawsItsWant() throws Exception {
    start(Map.of("rootTimeoutMillis", 120_000L));
    Cid cid = Block.raw(bytes(100, 77)).cid();
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(("GET /ipfs/" + cid + "?format=raw HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      eventually("the block is wanted", () -> client.wantlist().contains(cid));
    }
    eventually("the want is withdrawn once the client is gone", () -> !client.wantlist().contains(cid));
  }

  @Test
  void aRetrievalThatTimesOutIs504NamingTheBlockOnce() throws Exception {
    start(Map.of("rootTimeoutMillis", 300L, "blockTimeoutMillis", 300L));
    Cid cid = Block.raw(bytes(100, 5)).cid();
    for (String query : List.of("?format=raw", "?format=car")) {
      HttpResponse<String> r = http.send(request("/ipfs/" + cid + query), HttpResponse.BodyHandlers.ofString());
      assertEquals(504, r.statusCode(), r.body());
      assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
      assertEquals(1, r.body().split(cid.toString(), -1).length - 1, "the CID is named once: " + r.body());
      assertTrue(r.body().contains("300 ms"), r.body());
    }
    assertFalse(peer.received.isEmpty(), "the peer was asked");
  }

  @Test
  void oneAddressGetsItsShareOfConnectionsAndAnotherStillGetsThrough() throws Exception {
    start(Map.of("maxConnections", 16, "maxConnectionsPerAddress", 4));
    InetAddress greedy = InetAddress.getByName("127.0.0.2");
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = connectFrom(greedy);
        held.add(s);
        // Served, and kept open (keep-alive): each of the four counts.
        assertEquals(200, exchange(s, "GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n\r\n"));
      }
      for (int i = 0; i < 3; i++) {
        try (Socket extra = connectFrom(greedy)) {
          assertEquals(503, refusedStatus(extra), "a fifth connection from " + greedy + " is refused");
        }
      }
      try (Socket other = connectFrom(InetAddress.getByName("127.0.0.1"))) {
        assertEquals(200, exchange(other, "GET /ipfs/" + present.cid() + "?format=raw HTTP/1.1\r\nHost: x\r\n\r\n"));
      }
      // The greedy address's own connections still work.
      assertEquals(200, exchange(held.get(0), "GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertTrue(local.log.stream().anyMatch(l -> l.contains("127.0.0.2") && l.contains("maxConnectionsPerAddress")),
          local.log.toString());
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    // Once it closes them, the address may connect again.
    eventually("the address's connections are counted as closed", () -> {
      try (Socket again = connectFrom(greedy)) {
        return exchange(again, "GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n\r\n") == 200;
      } catch (IOException e) {
        return false;
      }
    });
  }

  @Test
  void theWholeLimitStillHoldsAcrossAddresses() throws Exception {
    start(Map.of("maxConnections", 2, "maxConnectionsPerAddress", 2));
    try (Socket a = connectFrom(InetAddress.getByName("127.0.0.2"));
        Socket b = connectFrom(InetAddress.getByName("127.0.0.3"))) {
      assertEquals(200, exchange(a, "GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertEquals(200, exchange(b, "GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n\r\n"));
      try (Socket c = connectFrom(InetAddress.getByName("127.0.0.4"))) {
        assertEquals(503, refusedStatus(c));
      }
    }
  }

  @Test
  void headersThatDoNotArriveInTimeAre408AndTheConnectionCloses() throws Exception {
    start(Map.of("headerTimeoutMillis", 300L, "idleTimeoutMillis", 120_000L));
    // Half the headers, then nothing.
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write("GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("Connection: close"), answer);
    }
    // Slowloris: a byte at a time, never idle, never done.
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      byte[] line = "GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
      out.write(line);
      // Well within the idle timeout, which a byte every 20 ms never reaches: only the header deadline ends it.
      boolean ended = false;
      for (int i = 0; i < 3000 && !ended; i++) {
        try {
          out.write('a');
          out.flush();
          Thread.sleep(20);
          ended = s.getInputStream().available() > 0;
        } catch (IOException e) {
          ended = true;
        }
      }
      assertTrue(ended, "the server ended the slow request");
      String answer;
      try {
        answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
      } catch (IOException reset) {
        answer = "(reset: the 408 was sent before the bytes that followed it)";
      }
      assertFalse(answer.startsWith("HTTP/1.1 200"), answer);
    }
  }

  @Test
  void anIdleKeptAliveConnectionIsNotTakenForASlowOne() throws Exception {
    start(Map.of("headerTimeoutMillis", 200L, "idleTimeoutMillis", 120_000L));
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      assertEquals(200, exchange(s, "GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n\r\n"));
      // Longer than the header timeout with nothing sent: waiting for a request is the idle timeout's business.
      Thread.sleep(600);
      assertEquals(200, exchange(s, "GET /ipfs/" + present.cid() + "?format=raw HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
  }

  static Socket connectFrom(InetAddress from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    return s;
  }

  Socket connect(Socket s) throws IOException {
    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
    s.setSoTimeout(30_000);
    return s;
  }

  /** Sends one request on the connection and reads its whole answer; the status. */
  int exchange(Socket s, String request) throws IOException {
    if (!s.isConnected()) {
      connect(s);
    }
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = s.getInputStream();
    String head = readHeaders(in);
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(head.substring(9, 12));
  }

  /** Connects and reads what a refused connection is told before it closes; the status. */
  int refusedStatus(Socket s) throws IOException {
    connect(s);
    String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertTrue(answer.startsWith("HTTP/1.1 "), "answered before closing: " + answer);
    return Integer.parseInt(answer.substring(9, 12));
  }

  static String readHeaders(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed in headers: " + sb);
      }
      sb.append((char) c);
    }
    return sb.toString();
  }
}
