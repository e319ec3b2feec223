package io.cairn.bitswap.batch.internal;

import io.cairn.bitswap.spi.Batch;
import io.cairn.bitswap.spi.BatchFlush;
import io.cairn.bitswap.spi.BatchRequestProcessor;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The seed design's BatchRequestProcessor ({@code cairn.strategy=adaptive}, ranking 10, above static):
 * <ul>
 *   <li>a peer with fewer than {@code minBatchSize} wants queued is held until it has that many, or
 *       until no want of it came for {@code lingerMillis}, or until its longest-queued want has waited
 *       {@code batchTimeoutMillis}, whichever first. So batching adds at most the timeout to any want's
 *       latency, nothing to a want that waited that long already (e.g. for the peer's byte budget), and
 *       at most the linger to a round of a client that asks and then waits for the answers;</li>
 *   <li>a critical-class want is never held: its class's 10 ms target is the timeout itself. High-class
 *       wants (50 ms target) wait at most the timeout, a fifth of their target at the defaults;</li>
 *   <li>the batch adapts to the backlog: a turn takes all the peer's queued wants up to
 *       {@code maxBatchSize} (at least {@code minBatchSize}), and is looked up together: one
 *       {@code getSizes} and one {@code getMany} pass over the blockstore, one call per tier, reading
 *       only the blocks that fit the peer's byte budget; the hold adapts to the arrivals (linger).</li>
 * </ul>
 */
@Component(configurationPid = AdaptiveBatching.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {PriorityRequestManager.STRATEGY + "=" + AdaptiveBatching.NAME, "service.ranking:Integer=10"})
@Designate(ocd = AdaptiveBatchingConfig.class)
public class AdaptiveBatching implements BatchRequestProcessor {
  public static final String PID = "io.cairn.bitswap.batch";
  static final String NAME = "adaptive";

  /** The validated configuration. */
  record Settings(int minBatchSize, int maxBatchSize, long timeoutNanos, long lingerNanos) {}

  private final Logger log;
  private volatile Settings settings;

  @Activate
  public AdaptiveBatching(@Reference(service = LoggerFactory.class) Logger log, AdaptiveBatchingConfig config) {
    this.log = log;
    settings = Configs.validate(PID, config, AdaptiveBatching::of, log)
        .orElseGet(() -> of(Configs.defaults(AdaptiveBatchingConfig.class)));
  }

  @Modified
  void modified(AdaptiveBatchingConfig config) {
    Configs.validate(PID, config, AdaptiveBatching::of, log).ifPresent(s -> settings = s);
  }

  static Settings of(AdaptiveBatchingConfig c) {
    Configs.inRange("minBatchSize", c.minBatchSize(), 1, 10_000);
    Configs.inRange("maxBatchSize", c.maxBatchSize(), 1, 10_000);
    Configs.inRange("batchTimeoutMillis", c.batchTimeoutMillis(), 0, 100);
    Configs.inRange("lingerMillis", c.lingerMillis(), 0, 100);
    if (c.maxBatchSize() < c.minBatchSize()) {
      throw new InvalidConfigException("maxBatchSize",
          c.maxBatchSize() + " is below minBatchSize " + c.minBatchSize());
    }
    return new Settings(c.minBatchSize(), c.maxBatchSize(), TimeUnit.MILLISECONDS.toNanos(c.batchTimeoutMillis()),
        TimeUnit.MILLISECONDS.toNanos(c.lingerMillis()));
  }

  @Override
  public Batch plan(PeerTurn peer, long waitedNanos, int turnSize) {
    Settings s = settings;
    int size = Math.clamp(peer.queuedWants(), s.minBatchSize(), s.maxBatchSize());
    if (peer.bestClass() == WantClass.CRITICAL) {
      return new Batch(size, 0, true, BatchFlush.URGENT);
    }
    if (peer.queuedWants() >= s.minBatchSize()) {
      return new Batch(size, 0, true, BatchFlush.FULL);
    }
    long left = Math.max(0, s.timeoutNanos() - waitedNanos);
    long hold = s.lingerNanos() > 0 ? Math.min(left, s.lingerNanos()) : left;
    return new Batch(size, hold, true, BatchFlush.TIMEOUT);
  }
}
