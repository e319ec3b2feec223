package io.cairn.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.car.Car;
import io.cairn.car.CarLimits;
import io.cairn.car.CarReader;
import io.cairn.dag.commands.internal.TestStore;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.multiformats.Cid;
import io.cairn.testing.Components;
import io.cairn.unixfs.ImportOptions;
import io.cairn.unixfs.ImportProgress;
import io.cairn.unixfs.Importer;
import io.cairn.unixfs.UnixFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Content paths and dag-scope=entity through the real UnixFS service: a directory {@code d} holding
 * {@code big.bin} (600 KiB: three 256 KiB-chunk leaves under one node) and {@code small.txt}, imported as
 * Kubo imports with CIDv1.
 */
class GatewayUnixFsTest {
  static final int CHUNK = 256 * 1024;

  TestStore local;
  UnixFs fs;
  GatewayServer server;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final byte[] big = new byte[600 * 1024];
  Cid dir;
  Cid bigFile;
  Cid small;

  @BeforeEach
  void start() throws Exception {
    local = new TestStore();
    fs = Components.createWith(UnixFs.class, "io.cairn.unixfs.internal.UnixFsComponent", Map.of(), local.store, local.blocks,
        local.logger);
    server = new GatewayServer(local.blocks, local.dag, local.logger,
        (GatewayConfig) Components.config(GatewayConfig.class, Map.of("port", 0)), null);
    server.unixfs = fs;
    new Random(7).nextBytes(big);
    Importer importer = fs.importer(ImportOptions.kubo().withCidVersion(1), ImportProgress.NONE);
    bigFile = importer.addFile("d/big.bin", new ByteArrayInputStream(big)).cid();
    small = importer.addFile("d/small.txt", new ByteArrayInputStream("small".getBytes())).cid();
    importer.finish();
    dir = importer.root().cid();
  }

  @AfterEach
  void stop() throws Exception {
    server.deactivate();
    local.close();
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(30)).header("Accept", "application/vnd.ipld.car").build();
    return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  static List<Block> car(byte[] body) throws IOException {
    List<Block> blocks = new ArrayList<>();
    try (CarReader reader = Car.reader(new ByteArrayInputStream(body), CarLimits.DEFAULT)) {
      for (Block b = reader.next(); b != null; b = reader.next()) {
        blocks.add(b);
      }
    }
    return blocks;
  }

  Block block(Cid cid) {
    return local.store.get(cid).join();
  }

  /** The leaves of the big file, in order. */
  List<Cid> leaves() throws Exception {
    return DagPb.decode(bigFile, block(bigFile).data(), 1000).links().stream().map(PbLink::cid).toList();
  }

  static byte[] concat(List<Block> blocks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    blocks.forEach(b -> out.writeBytes(b.data()));
    return out.toByteArray();
  }

