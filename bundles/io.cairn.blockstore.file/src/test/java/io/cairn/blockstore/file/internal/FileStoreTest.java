package io.cairn.blockstore.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockTooLargeException;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.CorruptBlockException;
import io.cairn.blockstore.DiskSpaceLowException;
import io.cairn.compression.deflate.internal.DeflateCodec;
import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
  @TempDir
  Path dir;
  private final StoreFixture fixture = new StoreFixture();

  private static FileTierSettings settings(Path dir, int segmentBytes, long capacity, long minFree, boolean compress) {
    return new FileTierSettings("ssd", 100, dir, capacity, minFree, segmentBytes, 0.5, 3_600_000, compress, "deflate",
        5, 10, 4096, 2048);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    CompletionException e = assertThrows(CompletionException.class, f::join);
    return e.getCause();
  }

  private static void assertHolds(FileStore store, List<Block> blocks) throws BlockstoreException {
    for (Block b : blocks) {
      assertEquals(b, store.get(b.cid()), "block " + b.cid());
    }
  }

  @Test
  void putGetDeleteAndReopenCleanly() throws Exception {
    List<Block> blocks = StoreFixture.blocks(1, 200, 0, 5000);
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      store.putMany(blocks).join();
      assertHolds(store, blocks);
      Block first = blocks.getFirst();
      assertTrue(store.has(first.cid()));
      assertEquals(first.size(), store.size(first.cid()));
      assertTrue(store.delete(first.cid()).join());
      assertFalse(store.delete(first.cid()).join(), "a second delete finds nothing");
      assertFalse(store.has(first.cid()));
      assertInstanceOf(BlockNotFoundException.class, assertThrows(BlockstoreException.class, () -> store.get(first.cid())));
      assertEquals(199, store.stats().blocks());
    }
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      assertTrue(fixture.infos.stream().noneMatch(m -> m.startsWith("rebuilt")), "a clean close needs no rebuild");
      assertFalse(store.has(blocks.getFirst().cid()));
      assertHolds(store, blocks.subList(1, blocks.size()));
      assertEquals(199, store.stats().blocks());
      long expectedBytes = blocks.subList(1, blocks.size()).stream().mapToLong(Block::size).sum();
      assertEquals(expectedBytes, store.stats().blockBytes());
    }
  }

  @Test
  void aRepeatedPutIsIndexedOnceAndCountedOnce() throws Exception {
    Block b = Block.raw("twice".getBytes());
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      long empty = store.fileBytes();
      store.putMany(List.of(b, b)).join();
      long once = store.fileBytes();
      assertEquals(1, store.stats().blocks());
      assertTrue(once > empty);
      store.putMany(List.of(b)).join();
      store.awaitIndexed(); // the replaced record is uncounted once MapDB reports it
      assertEquals(1, store.stats().blocks());
      assertEquals(once - empty, store.stats().usedBytes(), "the replaced record is dead space, not used");
      assertEquals(b, store.get(b.cid()));
      assertEquals(b.size(), store.stats().blockBytes());
    }
  }

  @Test
  void withoutTheCleanMarkerTheIndexIsRebuiltFromTheSegments() throws Exception {
    List<Block> blocks = StoreFixture.blocks(2, 3000, 100, 2000);
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, 0, false))) {
      store.putMany(blocks).join();
      for (Block b : blocks.subList(0, 1000)) {
        store.delete(b.cid()).join();
      }
    }
    Files.delete(dir.resolve(BlockIndex.CLEAN_MARKER));
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, 0, false))) {
      assertTrue(fixture.infos.stream().anyMatch(m -> m.startsWith("rebuilt the index")), fixture.infos.toString());
      assertEquals(2000, store.stats().blocks());
      assertHolds(store, blocks.subList(1000, 3000));
      for (Block b : blocks.subList(0, 1000)) {
        assertFalse(store.has(b.cid()), "deleted before the crash, deleted after");
      }
      assertTrue(segments(dir).size() > 1, "the test spans several segments");
    }
  }

  @Test
  void aTornLastRecordIsDroppedAtEveryCutAndTheRestServed() throws Exception {
    // The last block is small so that cutting at each of its record's offsets stays quick.
    List<Block> blocks = new ArrayList<>(StoreFixture.blocks(3, 19, 10, 300));
    blocks.add(Block.raw("the last record".getBytes()));
    Path segment;
    long lastStart;
    long end;
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      store.putMany(blocks.subList(0, 19)).join();
      segment = segments(dir).getLast();
      lastStart = Files.size(segment);
      store.putMany(blocks.subList(19, 20)).join();
      end = Files.size(segment);
    }
    byte[] whole = Files.readAllBytes(segment);
    for (long cut = lastStart; cut < end; cut++) {
      Files.write(segment, java.util.Arrays.copyOf(whole, (int) cut));
      Files.deleteIfExists(dir.resolve(BlockIndex.CLEAN_MARKER));
      try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
        assertFalse(store.has(blocks.get(19).cid()), "cut at " + cut);
        assertHolds(store, blocks.subList(0, 19));
        assertEquals(lastStart, Files.size(segment), "the torn bytes are gone after the open, cut at " + cut);
      }
    }
  }

  @Test
  void aZeroFilledTailFromACrashIsDropped() throws Exception {
    List<Block> blocks = StoreFixture.blocks(4, 10, 10, 300);
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      store.putMany(blocks).join();
    }
    Path segment = segments(dir).getLast();
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8192), size); // a file extended by the file system but never written
    }
    Files.delete(dir.resolve(BlockIndex.CLEAN_MARKER));
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      assertHolds(store, blocks);
      assertEquals(size, Files.size(segment));
      Block more = Block.raw("after the repair".getBytes());
      store.putMany(List.of(more)).join();
      assertEquals(more, store.get(more.cid()));
    }
  }

  @Test
  void aDamagedPayloadIsRefusedAndTheOthersServed() throws Exception {
    List<Block> blocks = StoreFixture.blocks(5, 10, 500, 500);
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      store.putMany(blocks).join();
    }
    Path segment = segments(dir).getLast();
    byte[] bytes = Files.readAllBytes(segment);
    int victim = indexOf(bytes, blocks.get(3).data());
    bytes[victim + 100] ^= 0x40;
    Files.write(segment, bytes);
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      CorruptBlockException e = assertThrows(CorruptBlockException.class, () -> store.get(blocks.get(3).cid()));
      assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
      assertHolds(store, blocks.subList(4, 10));
      assertHolds(store, blocks.subList(0, 3));
    }
  }

  @Test
  void largeBlocksStreamAndAStreamedCorruptionFailsAtTheEnd() throws Exception {
    Block big = StoreFixture.blocks(6, 1, 300_000, 300_000).getFirst();
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      store.putMany(List.of(big)).join();
      try (InputStream in = store.getStream(big.cid())) {
        assertArrayEquals(big.data(), in.readAllBytes());
      }
    }
    Path segment = segments(dir).getLast();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[indexOf(bytes, java.util.Arrays.copyOf(big.data(), 64)) + 200_000] ^= 1;
    Files.write(segment, bytes);
    try (FileStore store = fixture.open(StoreFixture.settings(dir)); InputStream in = store.getStream(big.cid())) {
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertInstanceOf(CorruptBlockException.class, e.getCause());
      assertThrows(CorruptBlockException.class, () -> store.get(big.cid()), "a whole read of a large block checks too");
    }
  }

  @Test
  void compactionRewritesASparseSegmentAndDeletionsSurviveARebuild() throws Exception {
    List<Block> blocks = StoreFixture.blocks(7, 3000, 500, 1500);
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, 0, false))) {
      store.putMany(blocks).join();
      int first = segments(dir).stream().mapToInt(Segment::idOf).min().orElseThrow();
      for (int i = 0; i < 900; i++) {
        store.delete(blocks.get(i).cid()).join();
      }
      assertTrue(store.compactionCandidates().contains(first), store.compactionCandidates().toString());
      long before = store.fileBytes();
      store.compact(first).join();
      assertFalse(Files.exists(dir.resolve(Segment.fileName(first))), "the sparse segment is gone");
      assertTrue(store.fileBytes() < before);
      assertHolds(store, survivors(blocks));
    }
    Files.delete(dir.resolve(BlockIndex.CLEAN_MARKER));
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, 0, false))) {
      assertHolds(store, survivors(blocks));
      for (int i = 0; i < 900; i++) {
        assertFalse(store.has(blocks.get(i).cid()), "deleted block " + i + " came back after compaction and rebuild");
      }
    }
  }

  private static List<Block> survivors(List<Block> blocks) {
    return blocks.subList(900, blocks.size());
  }

  @Test
  void compressedRecordsNameTheirCodecAndStayReadableAfterTheSettingChanges() throws Exception {
    fixture.codecs.add(new DeflateCodec());
    List<Block> text = StoreFixture.textBlocks(50, 4000);
    List<Block> random = StoreFixture.blocks(8, 50, 4000, 4000);
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, 0, true))) {
      store.putMany(text).join();
      store.putMany(random).join();
      assertEquals(50, store.blocksWithCodec(1), "text compressed with deflate");
      assertEquals(50, store.blocksWithCodec(0), "random data stored raw: it does not shrink");
      assertTrue(store.stats().compressionRatio() < 0.75, "ratio " + store.stats().compressionRatio());
      store.apply(settings(dir, 1 << 20, 1L << 40, 0, false));
      assertHolds(store, text);
      assertHolds(store, random);
    }
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, 0, false))) {
      assertHolds(store, text);
      assertEquals(50, store.blocksWithCodec(1), "counts survive a clean close");
      assertEquals(50, store.reencode(fixture.codecs.getFirst()).join());
      assertEquals(0, store.blocksWithCodec(1));
      fixture.codecs.clear();
      assertHolds(store, text);
    }
  }

  @Test
  void aRecordWhoseCodecIsMissingFailsWithAClearError() throws Exception {
    fixture.codecs.add(new DeflateCodec());
    Block text = StoreFixture.textBlocks(1, 4000).getFirst();
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, 0, true))) {
      store.putMany(List.of(text)).join();
      fixture.codecs.clear();
      BlockstoreException e = assertThrows(BlockstoreException.class, () -> store.get(text.cid()));
      assertTrue(e.getMessage().contains("codec id 1"), e.getMessage());
    }
  }

  @Test
  void aMissingWriteCodecStoresRawAndSaysSo() throws Exception {
    List<Block> text = StoreFixture.textBlocks(3, 4000);
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, 0, true))) {
      store.putMany(text).join();
      assertHolds(store, text);
      assertEquals(3, store.blocksWithCodec(0));
      assertEquals(1, fixture.warnings.stream().filter(w -> w.contains("deflate is not installed")).count());
    }
  }

  @Test
  void capacityAndTheFreeSpaceFloorRefuseWritesButNotReads() throws Exception {
    List<Block> blocks = StoreFixture.blocks(9, 10, 150_000, 150_000);
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 20, 0, false))) {
      store.putMany(blocks.subList(0, 5)).join();
      Throwable full = failure(store.putMany(blocks.subList(5, 10)));
      assertInstanceOf(DiskSpaceLowException.class, full);
      assertTrue(full.getMessage().contains("capacityBytes"), full.getMessage());
      assertHolds(store, blocks.subList(0, 5));
      assertFalse(store.has(blocks.get(5).cid()), "nothing of a refused put is stored");
      assertTrue(store.delete(blocks.getFirst().cid()).join(), "deletes go on when full");
    }
    try (FileStore store = fixture.open(settings(dir, 1 << 20, 1L << 40, Long.MAX_VALUE / 2, false))) {
      Throwable low = failure(store.putMany(blocks.subList(5, 6)));
      assertInstanceOf(DiskSpaceLowException.class, low);
      assertTrue(low.getMessage().contains("minFreeBytes"), low.getMessage());
      assertHolds(store, blocks.subList(1, 5));
    }
  }

  @Test
  void oversizeBlocksAreRefusedBeforeTheyQueue() throws Exception {
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      Block huge = Block.raw(new byte[RecordFormat.MAX_PAYLOAD + 1]);
      assertInstanceOf(BlockTooLargeException.class, failure(store.putMany(List.of(huge))));
      assertFalse(store.has(huge.cid()));
    }
  }

  @Test
  void keysListLiveBlocksOldestFirst() throws Exception {
    List<Block> blocks = StoreFixture.blocks(10, 100, 10, 20);
    try (FileStore store = fixture.open(StoreFixture.settings(dir))) {
      for (Block b : blocks) {
        store.putMany(List.of(b)).join();
      }
      store.delete(blocks.get(50).cid()).join();
      List<Cid> expected = new ArrayList<>(blocks.stream().map(Block::cid).toList());
      expected.remove(50);
      try (Stream<Cid> keys = store.keys()) {
        assertEquals(expected, keys.toList());
      }
    }
  }

  @Test
  void concurrentWritersAndReadersSeeEveryAcknowledgedBlock() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (FileStore store = fixture.open(settings(dir, 4 << 20, 1L << 40, 0, false))) {
      List<Future<List<Block>>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        long seed = 100 + w;
        writers.add(pool.submit(() -> {
          List<Block> written = new ArrayList<>();
          for (int batch = 0; batch < 20; batch++) {
            List<Block> blocks = StoreFixture.blocks(seed * 1000 + batch, 50, 10, 3000);
            store.putMany(blocks).join();
            written.addAll(blocks);
            for (Block b : blocks) {
              if (!b.equals(store.get(b.cid()))) {
                throw new AssertionError("acknowledged block not readable: " + b.cid());
              }
            }
          }
          return written;
        }));
      }
      List<Block> all = new ArrayList<>();
      for (Future<List<Block>> f : writers) {
        all.addAll(f.get());
      }
      assertEquals(all.size(), store.stats().blocks());
      assertHolds(store, all);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aForeignFileInTheFolderStopsTheOpenWithItsName() throws Exception {
    Files.writeString(dir.resolve(Segment.fileName(1)), "this is not a segment at all");
    IOException e = assertThrows(IOException.class, () -> fixture.open(StoreFixture.settings(dir)));
    assertTrue(e.getMessage().contains(Segment.fileName(1)) && e.getMessage().contains("move it out"), e.getMessage());
  }

  static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> Segment.idOf(p) >= 0).sorted().toList();
    }
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
