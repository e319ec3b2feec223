package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.osgi.service.log.Logger;

/**
 * Moves blocks between tiers: demotion of a full tier's oldest blocks, promotion up into the write tier,
 * and the migration of a leaving tier's blocks. Every move copies first, waits until the copy is durable,
 * and only then deletes the source, so a block is always in at least one tier. A block is moved by one
 * mover at a time ({@link #claim}): two movers copying the same block and each deleting "its" source could
 * otherwise leave it nowhere.
 *
 * <p>A delete racing a move may leave the moved copy behind (the block reappears in the destination): a
 * later delete removes it. For content-addressed data that is a block kept too long, never a wrong one.
 */
final class TierMover {
  /** Blocks per copied batch: the seed design's BatchSize. */
  static final int BATCH_BLOCKS = 1000;
  /** Bytes per copied batch, so moving big blocks holds a bounded amount of memory. */
  static final long BATCH_BYTES = 64L << 20;
  /** Blocks read from the source at once while a batch is gathered. */
  private static final int READ_WINDOW = 64;

  private final Logger log;
  private final Set<Cid> moving = ConcurrentHashMap.newKeySet();
  private final Set<Cid> reported = ConcurrentHashMap.newKeySet();

  TierMover(Logger log) {
    this.log = log;
  }

  /** Claims the block for one move; false if another move has it. Release with {@link #release}. */
  boolean claim(Cid cid) {
    return moving.add(cid);
  }

  void release(Cid cid) {
    moving.remove(cid);
  }

  /** What one round of moving did; {@code failure} says why it stopped early, null if it did not. */
  record Moved(long blocks, long blockBytes, String failure) {
    boolean complete() {
      return failure == null;
    }
  }

  /**
   * Demotes {@code from}'s oldest blocks (its keys list oldest first) into {@code to} until about
   * {@code excessBytes} of {@code from}'s used bytes are freed or {@code from} is at or below
   * {@code lowWaterBytes}. Stops at the first failure of {@code to} (logged) or when {@code running} turns false.
   */
  Moved demote(TierHandle from, TierHandle to, long excessBytes, long lowWaterBytes, BooleanSupplier running) {
    TierStats start = from.store.stats();
    // Used bytes may be compressed: scale what is moved to what it frees.
    double usedPerBlockByte = start.blockBytes() > 0 ? (double) start.usedBytes() / start.blockBytes() : 1.0;
    long blocks = 0;
    long bytes = 0;
    try (Stream<Cid> keys = from.store.keys()) {
      Iterator<Cid> it = keys.iterator();
      while (running.getAsBoolean() && it.hasNext() && bytes * usedPerBlockByte < excessBytes) {
        long remaining = (long) Math.ceil((excessBytes - bytes * usedPerBlockByte) / usedPerBlockByte);
        Moved batch = copyBatch(from, List.of(to), it, c -> true, true, Math.min(BATCH_BYTES, remaining));
        blocks += batch.blocks();
        bytes += batch.blockBytes();
        if (!batch.complete()) {
          return new Moved(blocks, bytes, batch.failure());
        }
        if (from.store.stats().usedBytes() <= lowWaterBytes) {
          break;
        }
      }
    }
    return new Moved(blocks, bytes, null);
  }

