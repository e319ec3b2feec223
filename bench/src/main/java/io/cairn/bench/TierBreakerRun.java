package io.cairn.bench;

import io.cairn.bitswap.breaker.internal.BenchBreakers;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.Blockstore;
import io.cairn.blockstore.batchio.internal.BatchIOComponent;
import io.cairn.blockstore.batchio.internal.BenchBatchIO;
import io.cairn.blockstore.memory.internal.BenchMemoryTier;
import io.cairn.blockstore.tiered.internal.BenchTieredStore;
import io.cairn.blockstore.tiered.internal.TieredBlockstore;
import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.breaker.NeverOpenBreakers;
import io.cairn.testing.blockstore.FaultyTier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.osgi.service.log.Logger;

/**
 * Issue 13, benchmark 5 (the tier half): what a tier breaker does for the reads that serve peers when
 * a tier goes bad, against the static strategy (a breaker that never opens), in one process.
 *
 * <pre>
 * tier-breaker --strategy resilience4j|static [--fault hang|fail] [--rate 2000] [--blocks 2000]
 *              [--before 2] [--fault-seconds 5] [--after 5] [--out DIR] [--name NAME]
 * </pre>
 *
 * <p>The real tiered store with promotion off over two real memory tiers: {@code ssd} (rank 100) behind a
 * {@link FaultyTier} switch, {@code hdd} (rank 200). Half the blocks are in both, half only in ssd.
 * Reads of the store's fail-fast view (what bitswap serves from) go open loop at {@code rate} per
 * second, each block in turn; {@code before} seconds in, ssd's reads start to hang (or fail); after
 * {@code fault-seconds} they heal; the run goes on {@code after} seconds and then waits 2 s for late
 * answers. Per phase (by when a read was due): reads, found, missed (DONT_HAVE), failed, unanswered at
 * the end, and the p50/p99/max wait from when due; the breaker's transitions as seen every millisecond;
 * how long after the fault it opened and after healing it closed. Bars: opens within 1 s; no read
 * waits past the breaker's timeout (500 ms) plus scheduling; traffic back after healing.
 * Prints the JSON report (also {@code DIR/NAME.json}).
 */
public final class TierBreakerRun {
  private TierBreakerRun() {}

  private record Read(long dueNanos, boolean onlySsd, long doneNanos, String outcome) {}

