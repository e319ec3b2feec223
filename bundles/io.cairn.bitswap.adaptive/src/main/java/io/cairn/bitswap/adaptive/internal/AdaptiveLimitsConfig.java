package io.cairn.bitswap.adaptive.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap adaptive limits",
    description = "The bitswap engine's limits moved by what it measures (cairn.strategy=adaptive, ranking 10): bytes in flight per peer toward its bandwidth-delay product, all peers capped by a share of the heap that shrinks under memory pressure, and blockstore lookups at once by a latency-gradient rule (Gradient2). Changes apply live; per-peer limits start again from the initial value.")
@interface AdaptiveLimitsConfig {
  @AttributeDefinition(name = "Min outstanding bytes per peer", min = "65536", max = "1073741824",
      description = "The per-peer limit never goes below this (the seed's MinOutstandingBytesPerPeer: 256 KiB).")
  long minPeerOutstandingBytes() default 256 * 1024;

  @AttributeDefinition(name = "Max outstanding bytes per peer", min = "65536", max = "1073741824",
      description = "The per-peer limit never goes above this (the seed's 100 MB), nor above the global budget.")
  long maxPeerOutstandingBytes() default 100L * 1024 * 1024;

  @AttributeDefinition(name = "Initial outstanding bytes per peer", min = "65536", max = "1073741824",
      description = "A new peer's limit before anything is measured (boxo's fixed 1 MiB); clamped to the min and max.")
  long initialPeerOutstandingBytes() default 1 << 20;

  @AttributeDefinition(name = "Bandwidth-delay gain (%)", min = "100", max = "1000",
      description = "The per-peer limit moves toward this share of the measured delivery rate times latency (200: twice the bandwidth-delay product, room to grow while the path keeps up).")
  int bdpGainPercent() default 200;

  @AttributeDefinition(name = "Measurement window (ms)", min = "1", max = "60000",
      description = "A peer's delivery rate and latency are measured over windows at least this long; its limit moves once per window.")
  int windowMillis() default 100;

  @AttributeDefinition(name = "Global budget (% of max heap)", min = "1", max = "90",
      description = "Bytes in flight to all peers together are capped at this share of the JVM's max heap, so 10,000 peers cannot exhaust memory; over it the engine sheds its lowest class.")
  int globalHeapPercent() default 25;

  @AttributeDefinition(name = "Memory pressure at heap use (%)", min = "1", max = "100",
      description = "Heap in use above this share of the max heap counts as memory pressure (checked at most every 100 ms), as does a lookup failing with MemoryPressureException: each halves the global budget (down to 1/16); it doubles back each second without pressure.")
  int memoryPressureHeapPercent() default 85;

  @AttributeDefinition(name = "Min lookups at once", min = "1", max = "65536",
      description = "The lookup concurrency never goes below this (the seed's MinWorkerCount: 128).")
  int minLookupConcurrency() default 128;

  @AttributeDefinition(name = "Max lookups at once", min = "1", max = "65536",
      description = "The lookup concurrency never goes above this (the seed's MaxWorkerCount: 2048).")
  int maxLookupConcurrency() default 2048;

  @AttributeDefinition(name = "Latency tolerance (%)", min = "100", max = "1000",
      description = "Gradient2's tolerance: the lookup concurrency grows while a lookup's latency stays under this share of the long-term (no-load) latency (150: 1.5x), and shrinks as it rises above.")
  int lookupLatencyTolerancePercent() default 150;

  @AttributeDefinition(name = "Smoothing (%)", min = "1", max = "100",
      description = "Gradient2's smoothing: how far the lookup concurrency moves toward each new estimate (20: a fifth).")
  int lookupSmoothingPercent() default 20;

  @AttributeDefinition(name = "Long RTT window (samples)", min = "10", max = "100000",
      description = "Gradient2's long-term latency averages over about this many lookups (600).")
  int lookupLongWindow() default 600;

  @AttributeDefinition(name = "No-load probe interval (ms)", min = "1000", max = "3600000",
      description = "Every this often the lookup concurrency drops to its minimum for as many lookups, to measure the no-load latency again (a tier that got slower is then not mistaken for an overloaded one).")
  int lookupProbeMillis() default 30_000;

  @AttributeDefinition(name = "Shed at queue delay (ms)", min = "0", max = "10000",
      description = "When peers whose best wants are of the lowest class have waited for a task worker longer than this throughout 100 ms (CoDel's rule: a burst passes, a standing queue does not; a peer held back by its own byte budget is not waiting for a worker) while better-class wants wait too, the engine is over capacity: it sheds the lowest class (DONT_HAVE where the peer asked for it, else deferred) as wants arrive and at each turn, so the critical and high classes keep their targets and the wants it admits their latency. Alone, the lowest class is never shed: a peer pinning at full speed waits on its own backlog. 0: never, as boxo.")
  int shedQueueDelayMillis() default 25;
}
