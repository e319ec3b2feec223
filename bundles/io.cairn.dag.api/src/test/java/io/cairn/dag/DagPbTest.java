package io.cairn.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dag-pb codec against the ipld/codec-fixtures dag-pb fixtures (positive: decode, re-encode to the
 * same bytes, the same CID; negative: the decode edge cases), Kubo's own bytes for known UnixFS nodes, and
 * malformed input of every kind the decoder refuses.
 */
class DagPbTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Cid LEAF = Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, new byte[] {1}));

  static Stream<Path> fixtures() throws IOException, URISyntaxException {
    Path root = Path.of(DagPbTest.class.getResource("/codec-fixtures").toURI());
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> p.toString().endsWith(".dag-pb")).sorted().forEach(files::add);
    }
    assertEquals(17, files.size(), "the 17 dag-pb fixtures of ipld/codec-fixtures");
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void fixtureDecodesAndReencodesToTheSameBytesAndCid(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    String name = file.getFileName().toString();
    Cid expected = Cid.parse(name.substring(0, name.length() - ".dag-pb".length()));
    Cid cid = Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, bytes));
    assertEquals(expected, cid, "fixture file " + file + " is intact");

    PbNode node = DagPb.decode(cid, bytes, 1000);
    byte[] encoded = DagPb.encode(node);
    assertArrayEquals(bytes, encoded);
    assertEquals(node, DagPb.decode(cid, encoded, 1000));
  }

  @Test
  void fixtureFieldsAreReadWithPresenceKept() throws Exception {
    PbNode empty = fixture("dagpb_empty");
    assertTrue(empty.links().isEmpty());
    assertNull(empty.data());

    PbNode dataZero = fixture("dagpb_Data_zero");
    assertArrayEquals(new byte[0], dataZero.data());

    PbNode hashOnly = fixture("dagpb_Links_Hash_some");
    assertEquals(1, hashOnly.links().size());
    assertNull(hashOnly.links().get(0).name());
    assertNull(hashOnly.links().get(0).tsize());

    assertEquals("", fixture("dagpb_Links_Hash_some_Name_zero").links().get(0).name());
    assertEquals(0L, fixture("dagpb_Links_Hash_some_Tsize_zero").links().get(0).tsize());

    PbNode named = fixture("dagpb_4namedlinks+data");
    assertEquals(List.of("audio_only.m4a", "chat.txt", "playback.m3u", "zoom_0.mp4"),
        named.links().stream().map(PbLink::name).toList());
    assertArrayEquals(new byte[] {8, 1}, named.data());

    assertEquals(11, fixture("dagpb_11unnamedlinks+data").links().size());
  }

  private static PbNode fixture(String name) throws Exception {
    Path dir = Path.of(DagPbTest.class.getResource("/codec-fixtures/" + name).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      Path file = files.filter(p -> p.toString().endsWith(".dag-pb")).findFirst().orElseThrow();
      return DagPb.decode(null, Files.readAllBytes(file), 1000);
    }
  }

  static Stream<String> negativeFixtures() throws Exception {
    String json = Files.readString(Path.of(DagPbTest.class.getResource("/codec-fixtures/negative-decode-edges.json")
        .toURI()));
    Matcher m = Pattern.compile("\"hex\":\\s*\"([0-9a-f]*)\"").matcher(json);
    List<String> hex = new ArrayList<>();
    while (m.find()) {
      hex.add(m.group(1));
    }
    assertEquals(9, hex.size());
    return hex.stream();
  }

  @ParameterizedTest
  @MethodSource("negativeFixtures")
  void negativeFixtureIsRefused(String hex) {
    assertThrows(DagException.class, () -> DagPb.decode(null, HEX.parseHex(hex), 1000));
  }

  @Test
  void encodesKuboEmptyDirectoryAndEmptyFileToTheirKnownCids() throws Exception {
    // UnixFS Directory and an empty File as Kubo writes them: Data only, no links.
    assertEquals("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn",
        v0(DagPb.encode(new PbNode(List.of(), new byte[] {8, 1}))).toString());
    assertEquals("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
        v0(DagPb.encode(new PbNode(List.of(), new byte[] {8, 2, 0x18, 0}))).toString());
  }

  @Test
  void roundTripsKuboShapedNodes() throws Exception {
    List<PbLink> links = new ArrayList<>();
    for (int i = 0; i < 174; i++) {
      links.add(new PbLink(LEAF, "", 262158L));
    }
    links.add(new PbLink(LEAF, "\u00e9t\u00e9 \uD83D\uDE00.txt", 0L));
    links.add(new PbLink(LEAF, null, -1L));
    links.add(new PbLink(Cid.v0(Multihash.digest(Multicodec.SHA2_256, new byte[] {2})), "v0", null));
    PbNode node = new PbNode(links, new byte[300]);
    byte[] bytes = DagPb.encode(node);
    assertEquals(node, DagPb.decode(null, bytes, 1000));
    assertArrayEquals(bytes, DagPb.encode(DagPb.decode(null, bytes, 1000)));
    assertEquals(-1L, DagPb.decode(null, bytes, 1000).links().get(175).tsize(), "uint64 max kept as its bits");
  }

  @Test
  void linkCountIsBoundedBeforeTheListGrows() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] link = DagPb.encode(new PbNode(List.of(new PbLink(LEAF, "", 1L)), null));
    for (int i = 0; i < 100_000; i++) {
      out.writeBytes(link);
    }
    byte[] bytes = out.toByteArray();
    DagException e = assertThrows(DagException.class, () -> DagPb.decode(LEAF, bytes, 50_000));
    assertTrue(e.getMessage().contains("more than 50000 links"), e.getMessage());
    assertEquals(LEAF, e.cid());
    assertEquals(100_000, DagPb.decode(null, bytes, 100_000).links().size());
    assertThrows(IllegalArgumentException.class, () -> DagPb.decode(null, bytes, -1));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "1a00", // node field 3
      "0800", // Data with the varint wire type
      "0a00" + "0a00", // Data twice
      "0a0101" + "1200", // Links after Data (even an empty link)
      "0a05010203", // Data length past the end
      "0affffffff0f", // Data length of 4 GiB: refused before any allocation
      "0a8080808080808080808001", // varint longer than 64 bits
      "0a", // key without a value
      "0a80", // truncated length varint
      "1202" + "0a00", // empty Hash
      "1205" + "0a03010203", // Hash that is not a CID
      "1202" + "1800", // Tsize without Hash
      "1204" + "1200" + "0a00", // Name before Hash
      "1203" + "0a0101", // Hash length past the link's end
      "120c" + "1a0a01551206000000000000", // unknown link field 3 with bytes wire
      "1202" + "2000", // unknown link field 4
  })
  void malformedNodeIsRefused(String hex) {
    DagException e = assertThrows(DagException.class, () -> DagPb.decode(LEAF, HEX.parseHex(hex), 10));
    assertEquals(LEAF, e.cid());
    assertTrue(e.getMessage().contains(LEAF.toString()), e.getMessage());
    DagException links = assertThrows(DagException.class, () -> DagPb.links(LEAF, HEX.parseHex(hex), 10));
    assertEquals(e.getMessage(), links.getMessage(), "links() checks the node as strictly as decode()");
  }

  @Test
  void malformedLinkFieldsAreRefused() {
    String hash = "0a" + String.format("%02x", LEAF.toBytes().length) + HEX.formatHex(LEAF.toBytes());
    for (String linkHex : List.of(
        hash + hash, // Hash twice
        hash + "1200" + "1200", // Name twice
        hash + "1801" + "1801", // Tsize twice
        hash + "1801" + "1200", // Name after Tsize
        hash + "1a00", // Tsize with the bytes wire type
        hash + "1001", // Name with the varint wire type
        hash + "1202c328", // Name that is not UTF-8
        hash + "18ffffffffffffffffff02")) { // Tsize over 64 bits
      byte[] link = HEX.parseHex(linkHex);
      byte[] node = new byte[2 + link.length];
      node[0] = 0x12;
      node[1] = (byte) link.length;
      System.arraycopy(link, 0, node, 2, link.length);
      assertThrows(DagException.class, () -> DagPb.decode(null, node, 10), linkHex);
    }
  }

  @Test
  void encodeRefusesANameThatIsNotUnicode() {
    PbNode node = new PbNode(List.of(new PbLink(LEAF, "\uD800", null)), null);
    assertThrows(IllegalArgumentException.class, () -> DagPb.encode(node));
  }

  @Test
  void namesAreUtf8OnTheWire() throws Exception {
    byte[] bytes = DagPb.encode(new PbNode(List.of(new PbLink(LEAF, "\u00e9", null)), null));
    byte[] name = "\u00e9".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(name, java.util.Arrays.copyOfRange(bytes, bytes.length - name.length, bytes.length));
  }

  private static Cid v0(byte[] bytes) {
    return Cid.v0(Multihash.digest(Multicodec.SHA2_256, bytes));
  }
}
