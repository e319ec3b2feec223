package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile DAGs against a {@code bin/cairn daemon}: each gets a clear error, and nothing is pinned in
 * part. A link cycle (bytes that claim a CID they do not hash to, linking back to it), a node with
 * 100,000 links, a DAG deeper than the bound, a CAR cut inside a section, a HAMT with a bogus fanout.
 */
class BadDagIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LONG = Duration.ofSeconds(120);
  private static CairnProcess node;
  private static Rpc rpc;

  @BeforeAll
  static void start() throws Exception {
    node = CairnProcess.daemon(CairnOptions.tempDir("bad-dag"), "--swarm-address", "/ip4/127.0.0.1/tcp/0",
        "--gateway-address", "127.0.0.1:0");
    String base = node.awaitRpcBase(60);
    assertFalse(base.isEmpty(), node.output());
    rpc = new Rpc(base);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  // ---- dag-pb, UnixFS and CAR bytes, written out by hand (what a hostile peer would craft)

  private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
    out.write(number << 3 | 2);
    out.writeBytes(Varint.encode(bytes.length));
    out.writeBytes(bytes);
  }

  /** A dag-pb node: links (hash, optional name) in order, then data. */
  private static byte[] pbNode(List<Cid> links, List<String> names, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < links.size(); i++) {
      ByteArrayOutputStream link = new ByteArrayOutputStream();
      field(link, 1, links.get(i).toBytes());
      if (names != null) {
        field(link, 2, names.get(i).getBytes(StandardCharsets.UTF_8));
      }
      field(out, 2, link.toByteArray());
    }
    if (data != null) {
      field(out, 1, data);
    }
    return out.toByteArray();
  }

  private static Cid dagPb(byte[] node) {
    return Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, node));
  }

  private static byte[] car(Cid root, List<Map.Entry<Cid, byte[]>> sections) {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    byte[] cid = root.toBytes();
    header.write(0xa2);
    header.write(0x65);
    header.writeBytes("roots".getBytes(StandardCharsets.US_ASCII));
    header.write(0x81);
    header.write(0xd8);
    header.write(0x2a);
    header.write(0x58);
    header.write(cid.length + 1);
    header.write(0);
    header.writeBytes(cid);
    header.write(0x67);
    header.writeBytes("version".getBytes(StandardCharsets.US_ASCII));
    header.write(0x01);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Varint.encode(header.size()));
    out.writeBytes(header.toByteArray());
    for (Map.Entry<Cid, byte[]> s : sections) {
      byte[] c = s.getKey().toBytes();
      out.writeBytes(Varint.encode(c.length + s.getValue().length));
      out.writeBytes(c);
      out.writeBytes(s.getValue());
    }
    return out.toByteArray();
  }

  private static String message(HttpResponse<String> r) throws Exception {
    assertTrue(r.statusCode() == 500 || r.statusCode() == 400, r.statusCode() + " " + r.body());
    return JSON.readTree(r.body()).path("Message").asText();
  }

  /** The pin/add error, whether it came as an error answer or in the stream's trailer line. */
  private static String pinError(String cid) throws Exception {
    HttpResponse<String> r = rpc.post("/api/v0/pin/add?arg=" + cid + "&recursive=true&timeout=20s", LONG);
    if (r.statusCode() != 200) {
      return message(r);
    }
    String error = r.headers().firstValue("X-Stream-Error").orElse("");
    assertFalse(error.isEmpty(), "pin/add of a hostile DAG succeeded: " + r.body());
    return error;
  }

  private static void assertNotPinned(Cid cid) throws Exception {
    String m = message(rpc.post("/api/v0/pin/ls?arg=" + cid + "&type=all&stream=true"));
    assertTrue(m.endsWith("not pinned"), m);
  }

  private static void put(List<byte[]> blocks, String codec) throws Exception {
    List<Map.Entry<String, byte[]>> parts = new ArrayList<>();
    blocks.forEach(b -> parts.add(Map.entry("", b)));
    HttpResponse<String> r = rpc.postMultipart("/api/v0/block/put?cid-codec=" + codec + "&allow-big-block=true", parts, LONG);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(blocks.size(), r.body().lines().filter(l -> !l.isBlank()).count(), r.body());
  }

  // ---- the attacks

  @Test
  void aLinkCycleMadeOfWrongHashBytesIsRefused() throws Exception {
    // x links to y; a hostile CAR sends y's CID with bytes that link back to x (which cannot hash to y)
    byte[] leaf = "leaf".getBytes(StandardCharsets.UTF_8);
    Cid y = dagPb(pbNode(List.of(), null, leaf));
    byte[] x = pbNode(List.of(y), null, null);
    Cid xCid = dagPb(x);
    byte[] forgedY = pbNode(List.of(xCid), null, null);
    HttpResponse<String> r = rpc.postMultipart("/api/v0/dag/import",
        List.of(Map.entry("cycle.car", car(xCid, List.of(Map.entry(xCid, x), Map.entry(y, forgedY))))), LONG);
    String error = r.statusCode() == 200 ? r.headers().firstValue("X-Stream-Error").orElse("") : message(r);
    assertTrue(error.contains(y.toString()) || error.toLowerCase().contains("hash"), error + " / " + r.body());
    assertNotPinned(xCid);
    // nobody has y, so pinning x must not loop or hang: it fails within its timeout
    assertFalse(pinError(xCid.toString()).isEmpty());
    assertNotPinned(xCid);
  }

  @Test
  void aNodeWithAHundredThousandLinksIsRefused() throws Exception {
    // identity CIDs of empty content keep 100,000 links under a megabyte
    Cid empty = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), new byte[0]));
    byte[] wide = pbNode(java.util.Collections.nCopies(100_000, empty), null, null);
    put(List.of(wide), "dag-pb");
    Cid cid = dagPb(wide);
    String error = pinError(cid.toString());
    assertTrue(error.contains("links"), error);
    assertNotPinned(cid);
  }

  @Test
  void aDagDeeperThanTheBoundIsRefused() throws Exception {
    List<byte[]> chain = new ArrayList<>();
    Cid below = null;
    for (int i = 0; i < 4200; i++) {
      byte[] n = pbNode(below == null ? List.of() : List.of(below), null, ("level " + i).getBytes(StandardCharsets.UTF_8));
      chain.add(n);
      below = dagPb(n);
    }
    put(chain, "dag-pb");
    String error = pinError(below.toString());
    assertTrue(error.contains("deep") || error.contains("depth"), error);
    assertNotPinned(below);
  }

  @Test
  void aCarCutInsideASectionImportsNothingPinned() throws Exception {
    byte[] a = "block a of the truncated car".getBytes(StandardCharsets.UTF_8);
    Cid aCid = Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, a));
    byte[] whole = car(aCid, List.of(Map.entry(aCid, a)));
    byte[] cut = Arrays.copyOf(whole, whole.length - 5);
    HttpResponse<String> r = rpc.postMultipart("/api/v0/dag/import", List.of(Map.entry("cut.car", cut)), LONG);
    String error = r.statusCode() == 200 ? r.headers().firstValue("X-Stream-Error").orElse("") : message(r);
    assertTrue(error.toLowerCase().contains("truncated") || error.toLowerCase().contains("unexpected end"), error + " / " + r.body());
    assertNotPinned(aCid);
  }

  @Test
  void aHamtWithABogusFanoutIsAClearError() throws Exception {
    // UnixFS Data: Type = HAMTShard (5), Data = empty bitfield, hashType = murmur3 (0x22), fanout = 1000
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.write(0x08);
    data.write(5);
    field(data, 2, new byte[] {0});
    data.write(0x28); // field 5, hashType
    data.writeBytes(Varint.encode(0x22));
    data.write(0x30); // field 6, fanout
    data.writeBytes(Varint.encode(1000));
    byte[] file = "inside".getBytes(StandardCharsets.UTF_8);
    Cid fileCid = Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, file));
    byte[] shard = pbNode(List.of(fileCid), List.of("00inside"), data.toByteArray());
    put(List.of(file), "raw");
    put(List.of(shard), "dag-pb");
    Cid shardCid = dagPb(shard);
    String ls = message(rpc.post("/api/v0/ls?arg=" + shardCid, LONG));
    assertTrue(ls.contains("fanout"), ls);
    String resolve = message(rpc.post("/api/v0/resolve?arg=/ipfs/" + shardCid + "/inside", LONG));
    assertTrue(resolve.contains("fanout"), resolve);
    JsonNode id = JSON.readTree(rpc.post("/api/v0/id").body());
    assertFalse(id.path("ID").asText().isEmpty(), "the node still answers");
  }
}
