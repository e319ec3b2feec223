package io.cairn.blockstore.batchio.internal;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * The puts gathered for one tier's next putMany: the distinct blocks in put order (a CID put twice is
 * written once) and one future entry per put, so every put is answered. Guarded by its lane's lock
 * until closed; after that only its lane's writer touches it.
 */
final class Batch {
  private final List<Block> blocks = new ArrayList<>();
  private final Set<Cid> cids = new HashSet<>();
  /** One entry per put; a putAll's entries are adjacent, so completion counts them off in runs. */
  private final List<PutFuture> futures = new ArrayList<>();
  private long bytes;
  /** The timeout that closes this batch if it does not fill first; null once the scheduler is stopped. */
  ScheduledFuture<?> timer;

  void add(Block block, PutFuture future) {
    if (cids.add(block.cid())) {
      blocks.add(block);
    }
    futures.add(future);
    bytes += block.size();
  }

  /** Distinct blocks: what the putMany writes and what the batch size counts. */
  int size() {
    return blocks.size();
  }

  /** Puts answered by this batch, duplicates included: what they hold of the queue budget. */
  int puts() {
    return futures.size();
  }

  /** Bytes of all its puts, duplicates included: what they hold of the queue budget. */
  long bytes() {
    return bytes;
  }

  List<Block> blocks() {
    return Collections.unmodifiableList(blocks);
  }

  void complete() {
    int i = 0;
    while (i < futures.size()) {
      PutFuture f = futures.get(i);
      int run = 1;
      while (i + run < futures.size() && futures.get(i + run) == f) {
        run++;
      }
      f.written(run);
      i += run;
    }
  }

  void fail(Throwable cause) {
    PutFuture last = null;
    for (PutFuture f : futures) {
      if (f != last) {
        f.completeExceptionally(cause);
        last = f;
      }
    }
  }
}
