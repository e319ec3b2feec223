package io.cairn.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.car.Car;
import io.cairn.car.CarLimits;
import io.cairn.car.CarReader;
import io.cairn.dag.commands.internal.TestStore;
import io.cairn.multiformats.Cid;
import io.cairn.testing.Components;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
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
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayServerTest {
  static final String CAR_DUPS_N = "application/vnd.ipld.car;version=1;order=dfs;dups=n";
  static final String CAR_DUPS_Y = "application/vnd.ipld.car;version=1;order=dfs;dups=y";

  final Block leaf0 = Block.raw(bytes(3000, 10));
  final Block leaf1 = Block.raw(bytes(5000, 11));
  final Block shared = Block.raw(bytes(700, 12));
  final Block a = TestStore.pbNode(new byte[] {8, 1}, List.of(leaf0.cid(), shared.cid()));
  final Block b = TestStore.pbNode(new byte[] {8, 2}, List.of(leaf1.cid()));
  /** root → [a, b, shared]; a → [leaf0, shared]; b → [leaf1]. */
  final Block root = TestStore.pbNode(new byte[] {8, 1}, List.of(a.cid(), b.cid(), shared.cid()));
  final List<Block> dfs = List.of(root, a, leaf0, shared, b, leaf1);

  TestStore local;
  GatewayServer server;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static byte[] bytes(int size, long seed) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    return out;
  }

  @BeforeEach
  void start() throws Exception {
    local = new TestStore();
    server = new GatewayServer(local.blocks, local.dag, local.logger, config(Map.of()), null);
  }

  @AfterEach
  void stop() throws Exception {
    server.deactivate();
    local.close();
  }

  static GatewayConfig config(Map<String, Object> values) {
    Map<String, Object> v = new HashMap<>(Map.of("port", 0, "rootTimeoutMillis", 2000L, "blockTimeoutMillis", 2000L));
    v.putAll(values);
    return (GatewayConfig) Components.config(GatewayConfig.class, v);
  }

  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  static List<Block> car(byte[] body, List<Cid> roots) throws IOException {
    List<Block> blocks = new ArrayList<>();
    try (CarReader reader = Car.reader(new ByteArrayInputStream(body), CarLimits.DEFAULT)) {
      assertEquals(roots, reader.header().roots());
      for (Block bl = reader.next(); bl != null; bl = reader.next()) {
        blocks.add(bl);
      }
    }
    return blocks;
  }

  void putAll() {
    local.store.putMany(dfs).join();
  }

  @Test
  void probeAnswersEmpty() throws Exception {
    for (String path : List.of("/ipfs/bafkqaaa", "/ipfs/bafkqaaa?format=raw")) {
      HttpResponse<byte[]> r = get(path);
      assertEquals(200, r.statusCode(), path);
      assertEquals(0, r.body().length);
    }
    assertEquals(200, send("HEAD", "/ipfs/bafkqaaa", "Accept", GatewayRequest.RAW).statusCode());
    HttpResponse<byte[]> car = get("/ipfs/bafkqaaa?format=car");
    assertEquals(200, car.statusCode());
    assertEquals(List.of(), car(car.body(), List.of(Cid.parse("bafkqaaa"))), "identity blocks never go into a CAR");
  }

  @Test
  void rawBlockWithTheSpecsHeaders() throws Exception {
    putAll();
    for (HttpResponse<byte[]> r : List.of(get("/ipfs/" + leaf0.cid() + "?format=raw"),
        get("/ipfs/" + leaf0.cid(), "Accept", "application/vnd.ipld.raw"),
        get("/ipfs/" + leaf0.cid() + "?format=raw", "Accept", "application/vnd.ipld.car"))) {
      assertEquals(200, r.statusCode());
      assertArrayEquals(leaf0.data(), r.body());
      assertEquals(GatewayRequest.RAW, header(r, "Content-Type"));
      assertEquals("attachment; filename=\"" + leaf0.cid() + ".bin\"", header(r, "Content-Disposition"));
      assertEquals("\"" + leaf0.cid() + ".raw\"", header(r, "Etag"));
      assertEquals("public, max-age=29030400, immutable", header(r, "Cache-Control"));
      assertEquals("/ipfs/" + leaf0.cid(), header(r, "X-Ipfs-Path"));
      assertEquals(leaf0.cid().toString(), header(r, "X-Ipfs-Roots"));
      assertEquals(String.valueOf(leaf0.size()), header(r, "Content-Length"));
    }
    HttpResponse<byte[]> head = send("HEAD", "/ipfs/" + leaf0.cid() + "?format=raw");
    assertEquals(200, head.statusCode());
    assertEquals(0, head.body().length);
    assertEquals(String.valueOf(leaf0.size()), header(head, "Content-Length"));
    assertEquals(304, get("/ipfs/" + leaf0.cid() + "?format=raw", "If-None-Match", "\"" + leaf0.cid() + ".raw\"").statusCode());
  }

  @Test
  void badRequestsAnswerTheSpecsStatus() throws Exception {
    putAll();
    record Case(String method, String path, String accept, int status) {
    }
    List<Case> cases = List.of(
        new Case("GET", "/ipfs/notacid?format=raw", null, 400),
        new Case("GET", "/ipfs/" + root.cid() + "/a/b?format=raw", null, 400),
        new Case("GET", "/ipfs/" + root.cid(), null, 400),
        new Case("GET", "/ipfs/" + root.cid() + "?format=tar", null, 400),
        new Case("GET", "/ipfs/" + root.cid() + "?format=car&dag-scope=some", null, 400),
        new Case("GET", "/ipfs/" + root.cid() + "?format=car&car-version=2", null, 400),
        new Case("GET", "/ipfs/" + root.cid() + "?format=car&car-dups=maybe", null, 400),
        new Case("GET", "/ipfs/" + root.cid() + "?format=car&entity-bytes=x", null, 400),
        new Case("GET", "/ipfs/" + root.cid() + "?format=raw&dag-scope=all", null, 400),
        new Case("GET", "/ipfs/" + root.cid(), "application/vnd.ipld.car;version=2", 406),
        new Case("GET", "/ipns/example.com?format=raw", null, 501),
        new Case("GET", "/elsewhere", null, 404),
        new Case("HEAD", "/ipfs/notacid?format=raw", null, 400),
        new Case("POST", "/ipfs/" + root.cid() + "?format=raw", null, 405),
        new Case("PUT", "/ipfs/" + root.cid() + "?format=raw", null, 405),
        new Case("DELETE", "/ipfs/" + root.cid() + "?format=raw", null, 405));
    for (Case c : cases) {
      HttpResponse<byte[]> r = c.accept == null ? send(c.method, c.path) : send(c.method, c.path, "Accept", c.accept);
      assertEquals(c.status, r.statusCode(), c.method + " " + c.path + ": " + new String(r.body(), StandardCharsets.UTF_8));
      if (c.status == 405) {
        assertEquals("GET, HEAD", header(r, "Allow"));
      }
    }
    // Malformed percent-escapes, which an HTTP client would not send.
    assertEquals(400, rawStatus("GET /ipfs/%zz?format=raw HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(400, rawStatus("GET /ipfs/" + root.cid() + "?format=raw&x=%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  @Test
  void aRootNoPeerSendsIs504AfterAskingPeers() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root.cid() + "?format=raw");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(504, r.statusCode(), body);
    assertTrue(local.peers.asks.get() > 0, "the network was asked");
    assertEquals(1, body.split(root.cid().toString(), -1).length - 1, "the CID is named once: " + body);
    assertEquals(504, get("/ipfs/" + root.cid() + "?format=car").statusCode());
  }

  @Test
  void aMissingRootIs404WhenTheNodeDoesNotFetch() throws Exception {
    Components.call(local.blocks, "unbindExchange", local.peers);
    HttpResponse<byte[]> r = get("/ipfs/" + root.cid() + "?format=raw");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(404, r.statusCode(), body);
    assertEquals(1, body.split(root.cid().toString(), -1).length - 1, "the CID is named once: " + body);
    assertEquals(0, local.peers.asks.get());
  }

  @Test
  void aRootOnlyPeersHaveIsFetched() throws Exception {
    local.peers.hold(dfs);
    HttpResponse<byte[]> r = get("/ipfs/" + root.cid() + "?format=car");
    assertEquals(200, r.statusCode());
    assertEquals(dfs, car(r.body(), List.of(root.cid())));
    assertTrue(local.store.has(leaf1.cid()).join(), "what was fetched is stored");
  }

  @Test
  void onlyIfCachedIs412WhenTheRootIsNotLocal() throws Exception {
    local.peers.hold(dfs);
    HttpResponse<byte[]> r = get("/ipfs/" + root.cid() + "?format=raw", "Cache-Control", "only-if-cached");
    assertEquals(412, r.statusCode());
    assertEquals(0, local.peers.asks.get(), "only-if-cached never asks peers");
    putAll();
    assertEquals(200, get("/ipfs/" + root.cid() + "?format=raw", "Cache-Control", "only-if-cached").statusCode());
  }

  @Test
  void carOfTheWholeDagDepthFirstEachBlockOnce() throws Exception {
    putAll();
    for (HttpResponse<byte[]> r : List.of(get("/ipfs/" + root.cid() + "?format=car"),
        get("/ipfs/" + root.cid(), "Accept", "application/vnd.ipld.car"),
        get("/ipfs/" + root.cid() + "?format=car", "Accept", "application/vnd.ipld.raw"),
        get("/ipfs/" + root.cid() + "?format=car&dag-scope=all&car-order=unk"))) {
      assertEquals(200, r.statusCode());
      assertEquals(CAR_DUPS_N, header(r, "Content-Type"));
      assertEquals("attachment; filename=\"" + root.cid() + ".car\"", header(r, "Content-Disposition"));
      assertEquals("public, max-age=29030400, immutable", header(r, "Cache-Control"));
      assertEquals("/ipfs/" + root.cid(), header(r, "X-Ipfs-Path"));
      assertEquals(root.cid().toString(), header(r, "X-Ipfs-Roots"));
      assertTrue(header(r, "Etag").startsWith("W/\"" + root.cid() + ".car."), header(r, "Etag"));
      assertEquals(dfs, car(r.body(), List.of(root.cid())));
    }
  }

  @Test
  void carDupsRepeatsBlocksAsOftenAsTheyOccur() throws Exception {
    putAll();
    List<Block> withDups = List.of(root, a, leaf0, shared, b, leaf1, shared);
    for (HttpResponse<byte[]> r : List.of(get("/ipfs/" + root.cid() + "?format=car&car-dups=y"),
        get("/ipfs/" + root.cid(), "Accept", "application/vnd.ipld.car; version=1; order=dfs; dups=y"))) {
      assertEquals(200, r.statusCode());
      assertEquals(CAR_DUPS_Y, header(r, "Content-Type"));
      assertEquals(withDups, car(r.body(), List.of(root.cid())));
    }
    // The query's car-dups wins over the Accept parameter.
    HttpResponse<byte[]> r = get("/ipfs/" + root.cid() + "?car-dups=n", "Accept", "application/vnd.ipld.car;dups=y");
    assertEquals(CAR_DUPS_N, header(r, "Content-Type"));
    assertEquals(dfs, car(r.body(), List.of(root.cid())));
  }

  @Test
  void aLargeDagStreamsWholeDepthFirstFetchingWhatIsMissing() throws Exception {
    // root → 12 nodes → 16 leaves of 48 KiB each, every fourth leaf shared with the next node: ~9 MB, far past
    // what the connection buffers, so the stream pauses for the client many times; every other block is only
    // on peers, so the stream waits for fetches as it goes.
    Map<Cid, Block> all = new java.util.LinkedHashMap<>();
    List<Cid> nodes = new ArrayList<>();
    Block sharedLeaf = null;
    for (int n = 0; n < 12; n++) {
      List<Cid> leaves = new ArrayList<>();
      for (int l = 0; l < 16; l++) {
        Block leaf = l == 0 && sharedLeaf != null ? sharedLeaf : Block.raw(bytes(48 * 1024, 1000 * n + l));
        all.put(leaf.cid(), leaf);
        leaves.add(leaf.cid());
        if (l == 15) {
          sharedLeaf = leaf;
        }
      }
      Block node = TestStore.pbNode(new byte[] {8, 1, (byte) n}, leaves);
      all.put(node.cid(), node);
      nodes.add(node.cid());
    }
    Block top = TestStore.pbNode(new byte[] {8, 1}, nodes);
    all.put(top.cid(), top);
    local.store.put(top).join();
    int i = 0;
    for (Block bl : all.values()) {
      if (i++ % 2 == 0) {
        local.store.put(bl).join();
      } else {
        local.peers.hold(List.of(bl));
      }
    }
    for (boolean dups : List.of(false, true)) {
      List<Block> expected = new ArrayList<>();
      dfs(top.cid(), all, dups, new java.util.HashSet<>(), expected);
      HttpResponse<byte[]> r = get("/ipfs/" + top.cid() + "?format=car&car-dups=" + (dups ? "y" : "n"));
      assertEquals(200, r.statusCode());
      assertEquals(expected.stream().map(Block::cid).toList(), car(r.body(), List.of(top.cid())).stream().map(Block::cid).toList());
    }
    // A client that asks for it and reads nothing holds the stream paused, and nothing else: others are served,
    // and when it goes away the stream ends (every buffer released: the leak detector is watching).
    try (Socket stalled = new Socket("127.0.0.1", server.port())) {
      stalled.setReceiveBufferSize(4096);
      stalled.getOutputStream().write(("GET /ipfs/" + top.cid() + "?format=car&car-dups=y HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertTrue(readHeaders(stalled.getInputStream()).startsWith("HTTP/1.1 200"));
      assertEquals(200, get("/ipfs/" + top.cid() + "?format=car&dag-scope=block").statusCode());
    }
    assertEquals(200, get("/ipfs/" + top.cid() + "?format=raw").statusCode());
  }

  private static void dfs(Cid cid, Map<Cid, Block> all, boolean dups, java.util.Set<Cid> seen, List<Block> out)
      throws Exception {
    if (!dups && !seen.add(cid)) {
      return;
    }
    Block b = all.get(cid);
    out.add(b);
    if (cid.codec() == io.cairn.multiformats.Multicodec.DAG_PB.code()) {
      for (var link : io.cairn.dag.DagPb.decode(cid, b.data(), 1000).links()) {
        dfs(link.cid(), all, dups, seen, out);
      }
    }
  }

  @Test
  void dagScopeBlockAndEntity() throws Exception {
    putAll();
    HttpResponse<byte[]> block = get("/ipfs/" + root.cid() + "?format=car&dag-scope=block");
    assertEquals(List.of(root), car(block.body(), List.of(root.cid())));
    HttpResponse<byte[]> entity = get("/ipfs/" + leaf0.cid() + "?format=car&dag-scope=entity");
    assertEquals(List.of(leaf0), car(entity.body(), List.of(leaf0.cid())), "a raw block is its own entity");
    assertEquals(501, get("/ipfs/" + root.cid() + "?format=car&dag-scope=entity").statusCode());
  }

  @Test
  void etagVariesWithScopeDupsAndRange() throws Exception {
    putAll();
    List<String> tags = new ArrayList<>();
    for (String q : List.of("", "&dag-scope=block", "&car-dups=y", "&dag-scope=entity", "&entity-bytes=0:10")) {
      HttpResponse<byte[]> r = send("HEAD", "/ipfs/" + leaf0.cid() + "?format=car" + q);
      assertEquals(200, r.statusCode(), q);
      tags.add(header(r, "Etag"));
    }
    assertEquals(tags.size(), tags.stream().distinct().count(), tags.toString());
    assertNotEquals(tags.get(0), header(get("/ipfs/" + leaf0.cid() + "?format=raw"), "Etag"));
  }

  @Test
  void headOfACarSendsTheHeadersOnly() throws Exception {
    putAll();
    HttpResponse<byte[]> r = send("HEAD", "/ipfs/" + root.cid() + "?format=car");
    assertEquals(200, r.statusCode());
    assertEquals(CAR_DUPS_N, header(r, "Content-Type"));
    assertEquals(0, r.body().length);
  }

  @Test
  void aChildMissingOnceStreamingStartedEndsTheStreamIncomplete() throws Exception {
    local.store.putMany(List.of(root, a, leaf0, shared)).join();
    // 200 was sent with the root; leaf1's parent b cannot be had, so the chunked body never ends properly.
    assertThrows(IOException.class, () -> get("/ipfs/" + root.cid() + "?format=car"));
    // The connection was closed; the next request on a new one is served.
    assertEquals(200, get("/ipfs/" + root.cid() + "?format=raw").statusCode());
  }

  @Test
  void malformedHeadersAre400AndNoHeaderValueIsA500() throws Exception {
    putAll();
    String probe = "GET /ipfs/bafkqaaa HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    HttpResponse<byte[]> bad = get("/ipfs/bafkqaaa", "Accept", ";;;,,,;q=abc");
    assertEquals(400, bad.statusCode());
    String message = new String(bad.body(), StandardCharsets.UTF_8);
    assertTrue(message.startsWith("malformed Accept header"), message);
    assertEquals(400, rawStatus(probe + "Accept: application/vnd.ipld.raw;q=abc\r\n\r\n"));

    // Random values of every header the gateway reads (and some it does not), on requests that succeed without
    // them: each answer is the normal one or a 4xx, never a 5xx.
    Random random = new Random(21);
    String alphabet = ";,=q/*- \t\"'()<>@:\\[]?{}0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\u00e9\u00ff";
    List<String> headers = List.of("Accept", "Range", "Cache-Control", "If-None-Match", "If-Match", "If-Modified-Since",
        "Connection", "Content-Length", "Transfer-Encoding", "Expect", "Host", "Origin", "X-Forwarded-For");
    List<String> targets = List.of("/ipfs/bafkqaaa", "/ipfs/" + leaf0.cid() + "?format=raw", "/ipfs/" + root.cid() + "?format=car",
        "/ipfs/" + root.cid());
    for (int i = 0; i < 400; i++) {
      String name = headers.get(random.nextInt(headers.size()));
      StringBuilder value = new StringBuilder();
      for (int n = random.nextInt(30); n > 0; n--) {
        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String method = random.nextInt(4) == 0 ? "HEAD" : "GET";
      String request = method + " " + targets.get(random.nextInt(targets.size())) + " HTTP/1.1\r\nHost: x\r\n"
          + "Accept: application/vnd.ipld.raw\r\nConnection: close\r\n" + name + ": " + value + "\r\n\r\n";
      int status = rawStatus(request);
      assertTrue(status < 500, status + " for " + name + ": " + value);
    }
  }

  @Test
  void requestLineAndHeadersOverTheLimitsAreRefused() throws Exception {
    server.modified(config(Map.of("maxRequestLineBytes", 256, "maxHeaderBytes", 256)));
    assertEquals(414, rawStatus("GET /ipfs/" + "a".repeat(400) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(431, rawStatus("GET /ipfs/bafkqaaa HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(400) + "\r\n\r\n"));
  }

  /** Sends bytes as they are, for requests an HTTP client would not make; the status code answered. */
  int rawStatus(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  @Test
  void aNewPortRebindsWhileRunning() throws Exception {
    putAll();
    int before = server.port();
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    server.modified(config(Map.of("port", free)));
    assertEquals(free, server.port());
    assertEquals(200, get("/ipfs/" + leaf0.cid() + "?format=raw").statusCode());
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", before).close());
    // An invalid value keeps the server as it is.
    server.modified(config(Map.of("port", 70_000)));
    assertEquals(free, server.port());
    assertTrue(local.log.stream().anyMatch(l -> l.contains("port")), local.log.toString());
  }

  @Test
  void keepAliveServesPipelinedRequestsInOrderOnOneConnection() throws Exception {
    putAll();
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      String get = "GET /ipfs/" + leaf0.cid() + "?format=raw HTTP/1.1\r\nHost: x\r\n\r\n";
      // A HEAD answered with an error sends no body: the next answer on the connection is whole.
      String headMissing = "HEAD /ipfs/" + Block.raw(bytes(5, 99)).cid() + "?format=raw HTTP/1.1\r\nHost: x\r\n"
          + "Cache-Control: only-if-cached\r\n\r\n";
      out.write((get + headMissing + get).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String first = readHeaders(in);
      assertTrue(first.startsWith("HTTP/1.1 200"), first);
      assertArrayEquals(leaf0.data(), in.readNBytes(leaf0.size()));
      String second = readHeaders(in);
      assertTrue(second.startsWith("HTTP/1.1 412"), second);
      String third = readHeaders(in);
      assertTrue(third.startsWith("HTTP/1.1 200"), third);
      assertArrayEquals(leaf0.data(), in.readNBytes(leaf0.size()));
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
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
