package io.cairn.bench;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.server.internal.BitswapEngineComponent;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.spi.BitswapLimits;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.bitswap.MemoryNetwork;
import io.cairn.testing.blockstore.FaultyTier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 13, benchmark 4: the bitswap engine serving from a slow tier, with the static limits (boxo's 128
 * lookups) or the adaptive ones (the lookup concurrency moved by a latency gradient within [128, 2048]).
 *
 * <pre>
 * slow-tier --limits static|adaptive [--tier-ms 5 (0: the memory tier as it is)] [--peers 16] [--wants 256]
 *           [--warmup 5] [--seconds 10] [--out DIR] [--name NAME]
 * </pre>
 *
 * <p>The real engine (default configuration, static priority, no batching, so one lookup per want) over
 * the real tiered store whose only tier is a memory tier behind a {@link FaultyTier} answering each read
 * after {@code tier-ms}; {@code peers} peers joined to it in memory ({@link MemoryNetwork}, each with its
 * delivery thread) keep {@code wants} want-blocks each outstanding (each block received brings that
 * peer's next want), 20,000 blocks of 1 KiB. After {@code warmup} s, for {@code seconds} s: blocks served per second, the
 * limit's lookup concurrency and the lookups actually running (sampled every 100 ms). The same run
 * measures the tier alone: reads kept {@code L} in flight straight against it, L the mean limit and
 * then the mean lookups running, so "% of ceiling" is the engine's rate over what the tier gives at
 * that concurrency (the engine runs at most task workers x maxTasksPerEnvelope lookups, 512 by default). Bar: adaptive at ≥ 80% of the ceiling at its
 * concurrency; on the memory tier ({@code --tier-ms 0}) no loss against static.
 * Prints the JSON report (also {@code DIR/NAME.json}).
 */
public final class SlowTierRun {
  private SlowTierRun() {}

  /** A peer that keeps {@code wants} want-blocks outstanding: each block it receives brings its next want. */
  private static final class WantingPeer implements BitswapReceiver {
    final MemoryNetwork network;
    final PeerId server;
    final List<Block> blocks;
    final AtomicLong received;
    int next;

    WantingPeer(MemoryNetwork network, PeerId server, List<Block> blocks, int first, AtomicLong received) {
      this.network = network;
      this.server = server;
      this.blocks = blocks;
      this.next = first;
      this.received = received;
    }

    /** Sends {@code n} more want-blocks, on this peer's delivery thread or the starter's, never both at once. */
    synchronized void want(int n) {
      List<WantlistEntry> entries = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        entries.add(WantlistEntry.wantBlock(blocks.get(next).cid(), 1, false));
        next = (next + 1) % blocks.size();
      }
      network.send(server, BitswapMessage.wants(entries));
    }

    @Override
    public void receive(PeerId from, BitswapMessage message) {
      int n = message.blocks().size();
      if (n > 0) {
        received.addAndGet(n);
        want(n);
      }
    }

    @Override
    public void peerConnected(PeerId peer, BitswapProtocol protocol) {}

    @Override
    public void peerDisconnected(PeerId peer) {}
  }

  public static void main(String[] args) throws Exception {
    RunOptions o = new RunOptions(args);
    String limitsName = o.get("limits", "adaptive");
    long tierMs = Long.parseLong(o.get("tier-ms", "5"));
    int peerCount = Integer.parseInt(o.get("peers", "16"));
    int wantsPerPeer = Integer.parseInt(o.get("wants", "256"));
    double warmup = Double.parseDouble(o.get("warmup", "5"));
    double seconds = Double.parseDouble(o.get("seconds", "10"));
    EngineRig rig = new EngineRig(20_000, 1024, Map.of());
    FaultyTier tier = rig.tier;
    List<Block> blocks = rig.blocks;
    if (tierMs > 0) {
      tier.slowMillis = tierMs;
      tier.reads = FaultyTier.Mode.SLOW;
    }
    MemoryNetwork network = rig.network;
    BitswapEngineComponent engine = rig.engine;
    BitswapLimits limits = rig.limits(limitsName);
    rig.bind("limits", limits, limitsName);

    AtomicLong received = new AtomicLong();
    List<MemoryNetwork> peerNetworks = new ArrayList<>();
    List<WantingPeer> peers = new ArrayList<>();
    for (int p = 0; p < peerCount; p++) {
      MemoryNetwork peerNetwork = new MemoryNetwork(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()));
      // Each peer cycles through its own stripe of the blocks: a want answered leaves the wantlist.
      WantingPeer peer = new WantingPeer(peerNetwork, network.self, blocks, p * (blocks.size() / peerCount), received);
      peerNetwork.addReceiver(peer);
      MemoryNetwork.connect(network, peerNetwork);
      peerNetworks.add(peerNetwork);
      peers.add(peer);
    }
    peers.forEach(p -> p.want(wantsPerPeer));

    Thread.sleep((long) (warmup * 1000));
    long startBlocks = received.get();
    long start = System.nanoTime();
    long samples = 0;
    long limitSum = 0;
    long inFlightSum = 0;
    int limitMax = 0;
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      Thread.sleep(100);
      int l = limits.lookupConcurrency();
      limitSum += l;
      inFlightSum += engine.status().lookupsInFlight();
      limitMax = Math.max(limitMax, l);
      samples++;
    }
    double served = (received.get() - startBlocks) * 1e9 / (System.nanoTime() - start);
    int meanLimit = (int) Math.round((double) limitSum / samples);
    int meanInFlight = (int) Math.max(1, Math.round((double) inFlightSum / samples));
    rig.stopEngine();
    peerNetworks.forEach(MemoryNetwork::close);

    // The ceiling, same run: the tier alone at the engine's limit, and at the lookups it actually ran.
    double ceiling = tierAlone(tier, blocks, meanLimit, 3.0);
    double ceilingInFlight = tierAlone(tier, blocks, meanInFlight, 3.0);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("tool", "SlowTierRun");
    report.put("limits", limitsName);
    report.put("tierMs", tierMs);
    report.put("peers", peerCount);
    report.put("wantsPerPeer", wantsPerPeer);
    report.put("servedBlocksPerSec", Math.round(served));
    report.put("meanLookupConcurrency", meanLimit);
    report.put("maxLookupConcurrency", limitMax);
    report.put("tierCeilingAtMeanConcurrency", Math.round(ceiling));
    report.put("percentOfCeiling", Math.round(1000 * served / ceiling) / 10.0);
    report.put("meanLookupsInFlight", meanInFlight);
    report.put("tierCeilingAtMeanInFlight", Math.round(ceilingInFlight));
    report.put("percentOfCeilingInFlight", Math.round(1000 * served / ceilingInFlight) / 10.0);
    o.report(report, limitsName + "-" + tierMs + "ms");
    rig.close();
    System.exit(0);
  }

  /** Reads per second straight from the tier, {@code concurrency} in flight, for {@code seconds}. */
  private static double tierAlone(FaultyTier tier, List<Block> blocks, int concurrency, double seconds) throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    AtomicLong reads = new AtomicLong();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int i = 0;
    while (System.nanoTime() < end) {
      slots.acquire();
      tier.get(blocks.get(i++ % blocks.size()).cid()).whenComplete((b, e) -> {
        reads.incrementAndGet();
        slots.release();
      });
    }
    slots.acquire(concurrency);
    return reads.get() * 1e9 / (System.nanoTime() - start);
  }
}
