package io.cairn.bitswap.adaptive.internal;

import io.cairn.bitswap.spi.BitswapLimits;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The seed design's AdaptiveBitswapConfig as the engine's limits ({@code cairn.strategy=adaptive},
 * ranking 10, above static):
 * <ul>
 *   <li>per peer: {@link PeerWindow}, toward the measured bandwidth-delay product within
 *       [{@code minPeerOutstandingBytes}, {@code maxPeerOutstandingBytes}], never above the global
 *       budget; a peer that lies about its rate or never reads cannot take more than that;</li>
 *   <li>global: {@code globalHeapPercent} of the max heap, halved on each memory-pressure signal (heap
 *       use over {@code memoryPressureHeapPercent}, or a {@code MemoryPressureException} the engine
 *       reports) down to 1/16, doubled back each second without one;</li>
 *   <li>lookups: {@link GradientLimit} within [{@code minLookupConcurrency}, {@code maxLookupConcurrency}];</li>
 *   <li>while better-class wants wait, the engine is over capacity when peers with only lowest-class wants
 *       wait for a task worker past {@code shedQueueDelayMillis} throughout an interval.</li>
 * </ul>
 * State is kept only for peers the engine has sent to and dropped when they leave.
 */
@Component(configurationPid = AdaptiveLimits.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {PriorityRequestManager.STRATEGY + "=" + AdaptiveLimits.NAME, "service.ranking:Integer=10"})
@Designate(ocd = AdaptiveLimitsConfig.class)
public class AdaptiveLimits implements BitswapLimits {
  public static final String PID = "io.cairn.bitswap.adaptive";
  static final String NAME = "adaptive";
  private static final long HEAP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long RECOVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int MAX_PRESSURE_HALVINGS = 4;

  /** The validated configuration. */
  record Settings(long minPeerBytes, long maxPeerBytes, long initialPeerBytes, double gain, long windowNanos,
      int globalHeapPercent, int pressureHeapPercent, int minLookups, int maxLookups, double tolerance,
      double smoothing, int longWindow, long probeNanos, long shedQueueDelayNanos) {}

  /** Where the heap stands: used and max bytes (the JVM's, or a test's). */
  interface Heap {
    long used();

    long max();
  }

  private static final Heap JVM_HEAP = new Heap() {
    @Override
    public long used() {
      Runtime r = Runtime.getRuntime();
      return r.totalMemory() - r.freeMemory();
    }

    @Override
    public long max() {
      return Runtime.getRuntime().maxMemory();
    }
  };

  private final Logger log;
  private final LongSupplier clock;
  private final Heap heap;
  private final Map<PeerId, PeerWindow> peers = new ConcurrentHashMap<>();
  private volatile Settings settings;
  private GradientLimit lookups;
  private volatile int lookupLimit;
  /** The global budget is the base shifted right by this many halvings (memory pressure). */
  private int halvings;
  private long lastPressure;
  private volatile long lastHeapCheck;
  private volatile long globalBudget;

  @Activate
  public AdaptiveLimits(@Reference(service = LoggerFactory.class) Logger log, AdaptiveLimitsConfig config) {
    this(log, config, System::nanoTime, JVM_HEAP);
  }

  AdaptiveLimits(Logger log, AdaptiveLimitsConfig config, LongSupplier clock, Heap heap) {
    this.log = log;
    this.clock = clock;
    this.heap = heap;
    apply(Configs.validate(PID, config, AdaptiveLimits::of, log)
        .orElseGet(() -> of(Configs.defaults(AdaptiveLimitsConfig.class))));
  }

  @Modified
  void modified(AdaptiveLimitsConfig config) {
    Configs.validate(PID, config, AdaptiveLimits::of, log).ifPresent(this::apply);
  }

  private synchronized void apply(Settings s) {
    settings = s;
    peers.clear();
    lookups = new GradientLimit(s.minLookups(), s.maxLookups(), s.tolerance(), s.smoothing(), s.longWindow(),
        s.probeNanos(), clock.getAsLong());
    lookupLimit = lookups.limit();
    lastHeapCheck = clock.getAsLong() - HEAP_CHECK_NANOS;
    updateGlobal(clock.getAsLong());
  }

