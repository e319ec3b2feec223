package io.cairn.unixfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsType;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UnixFsDataTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final io.cairn.multiformats.Cid CID = Block.raw(new byte[] {1}).cid();

  @Test
  void encodesAsGoUnixfs() {
    assertEquals("0801", HEX.formatHex(UnixFsData.directory().encode()));
    // empty file: Type File, no Data, filesize 0 (Kubo's QmbFMke1...)
    assertEquals("08021800", HEX.formatHex(UnixFsData.fileLeaf(new byte[0]).encode()));
    assertEquals("0802120161" + "1801", HEX.formatHex(UnixFsData.fileLeaf(new byte[] {'a'}).encode()));
    // internal node: Type, filesize, blocksizes unpacked
    assertEquals("0802" + "18808020" + "20808010" + "20808010",
        HEX.formatHex(UnixFsData.fileNode(new long[] {262144, 262144}).encode()));
  }

  @Test
  void decodesWhatItEncodesAndSkipsUnknownFields() throws UnixFsException {
    UnixFsData node = UnixFsData.fileNode(new long[] {5, 7});
    assertEquals(node, UnixFsData.decode(CID, node.encode(), 10));
    // field 7 (mode) and 8 (mtime, a message) are skipped
    UnixFsData withMeta = UnixFsData.decode(CID, HEX.parseHex("0801" + "38a403" + "42020801"), 10);
    assertEquals(UnixFsType.DIRECTORY, withMeta.type());
    // packed blocksizes are read too
    assertArrayEquals(new long[] {1, 2}, UnixFsData.decode(CID, HEX.parseHex("0802" + "22020102"), 10).blockSizes());
  }

  @Test
  void malformedDataIsAClearError() {
    // Data field declares 5 bytes, 1 present
    UnixFsException truncated = assertThrows(UnixFsException.class,
        () -> UnixFsData.decode(CID, HEX.parseHex("0802120561"), 10));
    assertTrue(truncated.getMessage().contains("truncated Data field"), truncated.getMessage());
    assertEquals(CID, truncated.cid());
    assertThrows(UnixFsException.class, () -> UnixFsData.decode(CID, HEX.parseHex("08"), 10));
    UnixFsException noType = assertThrows(UnixFsException.class, () -> UnixFsData.decode(CID, HEX.parseHex("1800"), 10));
    assertTrue(noType.getMessage().contains("Type field is missing"), noType.getMessage());
    assertThrows(UnixFsException.class, () -> UnixFsData.decode(CID, HEX.parseHex("0809"), 10));
    assertThrows(UnixFsException.class, () -> UnixFsData.decode(CID, HEX.parseHex("0a00"), 10));
    assertThrows(UnixFsException.class, () -> UnixFsData.decode(CID, null, 10));
    UnixFsException many = assertThrows(UnixFsException.class,
        () -> UnixFsData.decode(CID, HEX.parseHex("0802" + "2001".repeat(4)), 3));
    assertTrue(many.getMessage().contains("more than 3 blocksizes"), many.getMessage());
    // A filesize with bits past 64 (go-unixfs reads it with protowire, which refuses it).
    UnixFsException overflow = assertThrows(UnixFsException.class,
        () -> UnixFsData.decode(CID, HEX.parseHex("0802" + "18" + "ff".repeat(9) + "02"), 10));
    assertTrue(overflow.getMessage().contains("filesize: varint overflows 64 bits"), overflow.getMessage());
    UnixFsException cut = assertThrows(UnixFsException.class, () -> UnixFsData.decode(CID, HEX.parseHex("0802" + "18ff"), 10));
    assertTrue(cut.getMessage().contains("filesize: truncated varint"), cut.getMessage());
  }

  @Test
  void murmur3MatchesTheMultiformatsImplementation() {
    // from @multiformats/murmur3's murmur3X64_64 (what Helia's HAMT uses)
    assertEquals("0000000000000000", HEX.formatHex(Murmur3.hash64(new byte[0])));
    assertEquals("85555565f6597889", HEX.formatHex(Murmur3.hash64("a".getBytes())));
    assertEquals("cbd8a7b341bd9b02", HEX.formatHex(Murmur3.hash64("hello".getBytes())));
    assertEquals("c6b80999e8fbb598", HEX.formatHex(Murmur3.hash64("file-0001.txt".getBytes())));
    assertEquals("f2596f5eb4ff5e3a", HEX.formatHex(Murmur3.hash64("abcdefghijklmnopqrstuvwxyz0123456789".getBytes())));
  }
}
