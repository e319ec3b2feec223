package io.cairn.blockstore.commands.internal;

import static io.cairn.testing.TestRpc.multipart;
import static io.cairn.testing.TestRpc.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.rpc.RpcException;
import io.cairn.testing.TestRpc;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands over the real tiered store with a real file tier under the memory tier. */
class FileTierCommandsTest {
  private static final long CAPACITY = 64L << 20;

  @TempDir
  Path dir;

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void putLandsDurablyInTheFileTierAndGetStreamsItBack() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      BlockTier ssd = s.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), CAPACITY);
      byte[] a = bytes(1 << 20, 1);
      byte[] b = bytes(10, 2);
      TestRpc.Response put = new TestRpc.Response();
      assertNull(run(new BlockCommands.Put(s.store), new TestRpc.Request().body(multipart(a, b)), put));
      assertEquals(2, put.lines.size());
      assertTrue(ssd.has(Block.raw(a).cid()).join() && ssd.has(Block.raw(b).cid()).join(), "in the persistent tier");
      assertFalse(s.memory.has(Block.raw(a).cid()).join());

      TestRpc.Response get = new TestRpc.Response();
      assertNull(run(s.get(), new TestRpc.Request().arg(Block.raw(a).cid().toString()), get));
      assertArrayEquals(a, get.stream.toByteArray());

      TestRpc.Response stat = new TestRpc.Response();
      assertNull(run(new BlockCommands.RepoStat(s.store, RealStore.node(dir)), new TestRpc.Request(), stat));
      Map<?, ?> m = (Map<?, ?>) stat.json;
      assertEquals(2L, ((Number) m.get("NumObjects")).longValue());
      assertEquals(CAPACITY, ((Number) m.get("StorageMax")).longValue(), "the persistent tiers' capacity");
      assertTrue(((Number) m.get("RepoSize")).longValue() > a.length, m.toString());

      TestRpc.Response rm = new TestRpc.Response();
      assertNull(run(new BlockCommands.Rm(s.store), new TestRpc.Request().arg(Block.raw(a).cid().toString()), rm));
      assertEquals(List.of(Map.of("Hash", Block.raw(a).cid().toString())), rm.lines);
      assertFalse(ssd.has(Block.raw(a).cid()).join());
    }
  }

  @Test
  void aBlockCorruptedOnDiskIsNeverServed() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      BlockTier ssd = s.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), CAPACITY);
      byte[] data = bytes(100_000, 3);
      Block block = Block.raw(data);
      s.store.put(block).join();
      // Flip one byte in the middle of the block's record (the only large record in the segment files).
      Path segment;
      try (Stream<Path> files = Files.walk(dir.resolve("ssd"))) {
        segment = files.filter(Files::isRegularFile).filter(p -> {
          try {
            return Files.size(p) > data.length;
          } catch (java.io.IOException e) {
            return false;
          }
        }).findFirst().orElseThrow();
      }
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        long at = ch.size() / 2;
        ch.read(one, at);
        one.put(0, (byte) (one.get(0) ^ 0x55)).rewind();
        ch.write(one, at);
      }
      TestRpc.Response get = new TestRpc.Response();
      RpcException e = run(s.get(), new TestRpc.Request().arg(block.cid().toString()), get);
      assertNotNull(e, "a corrupt block must fail the answer");
      assertEquals(RpcException.Code.NORMAL, e.code());
      assertFalse(java.util.Arrays.equals(data, get.stream.toByteArray()), "never the whole block as if intact");
      assertTrue(ssd.has(block.cid()).join());
    }
  }
}
