package io.cairn.blockstore.batchio.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * The future of one put or putAll: completes when the batches holding all its blocks are written,
 * fails with the first failure. A putAll's blocks may sit in several batches; each batch counts off
 * the blocks it wrote, so no per-block future is made.
 */
final class PutFuture extends CompletableFuture<Void> {
  private static final VarHandle REMAINING;

  static {
    try {
      REMAINING = MethodHandles.lookup().findVarHandle(PutFuture.class, "remaining", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through REMAINING
  private volatile int remaining;

  PutFuture(int blocks) {
    remaining = blocks;
  }

  /** {@code blocks} of this put's blocks are written; the last ones complete it. */
  void written(int blocks) {
    if ((int) REMAINING.getAndAdd(this, -blocks) == blocks) {
      complete(null);
    }
  }
}
