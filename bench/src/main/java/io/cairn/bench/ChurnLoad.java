package io.cairn.bench;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.internal.ManyPeers;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 14, benchmark 4's load: {@code --target MULTIADDR [--rate R] [--concurrent K] [--seconds S]
 * [--sources N] [--seed X]}: peers connecting and leaving at R a second (a new identity each time,
 * {@link LoadIdentities}), about K connected at any moment: every 1/R s one more dials and the oldest
 * closes. Prints one JSON line every 10 s ({@code {"t":..., "opened":..., "closed":..., "failed":...,
 * "open":...}}) and one at the end.
 */
public final class ChurnLoad {
  private ChurnLoad() {}

  public static void main(String[] args) throws Exception {
    RunOptions o = new RunOptions(args);
    Multiaddr target = Multiaddr.parse(o.require("target"));
    PeerId peer = target.peerId().orElseThrow(() -> new IllegalArgumentException("--target needs /p2p/<peer id>"));
    InetSocketAddress to = new InetSocketAddress(target.host().orElseThrow(), target.tcpPort().orElseThrow());
    int rate = o.getInt("rate", 200);
    int concurrent = o.getInt("concurrent", 200);
    long seconds = o.getLong("seconds", 600);
    int sources = o.getInt("sources", 256);
    String seed = o.get("seed", "churn");

    AtomicLong opened = new AtomicLong();
    AtomicLong closed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ArrayDeque<CompletableFuture<Connection>> ring = new ArrayDeque<>();
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    try (ManyPeers peers = new ManyPeers(2)) {
      long start = System.nanoTime();
      long next = start;
      long nextReport = start + TimeUnit.SECONDS.toNanos(10);
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      for (int i = 0; System.nanoTime() < end; i++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        next += periodNanos;
        int s = i % sources;
        CompletableFuture<Connection> c = peers.dial(LoadIdentities.key(seed, i),
            new InetSocketAddress("127.2." + (s % 250) + "." + (s / 250 + 1), 0), to, peer);
        c.whenComplete((conn, e) -> {
          if (e == null) {
            opened.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
        });
        ring.add(c);
        if (ring.size() > concurrent) {
          ring.poll().thenAccept(old -> old.close().thenRun(closed::incrementAndGet));
        }
        if (System.nanoTime() >= nextReport) {
          nextReport += TimeUnit.SECONDS.toNanos(10);
          report(start, opened, closed, failed, ring);
        }
      }
      while (!ring.isEmpty()) {
        ring.poll().thenAccept(old -> old.close().thenRun(closed::incrementAndGet));
      }
      Thread.sleep(2_000);
      report(start, opened, closed, failed, ring);
    }
  }

  private static void report(long start, AtomicLong opened, AtomicLong closed, AtomicLong failed,
      ArrayDeque<CompletableFuture<Connection>> ring) {
    long open = ring.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally() && f.join().isOpen()).count();
    System.out.printf("{\"t\":%.1f,\"opened\":%d,\"closed\":%d,\"failed\":%d,\"open\":%d}%n",
        (System.nanoTime() - start) / 1e9, opened.get(), closed.get(), failed.get(), open);
    System.out.flush();
  }
}