  /**
   * Copies every block of {@code from} that {@code needsCopy} accepts into the first of {@code targets}
   * that takes it, leaving {@code from} untouched (it is leaving; its files stay the truth). Logs progress.
   */
  Moved migrate(TierHandle from, List<TierHandle> targets, Predicate<Cid> needsCopy) {
    long blocks = 0;
    long bytes = 0;
    long lastReport = System.nanoTime();
    try (Stream<Cid> keys = from.store.keys()) {
      Iterator<Cid> it = keys.iterator();
      while (it.hasNext()) {
        Moved batch = copyBatch(from, targets, it, needsCopy, false, BATCH_BYTES);
        blocks += batch.blocks();
        bytes += batch.blockBytes();
        if (!batch.complete()) {
          return new Moved(blocks, bytes, batch.failure());
        }
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          lastReport = System.nanoTime();
          log.info("tier {} is leaving: {} blocks ({} bytes) copied so far", from.name, blocks, bytes);
        }
      }
    }
    return new Moved(blocks, bytes, null);
  }

  /**
   * Gathers the next batch from {@code keys} (blocks this mover could claim and {@code needsCopy} accepts)
   * up to {@code maxBytes} of blocks, writes it to the first target that takes it and waits until it is
   * durable, then deletes the sources if asked. Blocks that vanished meanwhile are skipped; a block that
   * cannot be read is logged and skipped; blocks read past {@code maxBytes} are left where they are.
   */
  private Moved copyBatch(TierHandle from, List<TierHandle> targets, Iterator<Cid> keys,
      Predicate<Cid> needsCopy, boolean deleteSource, long maxBytes) {
    List<Block> batch = new ArrayList<>();
    long bytes = 0;
    try {
      while (keys.hasNext() && batch.size() < BATCH_BLOCKS && bytes < maxBytes) {
        List<Cid> window = new ArrayList<>(READ_WINDOW);
        while (keys.hasNext() && window.size() < READ_WINDOW && batch.size() + window.size() < BATCH_BLOCKS) {
          Cid cid = keys.next();
          if (needsCopy.test(cid) && claim(cid)) {
            window.add(cid);
          }
        }
        List<CompletableFuture<Block>> reads = window.stream().map(c -> Futures.call(() -> from.store.get(c))).toList();
        for (int i = 0; i < window.size(); i++) {
          try {
            Block b = reads.get(i).join();
            if (bytes >= maxBytes) {
              release(b.cid());
              continue;
            }
            batch.add(b);
            bytes += b.size();
          } catch (CompletionException e) {
            release(window.get(i));
            Throwable cause = Futures.unwrap(e);
            if (!(cause instanceof BlockNotFoundException) && firstReport(window.get(i))) {
              log.warn("tier {}: block {} cannot be read to move it (left where it is): {}", from.name, window.get(i),
                  cause.toString());
            }
          }
        }
      }
      if (batch.isEmpty()) {
        return new Moved(0, 0, null);
      }
      List<String> failures = new ArrayList<>();
      TierHandle target = writeDurably(batch, targets, failures);
      if (target == null) {
        return new Moved(0, 0, String.join("; ", failures));
      }
      // A target that started leaving meanwhile may already have been migrated past these blocks: then
      // the source keeps them too.
      if (deleteSource && !target.leaving) {
        List<CompletableFuture<Boolean>> deletes = batch.stream()
            .map(b -> Futures.call(() -> from.store.delete(b.cid()))).toList();
        for (CompletableFuture<Boolean> d : deletes) {
          try {
            d.join();
          } catch (CompletionException e) {
            // The copy is durable: a block left behind in the source is a duplicate, not a loss.
            log.warn("tier {}: a moved block could not be deleted from it: {}", from.name, Futures.unwrap(e).toString());
          }
        }
      }
      return new Moved(batch.size(), bytes, null);
    } finally {
      for (Block b : batch) {
        release(b.cid());
      }
    }
  }

  /**
   * Writes the batch to the first target that takes it, durably; the target, or null if none did (each
   * refusal added to {@code failures}).
   */
  private static TierHandle writeDurably(List<Block> batch, List<TierHandle> targets, List<String> failures) {
    for (TierHandle target : targets) {
      try {
        target.track(Futures.call(() -> target.store.putMany(batch))).join();
        return target;
      } catch (CompletionException e) {
        failures.add("tier " + target.name + " refused " + batch.size() + " blocks: " + Futures.unwrap(e).getMessage());
      }
    }
    return null;
  }

  /**
   * Whether an unreadable block is reported for the first time: demotion meets the same one every round,
   * and once in the log is enough (the set is bounded; past the bound, reports start over).
   */
  private boolean firstReport(Cid cid) {
    if (reported.size() >= 10_000) {
      reported.clear();
    }
    return reported.add(cid);
  }
}