  @Test
  void aPathCarHoldsThePathThenTheTargetsDag() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + dir + "/big.bin");
    assertEquals(200, r.statusCode());
    List<Block> blocks = car(r.body());
    assertEquals(dir, blocks.get(0).cid(), "the directory first: the client verifies the path through it");
    assertEquals(bigFile, blocks.get(1).cid());
    assertEquals(leaves(), blocks.subList(2, blocks.size()).stream().map(Block::cid).toList());
    assertArrayEquals(big, concat(blocks.subList(2, blocks.size())));
    assertEquals("/ipfs/" + dir + "/big.bin", r.headers().firstValue("X-Ipfs-Path").orElseThrow());
    assertEquals(dir + "," + bigFile, r.headers().firstValue("X-Ipfs-Roots").orElseThrow());
    assertTrue(r.headers().firstValue("Etag").orElseThrow().startsWith("W/\"" + bigFile + ".car."));
  }

  @Test
  void aPathThatDoesNotResolveIs404() throws Exception {
    assertEquals(404, get("/ipfs/" + dir + "/nothing-here").statusCode());
    assertEquals(404, get("/ipfs/" + dir + "/small.txt/below-a-file").statusCode());
  }

  @Test
  void entityBytesSendsOnlyTheLeavesTheRangeNeeds() throws Exception {
    List<Cid> leaves = leaves();
    record Case(String range, List<Cid> leaves) {
    }
    for (Case c : List.of(new Case("0:10", leaves.subList(0, 1)),
        new Case(CHUNK + ":" + (CHUNK + 1), leaves.subList(1, 2)),
        new Case((CHUNK - 1) + ":" + CHUNK, leaves.subList(0, 2)),
        new Case("-10:*", leaves.subList(2, 3)),
        new Case("0:*", leaves))) {
      HttpResponse<byte[]> r = get("/ipfs/" + bigFile + "?entity-bytes=" + c.range);
      assertEquals(200, r.statusCode(), c.range);
      List<Block> blocks = car(r.body());
      assertEquals(bigFile, blocks.get(0).cid(), c.range);
      assertEquals(c.leaves, blocks.subList(1, blocks.size()).stream().map(Block::cid).toList(), c.range);
    }
    // A range past the end holds no byte: the file's node alone, as dag-scope=block.
    assertEquals(List.of(block(bigFile)), car(get("/ipfs/" + bigFile + "?entity-bytes=" + (big.length + 5) + ":*").body()));
    assertNotEquals(get("/ipfs/" + bigFile + "?entity-bytes=0:10").headers().firstValue("Etag"),
        get("/ipfs/" + bigFile + "?entity-bytes=0:11").headers().firstValue("Etag"));
  }

  @Test
  void entityOfADirectoryIsItsNodeAndOfAPathItsTarget() throws Exception {
    assertEquals(List.of(block(dir)), car(get("/ipfs/" + dir + "?dag-scope=entity").body()));
    List<Block> file = car(get("/ipfs/" + dir + "/big.bin?dag-scope=entity").body());
    assertEquals(5, file.size(), "directory, file node, three leaves");
    List<Block> block = car(get("/ipfs/" + dir + "/small.txt?dag-scope=block").body());
    assertEquals(List.of(dir, small), block.stream().map(Block::cid).toList());
  }

  @Test
  void unixFsWorkBeyondItsThreadsAndQueueIs503AndOtherRequestsGoOn() throws Exception {
    server.modified((GatewayConfig) Components.config(GatewayConfig.class,
        Map.of("port", 0, "unixfsThreads", 1, "maxQueuedUnixfsRequests", 0)));
    // The one UnixFS thread waits for a leaf that silent peers never send...
    Cid leaf = leaves().get(1);
    local.peers.hold(List.of(block(leaf)));
    local.peers.silent = true;
    assertTrue(local.store.delete(leaf).join());
    var first = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ipfs/" + bigFile
        + "?entity-bytes=0:*")).timeout(Duration.ofSeconds(30)).header("Accept", "application/vnd.ipld.car").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    GatewayAdmissionTest.eventually("UnixFS asks peers for the leaf", () -> {
      if (first.isDone()) {
        String how = first.handle((r, e) -> e != null ? e.toString()
            : r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).join();
        throw new AssertionError("the first request ended before asking peers: " + how + "; log: " + local.log);
      }
      return local.peers.asks.get() > 0;
    });
    // ...so more UnixFS work finds no thread and no queue,
    HttpResponse<byte[]> busy = get("/ipfs/" + dir + "/small.txt");
    assertEquals(503, busy.statusCode());
    assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
    // while what needs no UnixFS is served.
    assertEquals(200, get("/ipfs/" + small + "?dag-scope=all").statusCode());
    assertTrue(!first.isDone(), "the first request still waits");
  }

  @Test
  void aPathThroughADirectoryNoPeerSendsIs504() throws Exception {
    Importer importer = fs.importer(ImportOptions.kubo().withCidVersion(1), ImportProgress.NONE);
    importer.addFile("e/sub/x.txt", new ByteArrayInputStream("x".getBytes()));
    importer.finish();
    Cid root = importer.root().cid();
    Cid sub = fs.resolve("/ipfs/" + root + "/sub").target();
    assertTrue(local.store.delete(sub).join());
    // The block service's exchange (local.peers) lacks the directory too: its fetch times out.
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/sub/x.txt");
    String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(504, r.statusCode(), body);
    assertTrue(local.peers.asks.get() > 0, "peers were asked");
    assertEquals(1, body.split(sub.toString(), -1).length - 1, "the missing block is named once: " + body);
  }

  @Test
  void withoutUnixFsPathsAndEntitiesAre501() throws Exception {
    server.unixfs = null;
    assertEquals(501, get("/ipfs/" + dir + "/big.bin").statusCode());
    assertEquals(501, get("/ipfs/" + bigFile + "?dag-scope=entity").statusCode());
    assertEquals(200, get("/ipfs/" + bigFile + "?dag-scope=all").statusCode());
  }
}
