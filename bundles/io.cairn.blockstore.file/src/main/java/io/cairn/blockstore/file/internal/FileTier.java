package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.CompressionCodec;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import io.cairn.node.NodeInfo;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A persistent block tier, one per factory configuration of {@value #PID} (e.g. {@code ~ssd},
 * {@code ~hdd}). Its {@code cairn.tier} and {@code cairn.tier.rank} configuration properties become
 * the service properties the tiered store orders tiers by.
 *
 * <p>Codecs are a dynamic, greedy reference: records name the codec that wrote them, so any installed
 * codec reads its old blocks, and the configured one writes. A codec leaving while blocks still need
 * it is held up in its unbind until those blocks are rewritten raw: nothing becomes unreadable.
 *
 * <p>Every call returns at once, as {@link io.cairn.blockstore.Blockstore} promises: writes queue for
 * the store's writer, and reads (even {@code has}, whose index lookup may fault a page in) run on the
 * tier's {@link ReadExecutor}, at most {@code maxConcurrentReads} at once.
 */
// Immediate: the segments are checked (and the index rebuilt if need be) at start, not on the first read.
@Component(service = BlockTier.class, configurationPid = FileTier.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
    immediate = true)
@Designate(ocd = FileTierConfig.class, factory = true)
public class FileTier implements BlockTier {
  public static final String PID = "io.cairn.blockstore.file";

  private record BoundCodec(CompressionCodec codec, int ranking, long serviceId) {
  }

  private static final Comparator<BoundCodec> BEST_FIRST = Comparator.comparingInt(BoundCodec::ranking).reversed()
      .thenComparingLong(BoundCodec::serviceId);

  private final CopyOnWriteArrayList<BoundCodec> codecs = new CopyOnWriteArrayList<>();
  private final Logger log;
  private final Path home;
  private final FileStore store;
  private final ReadExecutor reads;
  /** Set once deactivated: DS unbinds the codecs after that, and a closing tier rewrites nothing. */
  private volatile boolean closed;

  @Activate
  public FileTier(@Reference(service = LoggerFactory.class) Logger log, @Reference NodeInfo node,
      FileTierConfig config) throws IOException {
    this(log, node.home(), config);
  }

  FileTier(Logger log, Path home, FileTierConfig config) throws IOException {
    this.log = log;
    this.home = home;
    FileTierSettings settings = Configs.validate(PID, config, c -> FileTierSettings.of(c, home), log)
        .orElseThrow(() -> new IllegalArgumentException(PID + ": invalid configuration (logged above)"));
    this.store = FileStore.open(settings, new FileStore.Codecs() {
      @Override
      public CompressionCodec byId(int id) {
        return codecs.stream().filter(b -> b.codec().id() == id).sorted(BEST_FIRST).map(BoundCodec::codec)
            .findFirst().orElse(null);
      }

      @Override
      public CompressionCodec byName(String name) {
        return codecs.stream().filter(b -> b.codec().name().equals(name)).sorted(BEST_FIRST).map(BoundCodec::codec)
            .findFirst().orElse(null);
      }
    }, new FileStore.Events() {
      @Override
      public void info(String message) {
        log.info(message);
      }

      @Override
      public void warn(String message) {
        log.warn(message);
      }
    });
    this.reads = new ReadExecutor(settings.name(), settings.maxConcurrentReads());
    log.info("{} tier open in {}: {} blocks, {} bytes", settings.name(), settings.folder(), store.stats().blocks(),
        store.stats().usedBytes());
  }

  @Modified
  void modified(FileTierConfig config) {
    FileTierSettings current = store.settings();
    Configs.validate(PID, config, c -> {
      FileTierSettings next = FileTierSettings.of(c, home);
      if (!next.name().equals(current.name())) {
        throw new InvalidConfigException("cairn.tier", "is " + current.name()
            + " while the tier runs; make a new configuration for a new tier");
      }
      if (!next.folder().equals(current.folder())) {
        throw new InvalidConfigException("path", "is " + current.folder()
            + " while the tier runs; stop the tier, move its folder, then change it");
      }
      return next;
    }, log).ifPresent(next -> {
      store.apply(next);
      reads.limit(next.maxConcurrentReads());
      log.info("{} tier settings now {}", next.name(), next);
    });
  }

  /** How long a closing tier lets running reads finish before it closes their segments under them. */
  private static final long READS_CLOSE_WAIT_MS = 10_000;

  @Deactivate
  void deactivate() throws IOException {
    closed = true;
    if (!reads.close(READS_CLOSE_WAIT_MS)) {
      log.warn("{} tier: reads still running after {} ms; closing the segments under them", name(),
          READS_CLOSE_WAIT_MS);
    }
    store.close();
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindCodec(CompressionCodec codec, Map<String, Object> properties) {
    codecs.add(new BoundCodec(codec, ranking(properties), (Long) properties.get(Constants.SERVICE_ID)));
  }

  /**
   * A codec is leaving. Its service object still works here, so if this tier holds blocks only it can
   * read (no other codec with its id remains), they are rewritten raw before the unbind returns.
   */
  void unbindCodec(CompressionCodec codec, Map<String, Object> properties) {
    long serviceId = (Long) properties.get(Constants.SERVICE_ID);
    boolean replaced = codecs.stream().anyMatch(b -> b.serviceId() != serviceId && b.codec().id() == codec.id());
    long needing = store.blocksWithCodec(codec.id());
    if (!closed && !replaced && needing > 0) {
      log.warn("codec {} is leaving while the {} tier has {} blocks written by it: rewriting them raw first",
          codec.name(), store.settings().name(), needing);
      try {
        long rewritten = store.reencode(codec).get();
        log.info("rewrote {} blocks of codec {}; it can go", rewritten, codec.name());
      } catch (ExecutionException e) {
        log.error("rewriting the blocks of codec {} failed ({}); they stay readable once it is back", codec.name(),
            e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    codecs.removeIf(b -> b.serviceId() == serviceId);
  }

  private static int ranking(Map<String, Object> properties) {
    return properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
  }

  @Override
  public String name() {
    return store.settings().name();
  }

  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public TierStats stats() {
    return store.stats();
  }

  @Override
  public CompletableFuture<Boolean> has(Cid cid) {
    return reads.submit(() -> store.has(cid));
  }

  @Override
  public CompletableFuture<Block> get(Cid cid) {
    return reads.submit(() -> store.get(cid));
  }

  /** Opens the stream on a reading thread; the stream's own reads then run on whoever consumes it. */
  @Override
  public CompletableFuture<InputStream> getStream(Cid cid) {
    return reads.submit(() -> store.getStream(cid));
  }

  @Override
  public CompletableFuture<Integer> getSize(Cid cid) {
    return reads.submit(() -> {
      int size = store.size(cid);
      if (size < 0) {
        throw new BlockNotFoundException(cid, "no block " + cid + " in the " + name() + " tier");
      }
      return size;
    });
  }

  @Override
  public CompletableFuture<Void> put(Block block) {
    return store.putMany(List.of(block));
  }

  @Override
  public CompletableFuture<Void> putMany(List<Block> blocks) {
    return store.putMany(blocks);
  }

  @Override
  public CompletableFuture<Boolean> delete(Cid cid) {
    return store.delete(cid);
  }

  @Override
  public Stream<Cid> keys() {
    return store.keys();
  }
}
