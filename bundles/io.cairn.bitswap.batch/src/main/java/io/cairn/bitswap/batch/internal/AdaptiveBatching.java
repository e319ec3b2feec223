package io.cairn.bitswap.batch.internal;

import io.cairn.bitswap.spi.Batch;
import io.cairn.bitswap.spi.BatchFlush;
import io.cairn.bitswap.spi.BatchRequestProcessor;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *   <li>a peer's turn goes when as many wants are queued as its batch takes, or when its longest-queued
 *       want has waited {@code batchTimeoutMillis}, whichever first; so batching adds at most the
 *       timeout to any want's latency, and nothing to a want that waited that long already (e.g. for
 *       the peer's byte budget);</li>
 *   <li>a critical-class want never waits: its 10 ms target is the timeout itself, so a held peer is
 *       released the moment one is queued. High-class wants (50 ms target) wait at most the timeout,
 *       a fifth of their target at the defaults;</li>
 *   <li>every turn is looked up together: one {@code getSizes} and one {@code getMany} pass over the
 *       blockstore (one call per tier), reading only what fits the peer's byte budget;</li>
 *   <li>each peer's batch size starts at {@code minBatchSize} and doubles (up to {@code maxBatchSize})
 *       when a batch fills before its timeout: the peer asks faster than batches take, and bigger
 *       passes cost fewer calls per want; it shrinks by a quarter (down to {@code minBatchSize}) when
 *       a timeout sends a batch less than half full, so a peer that slowed down is not held for a size
 *       it no longer reaches.</li>
 * </ul>
 */
@Component(configurationPid = AdaptiveBatching.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {PriorityRequestManager.STRATEGY + "=" + AdaptiveBatching.NAME, "service.ranking:Integer=10"})
@Designate(ocd = AdaptiveBatchingConfig.class)
public class AdaptiveBatching implements BatchRequestProcessor {
  public static final String PID = "io.cairn.bitswap.batch";
  static final String NAME = "adaptive";

  /** The validated configuration. */
  record Settings(int minBatchSize, int maxBatchSize, long timeoutNanos) {}

  private final Logger log;
  private volatile Settings settings;
  /** Each connected peer's batch size, once it moved from the smallest. */
  private final Map<PeerId, Integer> sizes = new ConcurrentHashMap<>();

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
    if (c.maxBatchSize() < c.minBatchSize()) {
      throw new InvalidConfigException("maxBatchSize",
          c.maxBatchSize() + " is below minBatchSize " + c.minBatchSize());
    }
    return new Settings(c.minBatchSize(), c.maxBatchSize(), TimeUnit.MILLISECONDS.toNanos(c.batchTimeoutMillis()));
  }

  /** The peer's batch size now, within the current bounds. */
  int size(PeerId peer) {
    Settings s = settings;
    Integer size = sizes.get(peer);
    return size == null ? s.minBatchSize() : Math.clamp(size, s.minBatchSize(), s.maxBatchSize());
  }

  @Override
  public Batch plan(PeerTurn peer, long waitedNanos, int turnSize) {
    Settings s = settings;
    int size = size(peer.peer());
    if (peer.bestClass() == WantClass.CRITICAL) {
      return new Batch(size, 0, true, BatchFlush.URGENT);
    }
    if (peer.queuedWants() >= size) {
      return new Batch(size, 0, true, BatchFlush.FULL);
    }
    long left = s.timeoutNanos() - waitedNanos;
    return new Batch(size, Math.max(0, left), true, BatchFlush.TIMEOUT);
  }

  @Override
  public void served(PeerId peer, int wants, BatchFlush flush, long lookupNanos) {
    Settings s = settings;
    int size = size(peer);
    int next = size;
    if (flush == BatchFlush.FULL && wants >= size) {
      next = (int) Math.min(s.maxBatchSize(), 2L * size);
    } else if (flush == BatchFlush.TIMEOUT && wants < size / 2) {
      next = Math.max(s.minBatchSize(), size - size / 4);
    }
    if (next != size) {
      sizes.put(peer, next);
    }
  }

  @Override
  public void peerGone(PeerId peer) {
    sizes.remove(peer);
  }
}
