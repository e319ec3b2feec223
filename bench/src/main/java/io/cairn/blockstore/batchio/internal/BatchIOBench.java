package io.cairn.blockstore.batchio.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.memory.internal.BenchMemoryTier;
import io.cairn.blockstore.memory.internal.MemoryTier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * The batch I/O manager's overhead: one op is one batch of {@code batchSize} 1 KiB blocks written to a
 * memory tier and awaited, either through the manager (one putAll, or one put per block, closing one
 * batch by size) or as the baseline, the same batch handed to {@link MemoryTier#putMany} directly, in
 * the same run. blocks/s = ops/s x batchSize; manager/direct is the overhead ratio (the queue budget,
 * the lane, the hop to the writer thread and the hop that answers the futures).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BatchIOBench {
  /** Distinct blocks cycled through: 100 MiB, all of which fit the memory tier, so puts replace. */
  static final int BLOCKS = 100_000;

  @Param({"100", "1000"})
  public int batchSize;

  private List<List<Block>> batches;
  private BlockTier tier;
  private BatchIOComponent manager;
  private int next;

  @Setup(Level.Trial)
  public void setup() {
    Logger silent = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
    tier = BenchMemoryTier.withDefaults(silent);
    batches = new ArrayList<>();
    for (int start = 0; start < BLOCKS; start += batchSize) {
      List<Block> batch = new ArrayList<>(batchSize);
      for (int i = start; i < start + batchSize; i++) {
        byte[] data = new byte[1024];
        data[0] = (byte) i;
        data[1] = (byte) (i >> 8);
        data[2] = (byte) (i >> 16);
        batch.add(Block.raw(data));
      }
      batches.add(List.copyOf(batch));
    }
    // Batches close by size only (the op fills exactly one); the queue never makes a put wait.
    BatchIOConfig config = (BatchIOConfig) Proxy.newProxyInstance(BatchIOConfig.class.getClassLoader(),
        new Class<?>[] {BatchIOConfig.class}, (p, m, a) -> switch (m.getName()) {
          case "annotationType" -> BatchIOConfig.class;
          case "batchSize" -> batchSize;
          case "batchTimeoutMillis" -> 10_000L;
          default -> m.getDefaultValue();
        });
    manager = new BatchIOComponent(silent, config);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.deactivate();
  }

  private List<Block> nextBatch() {
    List<Block> batch = batches.get(next);
    next = next + 1 == batches.size() ? 0 : next + 1;
    return batch;
  }

  @Benchmark
  public Object direct() {
    return tier.putMany(nextBatch()).join();
  }

  @Benchmark
  public Object managerPutAll() {
    return manager.putAll(tier, nextBatch()).join();
  }

  @Benchmark
  public Object managerPuts() {
    List<Block> batch = nextBatch();
    CompletableFuture<?>[] futures = new CompletableFuture<?>[batch.size()];
    for (int i = 0; i < futures.length; i++) {
      futures[i] = manager.put(tier, batch.get(i));
    }
    // The last put closes the batch; joining in order waits once, then finds the rest done.
    for (CompletableFuture<?> f : futures) {
      f.join();
    }
    return futures;
  }
}
