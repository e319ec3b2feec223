package io.cairn.bitswap;

import java.util.List;
import java.util.Map;

/**
 * The engine's strategies and limits now (for {@code bitswap/stat} and Gogo {@code bitswap:limits}):
 * which priority and limits strategies are in use ({@code cairn.strategy}), each limit's current value
 * beside what is in use against it, the per-peer limits across connected peers (lowest and highest),
 * the want classes, and the counts of graceful degradation since start.
 *
 * @param globalLimitBytes bytes in flight to all peers above which the engine is over capacity ({@link Long#MAX_VALUE}: none)
 * @param outstandingBytes bytes in flight to all peers now
 * @param lookupLimit blockstore lookups allowed at once
 * @param lookupsInFlight blockstore lookups running now
 * @param peerLimitMinBytes lowest per-peer outstanding-bytes limit among connected peers (0 with no peer)
 * @param peerLimitMaxBytes highest per-peer outstanding-bytes limit among connected peers (0 with no peer)
 * @param promoted wants moved up a class after waiting past their class's target
 * @param shed lowest-class wants answered DONT_HAVE because the engine was over capacity
 * @param deferred times a peer with only lowest-class wants was held back because the engine was over capacity
 * @param memoryPressure lookups that failed for lack of memory ({@code MemoryPressureException})
 * @param batchStrategy the batch strategy in use ({@code cairn.strategy}; since 1.2)
 * @param batching how the engine's turns were batched since start (since 1.2)
 */
public record EngineStatus(String priorityStrategy, String limitsStrategy, long globalLimitBytes, long outstandingBytes,
    int lookupLimit, int lookupsInFlight, long peerLimitMinBytes, long peerLimitMaxBytes, List<ClassStatus> classes,
    long promoted, long shed, long deferred, long memoryPressure, String batchStrategy, BatchStatus batching) {
  public EngineStatus {
    classes = List.copyOf(classes);
  }

  /**
   * The engine's turns since start: how many, the wants they took, the blockstore calls made for them
   * (one per want unbatched; two per batch looked up together), the messages sent, and how many turns
   * went for each reason ({@code io.cairn.bitswap.spi.BatchFlush}'s labels: full, timeout, urgent, unbatched).
   */
  public record BatchStatus(long turns, long wants, long lookupCalls, long messagesSent, Map<String, Long> flushes) {
    public BatchStatus {
      flushes = Map.copyOf(flushes);
    }
  }

  /**
   * One want class: its latency target ({@code -1}: none), wants queued in it now, wants answered in it
   * since start, and percentiles of their latency from arrival to the answer written to the connection.
   */
  public record ClassStatus(String name, long targetMillis, long queued, long answered, double p50Millis,
      double p95Millis, double p99Millis) {}
}
