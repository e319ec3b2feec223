package io.cairn.blockstore.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.DiskSpaceLowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real, small file system: a 48 MiB tmpfs mounted for the test. Where the machine does not let a
 * test mount one (not root, or no mount permission in a container), the tests are skipped and say so.
 */
class FullDiskTest {
  private static final long MIB = 1 << 20;
  @TempDir
  Path temp;
  private Path mount;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    mount = Files.createDirectories(temp.resolve("small"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    boolean mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    Assumptions.assumeTrue(mounted, "cannot mount a 48 MiB tmpfs here (" + out.strip()
        + "); the full-disk tests need a real small file system");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      new ProcessBuilder("umount", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static FileTierSettings settings(Path dir, long minFree) {
    return new FileTierSettings("ssd", 100, dir, 1L << 40, minFree, 4 << 20, 0.5, 3_600_000, false, "lz4", 1, 10, 4096, 2048);
  }

  /** Puts batches until one fails; the blocks acknowledged before it. */
  private static List<Block> fillUntilRefused(FileStore store, List<Throwable> failure) {
    List<Block> stored = new ArrayList<>();
    for (int batch = 0; batch < 1000; batch++) {
      List<Block> blocks = StoreFixture.blocks(batch, 64, 8000, 8000);
      try {
        store.putMany(blocks).join();
        stored.addAll(blocks);
      } catch (CompletionException e) {
        failure.add(e.getCause());
        return stored;
      }
    }
    throw new AssertionError("48 MiB never filled");
  }

  @Test
  void belowTheFreeSpaceFloorWritesFailAndReadsGoOn() throws Exception {
    StoreFixture fixture = new StoreFixture();
    List<Throwable> failure = new ArrayList<>();
    List<Block> stored;
    try (FileStore store = fixture.open(settings(mount.resolve("tier"), 16 * MIB))) {
      stored = fillUntilRefused(store, failure);
      assertInstanceOf(DiskSpaceLowException.class, failure.getFirst());
      assertTrue(failure.getFirst().getMessage().contains("minFreeBytes"), failure.getFirst().getMessage());
      assertTrue(Files.getFileStore(mount).getUsableSpace() >= 16 * MIB - 64 * 8200, "the floor was kept");
      for (Block b : stored) {
        assertEquals(b, store.get(b.cid()));
      }
      assertTrue(store.delete(stored.getFirst().cid()).join(), "a delete still works on a full tier");
    }
    try (FileStore store = fixture.open(settings(mount.resolve("tier"), 16 * MIB))) {
      for (Block b : stored.subList(1, stored.size())) {
        assertEquals(b, store.get(b.cid()));
      }
    }
  }

  @Test
  void whenTheFileSystemItselfIsFullTheWriteFailsCleanlyAndNothingAcknowledgedIsLost() throws Exception {
    StoreFixture fixture = new StoreFixture();
    List<Throwable> failure = new ArrayList<>();
    List<Block> stored;
    try (FileStore store = fixture.open(settings(mount.resolve("tier"), 0))) {
      stored = fillUntilRefused(store, failure);
      assertInstanceOf(DiskSpaceLowException.class, failure.getFirst());
      // Refused by the free-space check before the write, or by the file system during it.
      String message = failure.getFirst().getMessage();
      assertTrue(message.contains("is full") || message.contains("bytes free"), message);
      for (Block b : stored) {
        assertEquals(b, store.get(b.cid()));
      }
    }
    try (FileStore store = fixture.open(settings(mount.resolve("tier"), 0))) {
      assertEquals(stored.size(), store.stats().blocks());
      for (Block b : stored) {
        assertEquals(b, store.get(b.cid()));
      }
    }
  }
}
