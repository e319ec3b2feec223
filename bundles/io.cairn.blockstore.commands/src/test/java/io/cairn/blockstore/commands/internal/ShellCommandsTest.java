package io.cairn.blockstore.commands.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellCommandsTest {
  @TempDir
  Path dir;

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void putGetStatRmRoundTrip() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      BlockShellCommands block = new BlockShellCommands(s.store, s.blocks);
      byte[] data = bytes(70_000, 1);
      Path in = Files.write(dir.resolve("in.bin"), data);
      String cid = block.put(in.toString());
      assertEquals(Block.raw(data).cid().toString(), cid);

      Path out = dir.resolve("out.bin");
      assertEquals("wrote 70000 bytes to " + out, block.get(cid, out.toString()));
      assertArrayEquals(data, Files.readAllBytes(out));
      assertEquals("Key: " + cid + "\nSize: 70000\n", block.stat(cid));

      assertEquals("removed " + cid + "\n", block.rm(cid));
      assertTrue(block.rm(cid).startsWith("cannot remove " + cid + ": ipld: could not find"));
      IOException missing = assertThrows(IOException.class, () -> block.stat(cid));
      assertTrue(missing.getMessage().startsWith("block was not found locally"), missing.getMessage());
      assertThrows(IllegalArgumentException.class, () -> block.stat("garbage"));
      assertThrows(IllegalArgumentException.class, () -> block.rm());
    }
  }

  @Test
  void putRefusesAFileOverTheMaximumAndStoresNothing() throws Exception {
    try (RealStore s = new RealStore(Map.of("maxBlockSize", 2048))) {
      Path in = Files.write(dir.resolve("big.bin"), bytes(2049, 2));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new BlockShellCommands(s.store, s.blocks).put(in.toString()));
      assertTrue(e.getMessage().contains("over the maximum block size of 2048"), e.getMessage());
      assertEquals(0, s.storedBlocks());
    }
  }

  @Test
  void tiersListsEachTierInReadOrderAndStatsSummarises() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      BlockTier slow = s.memoryTier("slow-memory", 50, 1 << 20);
      BlockstoreShellCommands shell = new BlockstoreShellCommands(s.store);
      shell.bindTier(s.memory, s.properties(BlockTier.MEMORY, 0));
      shell.bindTier(slow, s.properties("slow-memory", 50));
      Block b = Block.raw(bytes(5000, 3));
      s.store.put(b).join();
      s.store.get(b.cid()).join();
      s.settle();

      String[] lines = shell.tiers().split("\n");
      assertEquals(3, lines.length, String.join("\n", lines));
      assertTrue(lines[0].startsWith("TIER"));
      assertTrue(lines[1].matches("memory\\s+0\\s+no\\s+1\\s+5160\\s+5000\\s+67108864\\s+100\\.0%"), lines[1]);
      assertTrue(lines[2].matches("slow-memory\\s+50\\s+no\\s+0\\s+0\\s+0\\s+1048576\\s+0\\.0%"), lines[2]);

      String stats = shell.stats();
      assertTrue(stats.contains("Blocks             1"), stats);
      assertTrue(stats.contains("Cache hit rate     100.0%"), stats);
      shell.unbindTier(slow);
      assertFalse(shell.tiers().contains("slow-memory"));
    }
  }
}
