package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.EngineStatus;
import io.cairn.bitswap.batch.internal.AdaptiveBatching;
import io.cairn.bitswap.fixed.internal.StaticBatching;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.spi.BatchRequestProcessor;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.batchio.internal.BatchIOComponent;
import io.cairn.blockstore.batchio.internal.BenchBatchIO;
import io.cairn.blockstore.memory.internal.BenchMemoryTier;
import io.cairn.blockstore.memory.internal.MemoryTier;
import io.cairn.blockstore.tiered.internal.BenchTieredStore;
import io.cairn.blockstore.tiered.internal.TieredBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.service.log.Logger;

/**
 * Batching against no batching (the static strategy, boxo's engine), same run: the real engine over the
 * real tiered store and memory tier, on an in-memory network whose sends complete at once.
 * <ul>
 *   <li>{@code smallWants}: one peer sends {@code wants} want-blocks for 1 KiB blocks, each in its own
 *       message (a client that asks as it discovers links), and the round ends when every block is
 *       sent. Counted per round: messages sent and blockstore calls the engine made;</li>
 *   <li>{@code loneWant}: one want-block alone, round trip: what batching costs a want with nobody
 *       behind it (the hold is the batch timeout, 10 ms by default);</li>
 *   <li>{@code lookupEach} / {@code lookupMany}: the lookup path alone, 100 CIDs through the tiered
 *       store as 100 {@code get}s or one {@code getMany}.</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar BatchingBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BatchingBench {
  @Param({"static", "adaptive"})
  public String batching;

  @Param({"100"})
  public int wants;

  private final Logger silent = Components.logger();
  private BatchIOComponent batchio;
  private MemoryTier memory;
  private TieredBlockstore store;
  private BitswapEngineComponent engine;
  private final CountingNetwork network = new CountingNetwork();
  private final List<Block> blocks = new ArrayList<>();
  private List<Cid> cids;
  private final PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  private List<BitswapMessage> oneWantEach;
  private int next;

  /** Sends complete at once; counts messages and the blocks in them, and lets a round wait for its blocks. */
  static final class CountingNetwork implements BitswapNetwork {
    final List<BitswapReceiver> receivers = new CopyOnWriteArrayList<>();
    final Semaphore blocksSent = new Semaphore(0);
    final AtomicLong messages = new AtomicLong();

    @Override
    public CompletableFuture<Void> send(PeerId to, BitswapMessage message) {
      messages.incrementAndGet();
      blocksSent.release(message.blocks().size());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<PeerId> peers() {
      return Set.of();
    }

    @Override
    public Optional<BitswapProtocol> protocol(PeerId p) {
      return Optional.of(BitswapProtocol.V1_2_0);
    }

    @Override
    public void addReceiver(BitswapReceiver receiver) {
      receivers.add(receiver);
    }

    @Override
    public void removeReceiver(BitswapReceiver receiver) {
      receivers.remove(receiver);
    }

    @Override
    public void disconnect(PeerId p, String reason) {}
  }

  /** Per round: messages the engine sent and blockstore calls it made. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Costs {
    public long messages;
    public long lookupCalls;
    public long rounds;

    @Setup(Level.Iteration)
    public void clear() {
      messages = 0;
      lookupCalls = 0;
      rounds = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    batchio = BenchBatchIO.withDefaults(silent);
    memory = BenchMemoryTier.withDefaults(silent);
    store = BenchTieredStore.overMemory(silent, batchio, memory);
    for (int i = 0; i < 20_000; i++) {
      byte[] data = new byte[1024];
      for (int k = 0; k < 4; k++) {
        data[k] = (byte) (i >> (8 * k));
      }
      Block b = Block.raw(data);
      blocks.add(b);
      memory.put(b).join();
    }
    cids = blocks.subList(0, 100).stream().map(Block::cid).toList();
    engine = (BitswapEngineComponent) Components.createWith(Object.class, BitswapEngineComponent.class.getName(),
        Map.of(), network, store, silent);
    BatchRequestProcessor strategy = batching.equals("static") ? new StaticBatching()
        : Components.createWith(AdaptiveBatching.class, AdaptiveBatching.class.getName(), Map.of(), silent);
    Components.call(engine, "bindBatch", strategy, Map.of(PriorityRequestManager.STRATEGY, batching,
        "service.ranking", 10, "service.id", 1L));
    network.receivers.forEach(r -> r.peerConnected(peer, BitswapProtocol.V1_2_0));
    oneWantEach = blocks.stream()
        .map(b -> BitswapMessage.wants(List.of(WantlistEntry.wantBlock(b.cid(), 1, false)))).toList();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Components.deactivate(engine);
    BenchTieredStore.close(store);
    BenchBatchIO.close(batchio);
  }

  /** The next {@code n} wants, cycling through the blocks (a want answered leaves the wantlist, so it may come again). */
  private void send(int n) {
    for (int i = 0; i < n; i++) {
      BitswapMessage m = oneWantEach.get(next);
      next = (next + 1) % oneWantEach.size();
      for (BitswapReceiver r : network.receivers) {
        r.receive(peer, m);
      }
    }
  }

  private void awaitBlocks(int n) throws InterruptedException {
    if (!network.blocksSent.tryAcquire(n, 10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the engine did not answer within 10 s");
    }
  }

  @Benchmark
  public void smallWants(Costs costs) throws InterruptedException {
    EngineStatus.BatchStatus before = engine.status().batching();
    long messages = network.messages.get();
    send(wants);
    awaitBlocks(wants);
    costs.messages += network.messages.get() - messages;
    costs.lookupCalls += engine.status().batching().lookupCalls() - before.lookupCalls();
    costs.rounds++;
  }

  @Benchmark
  public void loneWant() throws InterruptedException {
    send(1);
    awaitBlocks(1);
  }

  @Benchmark
  public int lookupEach() {
    List<CompletableFuture<Block>> each = new ArrayList<>(cids.size());
    for (Cid c : cids) {
      each.add(store.get(c));
    }
    int found = 0;
    for (CompletableFuture<Block> f : each) {
      found += f.join() != null ? 1 : 0;
    }
    return found;
  }

  @Benchmark
  public int lookupMany() {
    int found = 0;
    for (Block b : store.getMany(cids).join()) {
      found += b != null ? 1 : 0;
    }
    return found;
  }
}
