package io.cairn.dag.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dag.DagException;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Link reading per codec. The ipld/codec-fixtures hold each data-model value in dag-cbor and dag-json (and the
 * dag-pb fixtures in dag-pb too): the two readers, written independently, must find the same links in the
 * same order in every fixture, and the CID fixtures must yield links at all. Then malformed input of each
 * kind the readers refuse.
 */
class LinkReaderTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Cid LEAF = Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, new byte[] {1}));
  private static final Cid CBOR = Cid.v1(Multicodec.DAG_CBOR, Multihash.digest(Multicodec.SHA2_256, new byte[] {2}));
  private static final Cid JSON = Cid.v1(Multicodec.DAG_JSON, Multihash.digest(Multicodec.SHA2_256, new byte[] {3}));

  static Stream<Path> fixtureDirs() throws Exception {
    Path root = Path.of(LinkReaderTest.class.getResource("/codec-fixtures").toURI());
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> list = Files.list(root)) {
      list.filter(Files::isDirectory).sorted().forEach(dirs::add);
    }
    assertTrue(dirs.size() >= 128, "the fixtures of ipld/codec-fixtures are there");
    return dirs.stream();
  }

  /** The fixture's files by codec extension, each checked to hash to the CID it is named by. */
  private static Map<String, Cid> files(Path dir, Map<String, byte[]> bytes) throws Exception {
    Map<String, Cid> cids = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.toList()) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        Cid cid = Cid.parse(name.substring(0, dot));
        byte[] data = Files.readAllBytes(file);
        assertTrue(cid.multihash().verify(data), file + " is intact");
        cids.put(name.substring(dot + 1), cid);
        bytes.put(name.substring(dot + 1), data);
      }
    }
    return cids;
  }

  @ParameterizedTest
  @MethodSource("fixtureDirs")
  void everyCodecOfAFixtureHasTheSameLinks(Path dir) throws Exception {
    Map<String, byte[]> bytes = new TreeMap<>();
    Map<String, Cid> cids = files(dir, bytes);
    List<Cid> fromCbor = LinkReader.links(cids.get("dag-cbor"), bytes.get("dag-cbor"), 1000);
    List<Cid> fromJson = LinkReader.links(cids.get("dag-json"), bytes.get("dag-json"), 1000);
    // The codecs sort map keys differently (dag-cbor length first, dag-json bytewise): the same links, in
    // their own encoding's order.
    assertEquals(sorted(fromCbor), sorted(fromJson));
    if (cids.containsKey("dag-pb")) {
      // dag-pb's Links is a list: the same order in all three.
      assertEquals(fromCbor, LinkReader.links(cids.get("dag-pb"), bytes.get("dag-pb"), 1000));
      assertEquals(fromCbor, fromJson);
    }
    String name = dir.getFileName().toString();
    if (name.startsWith("cid-") || name.contains("link")) {
      assertFalse(fromCbor.isEmpty(), name + " has links");
    }
  }

  private static List<String> sorted(List<Cid> cids) {
    return cids.stream().map(Cid::toString).sorted().toList();
  }

  @Test
  void cidMapHoldsEachLinkInOrder() throws Exception {
    Path dir = Path.of(LinkReaderTest.class.getResource("/codec-fixtures/cid-mapof").toURI());
    Map<String, byte[]> bytes = new TreeMap<>();
    Map<String, Cid> cids = files(dir, bytes);
    List<Cid> links = LinkReader.links(cids.get("dag-json"), bytes.get("dag-json"), 1000);
    assertEquals(16, links.size());
    assertEquals(Cid.parse("QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY"), links.get(0));
    assertEquals(Cid.parse("bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae"), links.get(15));
    assertThrows(DagException.class, () -> LinkReader.links(cids.get("dag-json"), bytes.get("dag-json"), 15));
    assertThrows(DagException.class, () -> LinkReader.links(cids.get("dag-cbor"), bytes.get("dag-cbor"), 15));
  }

  @Test
  void rawHasNoLinksAndOtherCodecsAreRefused() throws Exception {
    assertEquals(List.of(), LinkReader.links(LEAF, new byte[] {1, 2, 3}, 10));
    Cid json = Cid.v1(Multicodec.JSON, Multihash.digest(Multicodec.SHA2_256, new byte[0]));
    DagException e = assertThrows(DagException.class, () -> LinkReader.links(json, new byte[0], 10));
    assertEquals(json, e.cid());
    assertTrue(e.getMessage().contains("json"), e.getMessage());
    assertTrue(LinkReader.supports(Multicodec.DAG_JSON.code()));
    assertFalse(LinkReader.supports(Multicodec.JSON.code()));
  }

  @Test
  void dagPbNodeOfTooManyLinksIsRefused() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] link = DagPb.encode(new PbNode(List.of(new PbLink(LEAF, "", 1L)), null));
    for (int i = 0; i < 100_000; i++) {
      out.writeBytes(link);
    }
    Cid cid = Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, out.toByteArray()));
    DagException e = assertThrows(DagException.class, () -> LinkReader.links(cid, out.toByteArray(), 50_000));
    assertEquals(cid, e.cid());
    assertTrue(e.getMessage().contains("more than 50000 links"), e.getMessage());
  }

  @Test
  void cborLinkIsTag42OverZeroAndCidBytes() throws Exception {
    String link = "d82a58" + String.format("%02x", LEAF.toBytes().length + 1) + "00" + HEX.formatHex(LEAF.toBytes());
    // {"a": [link, 1.5, null], "b": h'0102'}
    byte[] map = HEX.parseHex("a2" + "6161" + "83" + link + "f93e00" + "f6" + "6162" + "420102");
    assertEquals(List.of(LEAF), LinkReader.links(CBOR, map, 10));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", // nothing
      "9f00ff", // indefinite-length array
      "5f4100ff", // indefinite-length byte string
      "1c", // reserved additional information
      "c100", // tag 1
      "d82a00", // tag 42 over an integer
      "d82a4101", // tag 42 over bytes not starting 0x00
      "d82a4100", // tag 42 over 0x00 and no CID
      "d82a43000102", // tag 42 over a CID that is not one
      "a10000", // map key that is not a string
      "9bffffffffffffffff", // array count far past the end
      "5a7fffffff00", // byte string length far past the end
      "8200", // array short of an item
      "0000", // bytes after the item
      "f7", // undefined
      "f820", // simple value in the extension byte
      "19ff", // truncated integer
  })
  void malformedCborIsRefused(String hex) {
    DagException e = assertThrows(DagException.class, () -> LinkReader.links(CBOR, HEX.parseHex(hex), 10));
    assertEquals(CBOR, e.cid());
  }

  @Test
  void cborNestingIsBounded() throws Exception {
    byte[] ok = new byte[DagCborLinks.MAX_NESTING + 1];
    java.util.Arrays.fill(ok, 0, ok.length - 1, (byte) 0x81);
    assertEquals(List.of(), LinkReader.links(CBOR, ok, 10));
    byte[] deep = new byte[DagCborLinks.MAX_NESTING + 2];
    java.util.Arrays.fill(deep, 0, deep.length - 1, (byte) 0x81);
    assertThrows(DagException.class, () -> LinkReader.links(CBOR, deep, 10));
  }

  @Test
  void jsonLinkIsAMapOfExactlySlash() throws Exception {
    String cid = LEAF.toString();
    assertEquals(List.of(LEAF, LEAF), json("[{\"/\":\"" + cid + "\"}, {\"a\": { \"/\" : \"" + cid + "\" } }]"));
    assertEquals(List.of(), json("{\"/\": {\"bytes\": \"AQID\"}}"), "bytes, not a link");
    assertEquals(List.of(), json("{\"/\": \"" + cid + "\", \"x\": 1}"), "two keys: a map");
    assertEquals(List.of(), json("{\"x\": 1, \"/\": \"" + cid + "\"}"), "two keys: a map");
    assertEquals(List.of(), json("{\"\\/\": 1}"));
    assertEquals(List.of(LEAF), json("{\"\\u002f\": \"" + cid + "\"}"), "an escaped slash is a slash");
    assertEquals(List.of(), json(" [ -0.5e+10 , 0, 12.25, true, false, null, \"\\u00e9\\n\", {}, [] ] "));
  }

  private static List<Cid> json(String text) throws DagException {
    return LinkReader.links(JSON, text.getBytes(StandardCharsets.UTF_8), 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{1:2}", "01", "1.", "-", "1e", "tru", "nul",
      "\"abc", "\"\\x\"", "\"\\u12\"", "\"a\u0001\"", "[1] x", "{\"/\": \"not a cid\"}", "[", "]", "{\"a\":}",
      "NaN", "'a'", "[1]//",
  })
  void malformedJsonIsRefused(String text) {
    DagException e = assertThrows(DagException.class, () -> json(text));
    assertEquals(JSON, e.cid());
  }

  @Test
  void jsonNestingIsBounded() throws Exception {
    int n = DagJsonLinks.MAX_NESTING;
    assertEquals(List.of(), json("[".repeat(n) + "1" + "]".repeat(n)));
    assertThrows(DagException.class, () -> json("[".repeat(n + 1) + "1" + "]".repeat(n + 1)));
    assertThrows(DagException.class, () -> json("{\"a\":".repeat(n + 1) + "1" + "}".repeat(n + 1)));
  }
}
