package io.cairn.bitswap.breaker.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.batchio.internal.BenchBatchIO;
import io.cairn.blockstore.memory.internal.BenchMemoryTier;
import io.cairn.blockstore.tiered.internal.BenchTieredStore;
import io.cairn.blockstore.tiered.internal.TieredBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.breaker.NeverOpenBreakers;
import io.cairn.node.config.Configs;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.service.log.Logger;

/**
 * What a circuit breaker costs per call (issue 13), 2 threads, same run:
 * <ul>
 *   <li>{@code permit*}: the breaker alone, one permit and one recorded success: resilience4j's tier
 *       breaker against the unguarded built-in (what the static strategy does too);
 *   <li>{@code timeout*}: bounding a read that is not yet done, as the tiered store does for a tier
 *       that answers asynchronously: a copy with {@code orTimeout}, completed at once, against none;
 *   <li>{@code get*}: a whole tiered-store read of a 1 KiB block from the memory tier, unguarded and
 *       guarded by resilience4j (the memory tier answers at once, so no timeout is scheduled).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(2)
@Fork(1)
public class BreakerBench {
  static final int BLOCKS = 10_000;
  private CircuitBreakers.Breaker resilience4j;
  private CircuitBreakers.Breaker unguarded;
  private io.cairn.blockstore.batchio.internal.BatchIOComponent batchio;
  private TieredBlockstore plain;
  private TieredBlockstore guarded;
  private Cid[] cids;

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup(Level.Trial)
  public void setup() {
    Logger silent = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
    Resilience4jTierBreakers guard = new Resilience4jTierBreakers(silent, Configs.defaults(TierBreakerConfig.class));
    resilience4j = guard.breaker("ssd", (from, to) -> {});
    unguarded = NeverOpenBreakers.CLOSED;
    batchio = BenchBatchIO.withDefaults(silent);
    BlockTier memory = BenchMemoryTier.withDefaults(silent);
    plain = BenchTieredStore.overMemory(silent, batchio, memory);
    guarded = BenchTieredStore.overMemory(silent, batchio, memory);
    BenchTieredStore.guard(guarded, guard, "resilience4j");
    cids = new Cid[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
      byte[] data = new byte[1024];
      data[0] = (byte) i;
      data[1] = (byte) (i >> 8);
      Block b = Block.raw(data);
      memory.put(b).join();
      cids[i] = b.cid();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BenchTieredStore.close(plain);
    BenchTieredStore.close(guarded);
    BenchBatchIO.close(batchio);
  }

  private int index(Cursor c) {
    int i = c.next;
    c.next = i + 1 == BLOCKS ? 0 : i + 1;
    return i;
  }

  private static boolean permit(CircuitBreakers.Breaker b) {
    if (!b.tryAcquire()) {
      return false;
    }
    b.succeeded(1_000);
    return true;
  }

  @Benchmark
  public boolean permitResilience4j() {
    return permit(resilience4j);
  }

  @Benchmark
  public boolean permitUnguarded() {
    return permit(unguarded);
  }

  @Benchmark
  public Object timeoutNone() {
    CompletableFuture<Object> f = new CompletableFuture<>();
    CompletableFuture<Object> out = f.whenComplete((v, e) -> {});
    f.complete(this);
    return out.join();
  }

  @Benchmark
  public Object timeoutOrTimeout() {
    CompletableFuture<Object> f = new CompletableFuture<>();
    CompletableFuture<Object> out = f.copy().orTimeout(500, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {});
    f.complete(this);
    return out.join();
  }

  @Benchmark
  public Block getUnguarded(Cursor c) {
    return plain.get(cids[index(c)]).join();
  }

  @Benchmark
  public Block getResilience4j(Cursor c) {
    return guarded.failFast().get(cids[index(c)]).join();
  }
}
