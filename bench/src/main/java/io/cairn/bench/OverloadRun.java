package io.cairn.bench;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.fixed.internal.StaticBatching;
import io.cairn.bitswap.fixed.internal.StaticPriority;
import io.cairn.bitswap.server.internal.BitswapEngineComponent;
import io.cairn.bitswap.spi.BatchRequestProcessor;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import io.cairn.testing.bitswap.MemoryNetwork;
import io.cairn.testing.blockstore.FaultyTier;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 13, benchmark 3: the bitswap engine asked {@code factor} times what it can serve by {@code peers}
 * peers of three classes, with the static strategies (boxo's order, fixed limits, no batching) or the
 * adaptive ones (priority classes, adaptive limits, batching).
 *
 * <pre>
 * overload --strategy static|adaptive [--priority static|classes] [--limits static|adaptive]
 *          [--batch static|adaptive] [--capacity ANSWERS_PER_S (measured first when absent)] [--factor 3]
 *          [--peers 200] [--critical 10] [--high 60] [--critical-share 0.05] [--high-share 0.25]
 *          [--tier-ms 1] [--tier-depth 16] [--workers N (the engine's taskWorkerCount; default its own)] [--probe-rate 1000000] [--warmup 3] [--seconds 10] [--drain 5] [--blocks 100000] [--size 1024]
 *          [--out DIR] [--name NAME]
 * </pre>
 *
 * <p>The real engine over the real tiered store whose one tier holds {@code blocks} raw blocks of
 * {@code size} bytes and reads as a device of queue depth {@code tier-depth} whose reads take {@code tier-ms}
 * ({@link FaultyTier}: at most tier-depth / tier-ms reads per second, so the node is disk-bound, as a node
 * whose blocks outgrow its memory is; {@code --tier-ms 0}: a memory tier, CPU-bound); the peers joined to it in memory ({@link MemoryNetwork}, sharing one delivery thread
 * as a load tool's peers share an event loop), so the run measures the engine, not a network stack sharing
 * two cores with a load tool. The CPU each group of threads used during the overload is reported. Peers
 * 0 to critical-1 are the node's critical peers (named in the priority strategy's {@code criticalPeers}; the
 * static one has no classes) and send want-blocks; the next {@code high} peers send want-haves (the high
 * class); the rest want-blocks (normal). Every want asks for DONT_HAVE, so the engine may shed it.
 *
 * <p>Capacity, unless given: the same load offered at {@code probe-rate} (far beyond it; each peer's stripe
 * then bounds its wants in flight) for warmup + seconds; the wants served (not shed) per second over the
 * last {@code seconds} are what the engine serves of this load. Overload, open loop: wants are due at
 * {@code factor x capacity} per second in all (each class its share, round robin over its peers, each peer
 * cycling through its own stripe of the blocks and skipping a block it still waits for), sent each
 * millisecond in one message per peer, as a peer's message queue batches them; a want's latency counts from
 * when it was due. After {@code warmup} s, the wants due during {@code seconds} s are measured; then no more
 * are sent, and a want not answered within {@code drain} s counts as answered never (above every
 * percentile). Per class: answered, shed (DONT_HAVE), p50/p95/p99/max of the admitted (answered or never);
 * and all admitted wants together. Bars: critical p95 &lt; 10 ms, high p95 &lt; 50 ms, admitted p95 &lt; 100 ms.
 * Prints the JSON report (also {@code DIR/NAME.json}).
 */
public final class OverloadRun {
  private OverloadRun() {}

  enum Kind {
    CRITICAL, HIGH, NORMAL
  }

  /** What one class's wants came to, within the measured window. */
  static final class Outcome {
    private long[] latencies = new long[1 << 16];
    private int n;
    final AtomicLong shed = new AtomicLong();
    final AtomicLong due = new AtomicLong();
    final AtomicLong never = new AtomicLong();

    synchronized void answered(long nanos) {
      if (n == latencies.length) {
        latencies = Arrays.copyOf(latencies, n * 2);
      }
      latencies[n++] = nanos;
    }

    synchronized long[] sorted() {
      long[] s = Arrays.copyOf(latencies, n);
      Arrays.sort(s);
      return s;
    }
  }

  /** A peer of one class: its wants in flight (CID → when due), its stripe of the blocks, its outbox. */
  static final class Peer implements BitswapReceiver {
    final MemoryNetwork network;
    final PeerId server;
    final Kind kind;
    final List<Cid> stripe;
    final Map<Cid, Long> pending = new ConcurrentHashMap<>();
    final List<WantlistEntry> outbox = new ArrayList<>();
    final List<Cid> cancels = new ArrayList<>();
    volatile Outcome outcome;
    volatile long measureFrom;
    volatile long measureTo;
    final AtomicLong answers;
    int next;

    Peer(MemoryNetwork network, PeerId server, Kind kind, List<Cid> stripe, AtomicLong answers) {
      this.network = network;
      this.server = server;
      this.kind = kind;
      this.stripe = stripe;
      this.answers = answers;
    }

    /** Queues a want due at {@code due}, for the next block of the stripe not in flight; false if all are. */
    synchronized boolean want(long due) {
      if (pending.size() >= stripe.size()) {
        return false;
      }
      for (int tries = 0; tries < stripe.size(); tries++) {
        Cid cid = stripe.get(next);
        next = (next + 1) % stripe.size();
        if (pending.putIfAbsent(cid, due) == null) {
          outbox.add(kind == Kind.HIGH ? WantlistEntry.wantHave(cid, 1, true) : WantlistEntry.wantBlock(cid, 1, true));
          return true;
        }
      }
      return false;
    }

    /** Sends what is queued, and the cancels of what was answered, in one message. */
    void flush() {
      List<WantlistEntry> entries;
      synchronized (this) {
        if (outbox.isEmpty() && cancels.isEmpty()) {
          return;
        }
        entries = new ArrayList<>(outbox.size() + cancels.size());
        cancels.forEach(c -> entries.add(WantlistEntry.cancel(c)));
        entries.addAll(outbox);
        outbox.clear();
        cancels.clear();
      }
      network.send(server, BitswapMessage.wants(entries));
    }

    @Override
    public void receive(PeerId from, BitswapMessage message) {
      long now = System.nanoTime();
      for (BlockPayload b : message.blocks()) {
        answer(b.cid(), now, true);
      }
      for (BlockPresence p : message.presences()) {
        answer(p.cid(), now, p.type() == PresenceType.HAVE);
      }
    }

    private void answer(Cid cid, long now, boolean served) {
      Long due = pending.remove(cid);
      if (due == null) {
        return;
      }
      if (served) {
        answers.incrementAndGet();
      }
      synchronized (this) {
        cancels.add(cid);
      }
      Outcome o = outcome;
      if (o != null && due >= measureFrom && due < measureTo) {
        if (served) {
          o.answered(now - due);
        } else {
          o.shed.incrementAndGet();
        }
      }
    }

    @Override
    public void peerConnected(PeerId peer, BitswapProtocol protocol) {}

    @Override
    public void peerDisconnected(PeerId peer) {}
  }

  public static void main(String[] args) throws Exception {
    RunOptions o = new RunOptions(args);
    String strategy = o.get("strategy", "adaptive");
    double factor = Double.parseDouble(o.get("factor", "3"));
    int peerCount = Integer.parseInt(o.get("peers", "200"));
    int criticalPeers = Integer.parseInt(o.get("critical", "10"));
    int highPeers = Integer.parseInt(o.get("high", "60"));
    double criticalShare = Double.parseDouble(o.get("critical-share", "0.05"));
    double highShare = Double.parseDouble(o.get("high-share", "0.25"));
    double warmup = Double.parseDouble(o.get("warmup", "3"));
    double seconds = Double.parseDouble(o.get("seconds", "10"));
    double drain = Double.parseDouble(o.get("drain", "5"));
    int blockCount = Integer.parseInt(o.get("blocks", "100000"));
    int size = Integer.parseInt(o.get("size", "1024"));
    double probeRate = Double.parseDouble(o.get("probe-rate", "1000000"));
    long tierMs = Long.parseLong(o.get("tier-ms", "1"));
    int workers = Integer.parseInt(o.get("workers", "0"));
    int tierDepth = Integer.parseInt(o.get("tier-depth", "16"));
    if (criticalPeers < 1 || highPeers < 1 || criticalPeers + highPeers >= peerCount) {
      throw new IllegalArgumentException("--critical and --high need at least one peer each and leave some normal ones");
    }
    EngineRig rig = new EngineRig(blockCount, size, workers > 0 ? Map.of("taskWorkerCount", workers) : Map.of());
    List<Cid> cids = rig.blocks.stream().map(Block::cid).toList();
    if (tierMs > 0) {
      rig.tier.slowMillis = tierMs;
      rig.tier.slowReadsAtOnce = tierDepth;
      rig.tier.slowIndexReads = false; // as the file tier, whose index is in memory
      rig.tier.reads = FaultyTier.Mode.SLOW;
    }
    MemoryNetwork network = rig.network;
    AtomicLong answers = new AtomicLong();
    List<Peer> peers = new ArrayList<>();
    List<MemoryNetwork> peerNetworks = new ArrayList<>();
    // The peers share one delivery thread, as a load tool's peers share an event loop: 200 threads of
    // their own would take the two cores from the engine.
    ExecutorService peerDelivery = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("peers")
        .unstarted(r));
    int stripe = blockCount / peerCount;
    for (int p = 0; p < peerCount; p++) {
      MemoryNetwork peerNetwork = new MemoryNetwork(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()), peerDelivery);
      Kind kind = p < criticalPeers ? Kind.CRITICAL : p < criticalPeers + highPeers ? Kind.HIGH : Kind.NORMAL;
      Peer peer = new Peer(peerNetwork, network.self, kind, cids.subList(p * stripe, (p + 1) * stripe), answers);
      peerNetwork.addReceiver(peer);
      peerNetworks.add(peerNetwork);
      peers.add(peer);
    }
    String[] critical = peers.stream().filter(p -> p.kind == Kind.CRITICAL).map(p -> p.network.self.toString())
        .toArray(String[]::new);

    BitswapEngineComponent engine = rig.engine;
    if (!strategy.equals("static") && !strategy.equals("adaptive")) {
      throw new IllegalArgumentException("--strategy is static or adaptive, not " + strategy);
    }
    boolean adaptive = strategy.equals("adaptive");
    String priority = o.get("priority", adaptive ? "classes" : "static");
    String limits = o.get("limits", strategy);
    String batch = o.get("batch", strategy);
    rig.bind("priority", switch (priority) {
      case "static" -> new StaticPriority();
      case "classes" -> Components.createWith(PriorityRequestManager.class,
          "io.cairn.bitswap.priority.internal.ClassPriority", Map.of("criticalPeers", critical), rig.log);
      default -> throw new IllegalArgumentException("--priority is static or classes, not " + priority);
    }, priority);
    rig.bind("limits", rig.limits(limits), limits);
    rig.bind("batch", switch (batch) {
      case "static" -> new StaticBatching();
      case "adaptive" -> Components.createWith(BatchRequestProcessor.class, "io.cairn.bitswap.batch.internal.AdaptiveBatching",
          Map.of(), rig.log);
      default -> throw new IllegalArgumentException("--batch is static or adaptive, not " + batch);
    }, batch);
    peerNetworks.forEach(n -> MemoryNetwork.connect(network, n));

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("tool", "OverloadRun");
    report.put("strategy", strategy);
    report.put("priority", priority);
    report.put("limits", limits);
    report.put("batch", batch);
    report.put("peers", peerCount);
    report.put("criticalPeers", criticalPeers);
    report.put("highPeers", highPeers);
    report.put("blocks", blockCount);
    report.put("size", size);
    report.put("tierMs", tierMs);
    report.put("tierDepth", tierDepth);
    report.put("taskWorkers", workers > 0 ? workers : "default");

    double capacity;
    if (o.get("capacity", null) != null) {
      capacity = Double.parseDouble(o.get("capacity", null));
      report.put("capacityGiven", capacity);
    } else {
      capacity = saturated(peers, answers, rates(probeRate, criticalShare, highShare), warmup, seconds);
      report.put("probeRatePerSec", probeRate);
      report.put("capacityMeasured", Math.round(capacity));
    }
    double rate = factor * capacity;
    report.put("factor", factor);
    report.put("offeredPerSec", Math.round(rate));

    Map<Kind, Outcome> outcomes = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      outcomes.put(k, new Outcome());
    }
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmup * 1e9);
    long measureTo = measureFrom + (long) (seconds * 1e9);
    for (Peer p : peers) {
      p.outcome = outcomes.get(p.kind);
      p.measureFrom = measureFrom;
      p.measureTo = measureTo;
    }
    long answersBefore = answers.get();
    Map<String, Long> cpuBefore = cpuByThreadGroup();
    long cpuFrom = System.nanoTime();
    long skipped = openLoop(peers, outcomes, rates(rate, criticalShare, highShare), new long[Kind.values().length],
        start, measureFrom, measureTo);
    double servedPerSec = (answers.get() - answersBefore) * 1e9 / (System.nanoTime() - start);
    Map<String, Long> cpuAfter = cpuByThreadGroup();
    long cpuNanos = System.nanoTime() - cpuFrom;
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpuAfter.forEach((group, nanos) -> cpu.put(group, Math.round(1000.0 * (nanos - cpuBefore.getOrDefault(group, 0L)) / cpuNanos) / 10.0));
    drain(peers, drain);
    for (Peer p : peers) {
      for (long due : p.pending.values()) {
        if (due >= measureFrom && due < measureTo) {
          outcomes.get(p.kind).never.incrementAndGet();
        }
      }
    }
    report.put("servedPerSec", Math.round(servedPerSec));
    report.put("wantsSkippedAllInFlight", skipped);
    List<Long> admitted = new ArrayList<>();
    long admittedNever = 0;
    Map<String, Object> classes = new LinkedHashMap<>();
    for (Map.Entry<Kind, Outcome> e : outcomes.entrySet()) {
      Outcome c = e.getValue();
      long[] sorted = c.sorted();
      Arrays.stream(sorted).forEach(admitted::add);
      admittedNever += c.never.get();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("due", c.due.get());
      m.put("answered", sorted.length);
      m.put("shed", c.shed.get());
      m.put("never", c.never.get());
      m.putAll(percentiles(sorted, c.never.get()));
      classes.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT), m);
    }
    report.put("classes", classes);
    report.put("cpuPercentByThreads", cpu);
    long[] all = admitted.stream().mapToLong(Long::longValue).sorted().toArray();
    report.put("admitted", percentiles(all, admittedNever));
    report.put("engine", engine.status().toString());
    o.report(report, strategy);
    rig.close();
    peerNetworks.forEach(MemoryNetwork::close);
    peerDelivery.shutdownNow();
    System.exit(0);
  }

  /**
   * The engine's capacity for this load's shape: wants offered far beyond it ({@code probeRate}, each
   * peer's stripe bounding what it has in flight) for {@code warmup} s, then the wants served (a block,
   * or a HAVE; not a DONT_HAVE) per second over {@code seconds} s; then the wants in flight drain.
   */
  private static double saturated(List<Peer> peers, AtomicLong answers, Map<Kind, Double> rates, double warmup,
      double seconds) throws InterruptedException {
    long[] sent = new long[Kind.values().length];
    long start = System.nanoTime();
    openLoop(peers, null, rates, sent, start, Long.MAX_VALUE, start + (long) (warmup * 1e9));
    long before = answers.get();
    long from = System.nanoTime();
    openLoop(peers, null, rates, sent, start, Long.MAX_VALUE, from + (long) (seconds * 1e9));
    double perSec = (answers.get() - before) * 1e9 / (System.nanoTime() - from);
    drain(peers, 30);
    peers.forEach(Peer::flush); // the last cancels
    return perSec;
  }

  /** Waits up to {@code seconds} for every want in flight to be answered. */
  private static void drain(List<Peer> peers, double seconds) throws InterruptedException {
    long until = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < until && peers.stream().anyMatch(p -> !p.pending.isEmpty())) {
      Thread.sleep(10);
    }
  }

  /**
   * Sends the wants due at each class's rate from {@code start} until {@code until}, each millisecond one
   * message per peer ({@code sent}: how many of each class were due and handled before); counts in
   * {@code outcomes} (if any) those due from {@code measureFrom} on; returns how many were skipped, every
   * block of the peer's stripe being in flight.
   */
  private static long openLoop(List<Peer> peers, Map<Kind, Outcome> outcomes, Map<Kind, Double> rates, long[] sent,
      long start, long measureFrom, long until) {
    Map<Kind, List<Peer>> byKind = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      byKind.put(k, peers.stream().filter(p -> p.kind == k).toList());
    }
    long skipped = 0;
    while (true) {
      long now = System.nanoTime();
      if (now >= until) {
        return skipped;
      }
      for (Kind k : Kind.values()) {
        double nanosPerWant = 1e9 / rates.get(k);
        List<Peer> ofKind = byKind.get(k);
        long dueCount = (long) ((now - start) / nanosPerWant);
        while (sent[k.ordinal()] < dueCount) {
          long i = sent[k.ordinal()]++;
          long due = start + (long) (i * nanosPerWant);
          if (ofKind.get((int) (i % ofKind.size())).want(due)) {
            if (outcomes != null && due >= measureFrom) {
              outcomes.get(k).due.incrementAndGet();
            }
          } else {
            skipped++;
          }
        }
      }
      peers.forEach(Peer::flush);
      LockSupport.parkNanos(1_000_000 - (System.nanoTime() - now) % 1_000_000);
    }
  }

  /**
   * CPU time so far by thread group: the engine's task workers, its inbound delivery (the engine's network
   * thread), the peers' delivery thread, the scheduler (main) and the rest.
   */
  private static Map<String, Long> cpuByThreadGroup() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> groups = new TreeMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long nanos = threads.getThreadCpuTime(t.getThreadId());
      String name = t.getThreadName();
      String group = name.startsWith("bitswap-engine") ? "engine workers" : name.startsWith("deliver-") ? "engine inbound"
          : name.equals("peers") ? "peers" : name.equals("main") ? "scheduler" : "other";
      groups.merge(group, Math.max(0, nanos), Long::sum);
    }
    return groups;
  }

  private static Map<Kind, Double> rates(double total, double criticalShare, double highShare) {
    return Map.of(Kind.CRITICAL, total * criticalShare, Kind.HIGH, total * highShare, Kind.NORMAL,
        total * (1 - criticalShare - highShare));
  }

  /** p50/p95/p99/max in ms by nearest rank, {@code never} wants counted above every answered one. */
  private static Map<String, Object> percentiles(long[] sorted, long never) {
    Map<String, Object> m = new LinkedHashMap<>();
    long n = sorted.length + never;
    for (int p : new int[] {50, 95, 99}) {
      long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
      m.put("p" + p + "Ms", n == 0 ? null : rank > sorted.length ? "never" : Math.round(sorted[(int) rank - 1] / 1e4) / 100.0);
    }
    m.put("maxMs", never > 0 ? "never" : sorted.length == 0 ? null : Math.round(sorted[sorted.length - 1] / 1e4) / 100.0);
    return m;
  }
}
