package io.cairn.dag.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockService;
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
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The DAG service: link reading by codec and walks over the node's blockstore. Walks that fetch take missing
 * blocks from the block service, which asks peers when bitswap runs: without it, they fail at the first block
 * missing locally, and everything else works. Walks drain on a small pool of daemon threads (reading links
 * and calling visitors); reads and fetches run on the blockstore's and bitswap's own threads.
 */
@Component(service = DagService.class, configurationPid = DagServiceComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DagConfig.class)
public class DagServiceComponent implements DagService {
  public static final String PID = "io.cairn.dag";

  private final MultiTierBlockstore blockstore;
  private final BlockService blocks;
  private final Logger log;
  private final ExecutorService executor;
  private volatile DagSettings settings;

  @Activate
  public DagServiceComponent(@Reference MultiTierBlockstore blockstore, @Reference BlockService blocks,
      @Reference(service = LoggerFactory.class) Logger log, DagConfig config) {
    this.blockstore = blockstore;
    this.blocks = blocks;
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
    Walk walk = new Walk(List.copyOf(roots), options, settings, visitor, blockstore, blocks, executor);
    walk.start();
    return walk;
  }
}
