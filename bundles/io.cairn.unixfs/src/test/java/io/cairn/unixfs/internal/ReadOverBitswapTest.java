package io.cairn.unixfs.internal;

import io.cairn.testing.bitswap.PeerWithBlocks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.client.internal.BitswapExchange;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.testing.Components;
import io.cairn.unixfs.ImportOptions;
import io.cairn.unixfs.ImportProgress;
import io.cairn.unixfs.Importer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads of a DAG this node lacks, through the real bitswap client over a network of one peer that has it. */
class ReadOverBitswapTest {
  @Test
  void aFileAndAPathTheStoreLacksAreFetchedFromAPeer() throws Exception {
    byte[] data = UnixFsComponentTest.bytes(600_000, 21);
    List<Block> blocks = new ArrayList<>();
    Cid dir;
    try (Fixture source = new Fixture()) {
      Importer importer = source.unixfs.importer(ImportOptions.kubo().withChunker("size-65536"), ImportProgress.NONE);
      importer.addFile("d/f.bin", new ByteArrayInputStream(data));
      importer.finish();
      dir = importer.root().cid();
      source.unixfs.entityBlocks(dir, 0, -1, blocks::add);
      Cid file = source.unixfs.resolve(dir + "/f.bin").target();
      source.unixfs.entityBlocks(file, 0, -1, blocks::add);
    }
    assertEquals(1 + 1 + 10, blocks.size(), "the directory, the file root and its ten 64 KiB leaves");

    try (Fixture empty = new Fixture(); PeerWithBlocks peer = new PeerWithBlocks()) {
      blocks.forEach(b -> peer.blocks.put(b.cid(), b));
      Bitswap client = Components.createWith(Bitswap.class, "io.cairn.bitswap.client.internal.BitswapClientComponent",
          Map.of(), peer, empty.store, empty.log);
      try {
        Components.call(empty.blocks, "bindExchange", new BitswapExchange(client));
        Cid file = empty.unixfs.resolve("/ipfs/" + dir + "/f.bin").target();
        try (InputStream in = empty.unixfs.read(file, 100_000, 200_000)) {
          assertArrayEquals(Arrays.copyOfRange(data, 100_000, 300_000), in.readAllBytes());
        }
        // the client stored what it fetched: the leaves of the range were read
        assertTrue(empty.store.has(blocks.get(3).cid()).get());
        assertFalse(peer.received.stream().anyMatch(w -> w.cid().equals(blocks.get(2).cid())),
            "a leaf wholly before the offset is not fetched");
        assertFalse(peer.received.stream().anyMatch(w -> w.cid().equals(blocks.get(7).cid())),
            "nor one wholly after the range, read-ahead or not");
      } finally {
        Components.deactivate(client);
      }
    }
  }
}