  static Settings of(AdaptiveLimitsConfig c) {
    Configs.inRange("minPeerOutstandingBytes", c.minPeerOutstandingBytes(), 65536, 1L << 30);
    Configs.inRange("maxPeerOutstandingBytes", c.maxPeerOutstandingBytes(), 65536, 1L << 30);
    Configs.inRange("initialPeerOutstandingBytes", c.initialPeerOutstandingBytes(), 65536, 1L << 30);
    if (c.minPeerOutstandingBytes() > c.maxPeerOutstandingBytes()) {
      throw new InvalidConfigException("minPeerOutstandingBytes", c.minPeerOutstandingBytes()
          + " is above maxPeerOutstandingBytes " + c.maxPeerOutstandingBytes());
    }
    Configs.inRange("bdpGainPercent", c.bdpGainPercent(), 100, 1000);
    Configs.inRange("windowMillis", c.windowMillis(), 1, 60_000);
    Configs.inRange("globalHeapPercent", c.globalHeapPercent(), 1, 90);
    Configs.inRange("memoryPressureHeapPercent", c.memoryPressureHeapPercent(), 1, 100);
    Configs.inRange("minLookupConcurrency", c.minLookupConcurrency(), 1, 65536);
    Configs.inRange("maxLookupConcurrency", c.maxLookupConcurrency(), 1, 65536);
    if (c.minLookupConcurrency() > c.maxLookupConcurrency()) {
      throw new InvalidConfigException("minLookupConcurrency", c.minLookupConcurrency()
          + " is above maxLookupConcurrency " + c.maxLookupConcurrency());
    }
    Configs.inRange("lookupLatencyTolerancePercent", c.lookupLatencyTolerancePercent(), 100, 1000);
    Configs.inRange("lookupSmoothingPercent", c.lookupSmoothingPercent(), 1, 100);
    Configs.inRange("lookupLongWindow", c.lookupLongWindow(), 10, 100_000);
    Configs.inRange("lookupProbeMillis", c.lookupProbeMillis(), 1000, 3_600_000);
    Configs.inRange("shedQueueDelayMillis", c.shedQueueDelayMillis(), 0, 10_000);
    long initial = Math.max(c.minPeerOutstandingBytes(), Math.min(c.maxPeerOutstandingBytes(), c.initialPeerOutstandingBytes()));
    return new Settings(c.minPeerOutstandingBytes(), c.maxPeerOutstandingBytes(), initial, c.bdpGainPercent() / 100.0,
        TimeUnit.MILLISECONDS.toNanos(c.windowMillis()), c.globalHeapPercent(), c.memoryPressureHeapPercent(),
        c.minLookupConcurrency(), c.maxLookupConcurrency(), c.lookupLatencyTolerancePercent() / 100.0,
        c.lookupSmoothingPercent() / 100.0, c.lookupLongWindow(), TimeUnit.MILLISECONDS.toNanos(c.lookupProbeMillis()),
        TimeUnit.MILLISECONDS.toNanos(c.shedQueueDelayMillis()));
  }

  // ---- the limits

  @Override
  public long peerOutstandingBytes(PeerId peer) {
    PeerWindow w = peers.get(peer);
    long limit;
    if (w == null) {
      limit = settings.initialPeerBytes();
    } else {
      synchronized (w) {
        limit = w.limit();
      }
    }
    return Math.min(limit, globalOutstandingBytes());
  }

  @Override
  public long globalOutstandingBytes() {
    long now = clock.getAsLong();
    if (now - lastHeapCheck >= HEAP_CHECK_NANOS) {
      checkHeap(now);
    }
    return globalBudget;
  }

  @Override
  public int lookupConcurrency() {
    return lookupLimit;
  }

  @Override
  public long shedQueueDelayNanos() {
    return settings.shedQueueDelayNanos();
  }

  // ---- what the engine observes

  @Override
  public void sent(PeerId peer, long bytes, long nanos, boolean ok) {
    long now = clock.getAsLong();
    Settings s = settings;
    PeerWindow w = peers.computeIfAbsent(peer, p -> new PeerWindow(s.initialPeerBytes(), now));
    synchronized (w) {
      w.sent(bytes, nanos, ok, now, s);
    }
  }

  @Override
  public synchronized void lookedUp(long nanos, boolean found, int inFlight) {
    lookups.sample(nanos, inFlight, clock.getAsLong());
    lookupLimit = lookups.limit();
  }

  @Override
  public synchronized void memoryPressure() {
    pressure(clock.getAsLong());
  }

  @Override
  public void peerRtt(PeerId peer, long nanos) {
    PeerWindow w = peers.get(peer);
    if (w != null) {
      synchronized (w) {
        w.rtt(nanos);
      }
    }
  }

  @Override
  public void peerGone(PeerId peer) {
    peers.remove(peer);
  }

  /** Peers with measured state (for tests: bounded by the peers connected). */
  int trackedPeers() {
    return peers.size();
  }

  private synchronized void checkHeap(long now) {
    if (now - lastHeapCheck < HEAP_CHECK_NANOS) {
      return;
    }
    lastHeapCheck = now;
    long max = heap.max();
    if (max > 0 && heap.used() * 100 >= max * settings.pressureHeapPercent()) {
      pressure(now);
    } else {
      updateGlobal(now);
    }
  }

  private void pressure(long now) {
    halvings = Math.min(MAX_PRESSURE_HALVINGS, halvings + 1);
    lastPressure = now;
    updateGlobal(now);
  }

  /** Recovers one halving per second without pressure, and recomputes the budget. */
  private void updateGlobal(long now) {
    while (halvings > 0 && now - lastPressure >= RECOVERY_NANOS) {
      halvings--;
      lastPressure += RECOVERY_NANOS;
    }
    long base = Math.max(settings.minPeerBytes(), heap.max() / 100 * settings.globalHeapPercent());
    globalBudget = Math.max(settings.minPeerBytes(), base >> halvings);
  }
}
