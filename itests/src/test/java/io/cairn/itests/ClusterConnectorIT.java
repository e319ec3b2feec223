package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.blockstore.Block;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every call ipfs-cluster's IPFS connector makes ({@code ipfsconn/ipfshttp}, listed in
 * shared/design/ECOSYSTEM.md), replayed with its exact query string against a {@code bin/cairn daemon},
 * reading exactly the fields cluster reads: all POST, arguments in the query, no Content-Type without
 * a body.
 */
class ClusterConnectorIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LONG = Duration.ofSeconds(120);
  private static CairnProcess node;
  private static CairnProcess other;
  private static Rpc rpc;
  private static int otherSwarm;

  @BeforeAll
  static void start() throws Exception {
    otherSwarm = CairnOptions.freePort();
    node = CairnProcess.daemon(CairnOptions.tempDir("cluster-ipfs"), "--swarm-address", "/ip4/127.0.0.1/tcp/0",
        "--gateway-address", "127.0.0.1:0");
    other = CairnProcess.daemon(CairnOptions.tempDir("cluster-peer"), "--swarm-address", "/ip4/127.0.0.1/tcp/" + otherSwarm,
        "--gateway-address", "127.0.0.1:0");
    String base = node.awaitRpcBase(60);
    assertFalse(base.isEmpty(), node.output());
    assertFalse(other.awaitRpcBase(60).isEmpty(), other.output());
    rpc = new Rpc(base);
  }

  @AfterAll
  static void stop() {
    node.close();
    other.close();
  }

  private static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static List<JsonNode> lines(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  private static String message(HttpResponse<String> r) throws Exception {
    assertEquals(500, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body());
    assertEquals("error", error.path("Type").asText(), r.body());
    return error.path("Message").asText();
  }

  /** The cluster adder: one block/put with a part per block, one {Key,Size} line per block. */
  private static List<Block> putBlocks(int count, int size) throws Exception {
    List<Block> blocks = TestBlocks.raw(size, count);
    List<Map.Entry<String, byte[]>> parts = blocks.stream().map(b -> Map.entry("", b.data())).toList();
    List<JsonNode> answers = lines(rpc.postMultipart(
        "/api/v0/block/put?cid-codec=raw&mhtype=sha2-256&mhlen=-1&pin=false&allow-big-block=true", parts, LONG));
    assertEquals(count, answers.size());
    for (int i = 0; i < count; i++) {
      assertEquals(blocks.get(i).cid().toString(), answers.get(i).path("Key").asText());
      assertEquals(size, answers.get(i).path("Size").asInt());
    }
    return blocks;
  }

  /** A directory of two files added through `add`; its root CID. */
  private static String addDirectory(String name, int seed) throws Exception {
    List<Map.Entry<String, byte[]>> parts = List.of(new java.util.AbstractMap.SimpleEntry<String, byte[]>(name, null),
        Map.entry(name + "/a.bin", TestBlocks.block(new TestBlocks.BlockSet(TestBlocks.Kind.RAW, 600_000, 1), seed).data()),
        Map.entry(name + "/b.txt", ("file b of " + name).getBytes()));
    List<JsonNode> added = lines(rpc.postMultipart("/api/v0/add?pin=false", parts, LONG));
    return added.stream().filter(e -> e.path("Name").asText().equals(name)).findFirst().orElseThrow().path("Hash").asText();
  }

  @Test
  void idAndSwarm() throws Exception {
    JsonNode id = ok(rpc.post("/api/v0/id"));
    assertTrue(id.path("ID").asText().startsWith("12D3Koo"), id.toString());
    assertTrue(id.path("Addresses").size() > 0, id.toString());
    String addr = "/ip4/127.0.0.1/tcp/" + otherSwarm + "/p2p/" + other.peerId();
    ok(rpc.post("/api/v0/swarm/connect?arg=" + addr));
    JsonNode peers = ok(rpc.post("/api/v0/swarm/peers"));
    boolean found = false;
    for (JsonNode p : peers.path("Peers")) {
      found |= p.path("Peer").asText().equals(other.peerId());
    }
    assertTrue(found, peers.toString());
  }

  @Test
  void pinLifecycleAsClusterDrivesIt() throws Exception {
    String root = addDirectory("pinned", 41);
    // before pinning: is it pinned? an error whose Message ends in "not pinned"
    String notPinned = message(rpc.post("/api/v0/pin/ls?stream=true&arg=" + root + "&type=recursive"));
    assertTrue(notPinned.endsWith("not pinned"), notPinned);

    List<JsonNode> progress = lines(rpc.post("/api/v0/pin/add?arg=" + root + "&recursive=true&progress=true", LONG));
    assertFalse(progress.isEmpty());
    for (JsonNode line : progress) {
      assertTrue(line.has("Progress") || line.has("Pins"), line.toString());
    }
    JsonNode first = lines(rpc.post("/api/v0/pin/ls?stream=true&arg=" + root + "&type=recursive")).get(0);
    assertEquals(root, first.path("Cid").asText());
    assertTrue(first.path("Type").asText().startsWith("recursive"), first.toString());

    // a direct pin and a depth-limited one
    String direct = addDirectory("direct", 42);
    lines(rpc.post("/api/v0/pin/add?arg=" + direct + "&recursive=false&progress=true", LONG));
    String shallow = addDirectory("shallow", 43);
    lines(rpc.post("/api/v0/pin/add?arg=" + shallow + "&recursive=true&max-depth=1&progress=true", LONG));

    List<String> recursive = lines(rpc.post("/api/v0/pin/ls?stream=true&type=recursive")).stream()
        .map(p -> p.path("Cid").asText()).toList();
    assertTrue(recursive.contains(root) && recursive.contains(shallow), recursive.toString());
    List<JsonNode> directs = lines(rpc.post("/api/v0/pin/ls?stream=true&type=direct"));
    assertTrue(directs.stream().anyMatch(p -> p.path("Cid").asText().equals(direct)
        && p.path("Type").asText().startsWith("direct")), directs.toString());

    // pin/update keeps the old pin with unpin=false
    String next = addDirectory("next", 44);
    ok(rpc.post("/api/v0/pin/update?arg=" + root + "&arg=" + next + "&unpin=false", LONG));
    List<String> afterUpdate = lines(rpc.post("/api/v0/pin/ls?stream=true&type=recursive")).stream()
        .map(p -> p.path("Cid").asText()).toList();
    assertTrue(afterUpdate.contains(root) && afterUpdate.contains(next), afterUpdate.toString());

    // pin/rm, then the message cluster tolerates
    ok(rpc.post("/api/v0/pin/rm?arg=" + next));
    assertEquals("not pinned or pinned indirectly", message(rpc.post("/api/v0/pin/rm?arg=" + next)));

    // resolve a path below a pin
    JsonNode resolved = ok(rpc.post("/api/v0/resolve?arg=/ipfs/" + root + "/b.txt"));
    assertTrue(resolved.path("Path").asText().startsWith("/ipfs/"), resolved.toString());
    assertFalse(resolved.path("Path").asText().contains(root), resolved.toString());
  }

  @Test
  void adderBlocksGcAndFreeSpace() throws Exception {
    List<Block> kept = putBlocks(20, 100_000);
    List<Block> loose = putBlocks(30, 50_000);
    for (Block b : kept) {
      ok(rpc.post("/api/v0/pin/add?arg=" + b.cid() + "&recursive=false&progress=true", LONG));
    }
    // block/get returns the raw bytes
    HttpResponse<byte[]> got = rpc.postForBytes("/api/v0/block/get?arg=" + kept.get(0).cid());
    assertEquals(200, got.statusCode());
    assertTrue(Arrays.equals(kept.get(0).data(), got.body()));

    JsonNode sizes = ok(rpc.post("/api/v0/repo/stat?size-only=true"));
    assertTrue(sizes.path("RepoSize").asLong() >= 20L * 100_000 + 30L * 50_000, sizes.toString());
    assertTrue(sizes.path("StorageMax").asLong() > sizes.path("RepoSize").asLong(), sizes.toString());
    JsonNode config = ok(rpc.post("/api/v0/config/show"));
    assertFalse(config.path("Datastore").path("StorageMax").asText().isEmpty(), config.toString());

    List<JsonNode> removed = lines(rpc.post("/api/v0/repo/gc?stream-errors=true", LONG));
    List<String> keys = new ArrayList<>();
    for (JsonNode r : removed) {
      assertTrue(r.path("Error").asText("").isEmpty(), r.toString());
      keys.add(r.path("Key").path("/").asText());
    }
    for (Block b : loose) {
      assertTrue(keys.contains(b.cid().toString()), "GC kept the unpinned " + b.cid());
    }
    for (Block b : kept) {
      assertFalse(keys.contains(b.cid().toString()), "GC removed the pinned " + b.cid());
      assertEquals(200, rpc.postForBytes("/api/v0/block/get?arg=" + b.cid()).statusCode());
    }
  }

  @Test
  void prometheusMetricsAtKubosPathWithKubosNames() throws Exception {
    HttpResponse<String> r = rpc.send("GET", "/debug/metrics/prometheus");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
    for (String name : List.of("ipfs_bitswap_wantlist_total", "ipfs_bitswap_blocks_received", "ipfs_bitswap_pending_tasks",
        "ipfs_http_requests_total", "libp2p_rcmgr_connections", "cairn_blockstore_blocks")) {
      assertTrue(r.body().lines().anyMatch(l -> l.startsWith(name)), name + " missing from\n" + r.body());
    }
  }
}
