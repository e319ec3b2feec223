package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.itests.TestBlocks.BlockSet;
import io.cairn.itests.TestBlocks.Kind;
import io.cairn.multiformats.Cid;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Java's test blocks are the ones helia-peer.mjs serves (and OpenSSL computes). */
class TestBlocksTest {
  @Test
  void rawBlockMatchesOpenSslKeystream() {
    // printf 'cairn-bench/1024' | sha256sum  -> key cf65584485d960007d3178ad9ee15be7
    // head -c 1024 /dev/zero | openssl enc -aes-128-ctr -K <key> -iv 00000000000000050000000000000000
    Block b = TestBlocks.block(new BlockSet(Kind.RAW, 1024, 6), 5);
    assertEquals(1024, b.size());
    assertEquals("9c838d5527a2036ec2850786300585a1", HexFormat.of().formatHex(Arrays.copyOf(b.data(), 16)));
    assertEquals("bafkreiglcr7fhl7ca3ak3lmwgu3joyy3drq6yevh5wre2wfcomvtddjhc4", b.cid().toString());
    assertTrue(b.verify());
  }

  @Test
  void dagPbBlockWrapsTheSameContentInAPbNodeUnderACidV0() {
    BlockSet set = new BlockSet(Kind.DAG_PB, 200, 3);
    Block b = TestBlocks.block(set, 2);
    assertEquals(3 + 200, b.size()); // 0x0a, uvarint(200) = c8 01, content
    assertArrayEquals(new byte[] {0x0a, (byte) 0xc8, 0x01}, Arrays.copyOf(b.data(), 3));
    assertArrayEquals(TestBlocks.block(new BlockSet(Kind.RAW, 200, 3), 2).data(), Arrays.copyOfRange(b.data(), 3, 203));
    assertEquals(0, b.cid().version());
    assertEquals("QmPUmJj5efDnWFwXjcszG6tsMsUKdPj7VL45nRdNcZyZto", b.cid().toString());
    assertTrue(b.verify());
  }

  @Test
  void setsListBlocksInIndexOrder() {
    BlockSet set = new BlockSet(Kind.RAW, 1024, 4);
    List<Cid> cids = set.cids();
    assertEquals(4, cids.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(TestBlocks.block(set, i).cid(), cids.get(i));
    }
    assertEquals(4, cids.stream().distinct().count());
  }

  @Test
  void badSetsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BlockSet(Kind.RAW, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new BlockSet(Kind.RAW, TestBlocks.MAX_BLOCK_SIZE + 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new BlockSet(Kind.DAG_PB, 1024, -1));
    assertThrows(IllegalArgumentException.class, () -> new BlockSet(null, 1024, 1));
  }

  @Test
  void heliaServesTheSameBlocksJavaComputes() throws Exception {
    // sizes around the dag-pb header's varint boundaries, and one 1 MiB set
    List<BlockSet> sets = List.of(
        new BlockSet(Kind.RAW, 1, 3),
        new BlockSet(Kind.RAW, 1024, 50),
        new BlockSet(Kind.DAG_PB, 127, 5),
        new BlockSet(Kind.DAG_PB, 128, 5),
        new BlockSet(Kind.DAG_PB, 1024, 50),
        new BlockSet(Kind.RAW, 1024 * 1024, 2));
    try (HeliaPeer helia = HeliaPeer.serve(sets, "--quiet", "--timeout", "120")) {
      HeliaPeer.Listening listening = helia.awaitListening(60);
      assertEquals(115, listening.blocks());
      assertEquals(TestBlocks.cidsSha256(TestBlocks.cids(sets)), listening.cidsSha256(), helia.describe());
      for (int i = 0; i < sets.size(); i++) {
        assertEquals(TestBlocks.cidsSha256(sets.get(i).cids()),
            listening.json().path("sets").path(i).path("cidsSha256").asText(), sets.get(i).toString());
      }
    }
  }
}
