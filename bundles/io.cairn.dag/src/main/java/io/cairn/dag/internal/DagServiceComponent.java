package io.cairn.dag.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.dag.DagVisitor;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.node.config.Configs;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The DAG service: link reading by codec and walks over the node's blockstore. Bitswap is optional and
 * dynamic: without it, walks that fetch fail at the first block missing locally, and everything else works.
 * Walks drain on a small pool of daemon threads (reading links and calling visitors); reads and fetches
 * run on the blockstore's and bitswap's own threads.
 */
@Component(service = DagService.class, configurationPid = DagServiceComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DagConfig.class)
public class DagServiceComponent implements DagService {
  public static final String PID = "io.cairn.dag";

  private final MultiTierBlockstore blockstore;
  private final Logger log;
  private final ExecutorService executor;
  private volatile DagSettings settings;
  private volatile Bitswap bitswap;

  @Activate
  public DagServiceComponent(@Reference MultiTierBlockstore blockstore,
      @Reference(service = LoggerFactory.class) Logger log, DagConfig config) {
    this.blockstore = blockstore;
    this.log = log;
    this.settings = Configs.validate(PID, config, DagSettings::of, log)
        .orElseGet(() -> DagSettings.of(Configs.defaults(DagConfig.class)));
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        r -> Thread.ofPlatform().daemon().name("cairn-dag-" + n.getAndIncrement()).unstarted(r));
  }

  @Modified
  void modified(DagConfig config) {
    Configs.validate(PID, config, DagSettings::of, log).ifPresent(next -> {
      settings = next;
      log.info("{}: maxLinksPerNode {}, maxDepth {}, concurrency {} for walks started from now", PID,
          next.maxLinksPerNode(), next.maxDepth(), next.concurrency());
    });
  }

  @Deactivate
  void deactivate() {
    executor.shutdownNow();
  }

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindBitswap(Bitswap bitswap) {
    this.bitswap = bitswap;
  }

  void unbindBitswap(Bitswap bitswap) {
    if (this.bitswap == bitswap) {
      this.bitswap = null;
    }
  }

  DagSettings settings() {
    return settings;
  }

  @Override
  public boolean supports(long codec) {
    return LinkReader.supports(codec);
  }

  @Override
  public List<Cid> links(Block block) throws DagException {
    return LinkReader.links(block.cid(), block.data(), settings.maxLinksPerNode());
  }

  @Override
  public DagWalk walk(Collection<Cid> roots, WalkOptions options, DagVisitor visitor) {
    Walk walk = new Walk(List.copyOf(roots), options, settings, visitor, blockstore, () -> bitswap, executor);
    walk.start();
    return walk;
  }
}