  public static void main(String[] args) throws Exception {
    RunOptions o = new RunOptions(args);
    String strategy = o.get("strategy", "resilience4j");
    String fault = o.get("fault", "hang");
    double rate = Double.parseDouble(o.get("rate", "2000"));
    int blocks = Integer.parseInt(o.get("blocks", "2000"));
    double before = Double.parseDouble(o.get("before", "2"));
    double faultSeconds = Double.parseDouble(o.get("fault-seconds", "5"));
    double after = Double.parseDouble(o.get("after", "5"));
    if (!strategy.equals("resilience4j") && !strategy.equals("static")) {
      throw new IllegalArgumentException("--strategy is resilience4j or static, not " + strategy);
    }
    FaultyTier.Mode faultMode = switch (fault) {
      case "hang" -> FaultyTier.Mode.HANG;
      case "fail" -> FaultyTier.Mode.FAIL;
      default -> throw new IllegalArgumentException("--fault is hang or fail, not " + fault);
    };

    Logger silent = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
    BatchIOComponent batchio = BenchBatchIO.withDefaults(silent);
    TieredBlockstore store = BenchTieredStore.configured(silent, batchio, Map.of("promotion", "none",
        "demotionIntervalMs", 3_600_000L));
    FaultyTier ssd = new FaultyTier(BenchMemoryTier.withDefaults(silent));
    var hdd = BenchMemoryTier.withDefaults(silent);
    BenchTieredStore.addTier(store, ssd, "ssd", 100, 1L);
    BenchTieredStore.addTier(store, hdd, "hdd", 200, 2L);
    CircuitBreakers breakers = strategy.equals("static") ? new NeverOpenBreakers() : BenchBreakers.tierDefaults(silent);
    BenchTieredStore.guard(store, breakers, strategy);
    Block[] set = new Block[blocks];
    for (int i = 0; i < blocks; i++) {
      set[i] = Block.raw(("tier-breaker block " + i + " ").repeat(40).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ssd.put(set[i]).join();
      if (i % 2 == 0) {
        hdd.put(set[i]).join();
      }
    }
    Blockstore reads = store.failFast();

    long start = System.nanoTime();
    long faultAt = start + (long) (before * 1e9);
    long healAt = faultAt + (long) (faultSeconds * 1e9);
    long end = healAt + (long) (after * 1e9);
    List<Map<String, Object>> transitions = new ArrayList<>();
    Thread watcher = Thread.ofPlatform().daemon().name("breaker-watch").start(() -> {
      CircuitBreakers.State last = CircuitBreakers.State.CLOSED;
      while (!Thread.currentThread().isInterrupted()) {
        CircuitBreakers.State now = BenchTieredStore.breakerState(store, "ssd");
        if (now != last) {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("atMs", ms(System.nanoTime() - start));
          t.put("to", now.toString());
          synchronized (transitions) {
            transitions.add(t);
          }
          last = now;
        }
        LockSupport.parkNanos(1_000_000);
      }
    });

    ConcurrentLinkedQueue<Read> done = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    List<long[]> issued = new ArrayList<>();
    double period = 1e9 / rate;
    boolean faulted = false;
    boolean healed = false;
    for (long i = 0; ; i++) {
      long due = start + (long) (i * period);
      if (due >= end) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long now = System.nanoTime();
      if (!faulted && now >= faultAt) {
        ssd.reads = faultMode;
        faulted = true;
      }
      if (!healed && now >= healAt) {
        ssd.reads = FaultyTier.Mode.OK;
        healed = true;
      }
      int k = (int) (i % blocks);
      boolean onlySsd = k % 2 == 1;
      issued.add(new long[] {due, onlySsd ? 1 : 0});
      pending.add(reads.get(set[k].cid()).handle((b, e) -> {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        done.add(new Read(due, onlySsd, System.nanoTime(),
            e == null ? "found" : cause instanceof BlockNotFoundException ? "missed" : "failed"));
        return null;
      }));
    }
    ssd.reads = FaultyTier.Mode.OK;
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
    watcher.interrupt();

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("tool", "TierBreakerRun");
    report.put("strategy", strategy);
    report.put("fault", fault);
    report.put("rate", rate);
    report.put("blocks", blocks);
    report.put("faultAtMs", ms(faultAt - start));
    report.put("healAtMs", ms(healAt - start));
    report.put("endMs", ms(end - start));
    List<Read> all = new ArrayList<>(done);
    report.put("phases", List.of(phase("before", all, issued, start, faultAt), phase("fault", all, issued, faultAt, healAt),
        phase("after", all, issued, healAt, end)));
    synchronized (transitions) {
      report.put("transitions", transitions);
      report.put("openedAfterFaultMs", firstAfter(transitions, "OPEN", ms(faultAt - start), ms(faultAt - start)));
      report.put("closedAfterHealMs", firstAfter(transitions, "CLOSED", ms(healAt - start), ms(healAt - start)));
    }
    o.report(report, strategy + "-" + fault);
    BenchTieredStore.close(store);
    BenchBatchIO.close(batchio);
    System.exit(0);
  }

  private static Map<String, Object> phase(String name, List<Read> all, List<long[]> issued, long from, long to) {
    Map<String, Object> p = new LinkedHashMap<>();
    long count = issued.stream().filter(r -> r[0] >= from && r[0] < to).count();
    List<Read> in = all.stream().filter(r -> r.dueNanos() >= from && r.dueNanos() < to).toList();
    p.put("phase", name);
    p.put("reads", count);
    for (String outcome : List.of("found", "missed", "failed")) {
      p.put(outcome, in.stream().filter(r -> r.outcome().equals(outcome)).count());
    }
    p.put("unanswered", count - in.size());
    double[] waits = in.stream().mapToDouble(r -> (r.doneNanos() - r.dueNanos()) / 1e6).sorted().toArray();
    p.put("p50Ms", pct(waits, 0.50));
    p.put("p99Ms", pct(waits, 0.99));
    p.put("maxMs", waits.length == 0 ? null : round(waits[waits.length - 1]));
    p.put("onlySsdFound", in.stream().filter(r -> r.onlySsd() && r.outcome().equals("found")).count());
    return p;
  }

  private static Object firstAfter(List<Map<String, Object>> transitions, String to, double atMs, double sinceMs) {
    for (Map<String, Object> t : transitions) {
      double when = (Double) t.get("atMs");
      if (when >= atMs && to.equals(t.get("to"))) {
        return round(when - sinceMs);
      }
    }
    return null;
  }

  private static Object pct(double[] sorted, double q) {
    return sorted.length == 0 ? null : round(sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)]);
  }

  private static double ms(long nanos) {
    return round(nanos / 1e6);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
