package io.cairn.pin.internal;

import io.cairn.multiformats.Cid;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The blocks one garbage collection keeps, as {@link Fingerprint}s in {@link LongHashSet}s split over
 * lock stripes (chosen by the fingerprint's high bits): no object per block. Two kinds of members:
 * <em>marked</em> blocks were reached by a complete, unbounded walk from a pin, so everything below them
 * is marked too and a later walk may stop there; <em>kept</em> blocks are live for any other reason (put
 * during the run, reached by a pin under way or by a depth-limited pin), with no promise about what is
 * below them.
 *
 * <p>The sweep removes a block only after {@link #claim}ing it: under its stripe, the block is checked
 * not live and registered as being removed; {@link #release} ends that once the removal has completed.
 * {@link #keep} takes the same stripe, and if the block is being removed waits for the removal to end.
 * So once {@code keep} returns, the sweep has either removed that block already or never will in this run.
 */
final class LiveSet {
  private static final class Stripe {
    final LongHashSet marked = new LongHashSet(64);
    final LongHashSet kept = new LongHashSet(64);
    /** Blocks of this stripe the sweep is removing now (a bounded few), and when each removal ends. */
    final Map<Long, CompletableFuture<Void>> removing = new HashMap<>();
  }

  /** A block the sweep is removing; {@link #release} it when the removal has completed, however it ended. */
  record Claim(Cid cid, long fingerprint, CompletableFuture<Void> done) {
  }

  private final Stripe[] stripes;
  private final int shift;

  /** {@code stripes} a power of two. */
  LiveSet(int stripes) {
    if (Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two, got " + stripes);
    }
    this.stripes = new Stripe[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new Stripe();
    }
    this.shift = 64 - Integer.numberOfTrailingZeros(stripes);
  }

  private Stripe stripe(long fingerprint) {
    return stripes.length == 1 ? stripes[0] : stripes[(int) (fingerprint >>> shift)];
  }

  /** Marks {@code cid} as reached by an unbounded walk; true if it was not marked before. */
  boolean mark(Cid cid) {
    long f = Fingerprint.of(cid);
    Stripe s = stripe(f);
    synchronized (s) {
      return s.marked.add(f);
    }
  }

  /**
   * Keeps {@code cid} for this run. When this returns the sweep has removed it already, or never will:
   * if its removal is under way, this waits for it to end.
   */
  void keep(Cid cid) {
    long f = Fingerprint.of(cid);
    Stripe s = stripe(f);
    CompletableFuture<Void> removal;
    synchronized (s) {
      if (!s.marked.contains(f)) {
        s.kept.add(f);
      }
      removal = s.removing.get(f);
    }
    if (removal != null) {
      removal.join();
    }
  }

  /** Whether {@code cid} is live now. */
  boolean isLive(Cid cid) {
    long f = Fingerprint.of(cid);
    Stripe s = stripe(f);
    synchronized (s) {
      return s.marked.contains(f) || s.kept.contains(f);
    }
  }

  /** Claims {@code cid} for removal: null if it is live or already being removed. */
  Claim claim(Cid cid) {
    long f = Fingerprint.of(cid);
    Stripe s = stripe(f);
    synchronized (s) {
      if (s.marked.contains(f) || s.kept.contains(f) || s.removing.containsKey(f)) {
        return null;
      }
      Claim c = new Claim(cid, f, new CompletableFuture<>());
      s.removing.put(f, c.done());
      return c;
    }
  }

  /** The claimed removal has ended (done or failed): whoever waits in {@link #keep} goes on. */
  void release(Claim claim) {
    Stripe s = stripe(claim.fingerprint());
    synchronized (s) {
      s.removing.remove(claim.fingerprint());
    }
    claim.done().complete(null);
  }
}
