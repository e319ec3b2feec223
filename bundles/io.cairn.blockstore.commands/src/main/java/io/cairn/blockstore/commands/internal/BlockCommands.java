package io.cairn.blockstore.commands.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockstoreStats;
import io.cairn.blockstore.BlockService;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.node.NodeInfo;
import io.cairn.node.config.Configs;
import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Kubo's {@code block/*} and {@code repo/stat} commands over the node's blockstore, in Kubo's field names
 * (ipfs-cluster and kubo-rpc-client read them). Bad input is a client error (400) and stores nothing; a
 * block the node lacks is Kubo's offline "not found" (500), except that {@code block/get} fetches it over
 * bitswap (through the block service) when bitswap runs.
 */
final class BlockCommands {
  /** {@code repo/stat}'s {@code Version}: the node home's layout, as {@code version}'s {@code Repo}. */
  static final String REPO_VERSION = "cairn-repo@1";

  private BlockCommands() {}

  static Duration timeout(RpcRequest request) throws RpcException {
    return request.timeout().orElse(Blocks.DEFAULT_TIMEOUT);
  }

  static Cid cidArgument(String text) throws RpcException {
    try {
      return Blocks.parseCid(text);
    } catch (IllegalArgumentException e) {
      throw RpcException.client(e.getMessage());
    }
  }

  /** The store's answer, or Kubo's error as {@link #error} makes it. */
  static <T> T await(java.util.concurrent.CompletableFuture<T> future, RpcRequest request, Cid cid) throws RpcException {
    try {
      return Blocks.await(future, timeout(request));
    } catch (Blocks.Failure f) {
      throw error(f, cid);
    }
  }

  /** Kubo's error for a failed lookup: "not found" for a missing block, else the failure's message (500). */
  static RpcException error(Blocks.Failure f, Cid cid) {
    return RpcException.normal(Blocks.isNotFound(f) ? Blocks.notFound(cid) : f.getMessage());
  }

  static Map<String, Object> stat(Cid cid, long size) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Key", cid.toString());
    m.put("Size", size);
    return m;
  }

  /**
   * {@code block/put}: one block per multipart part, each answered with an NDJSON line {@code {Key, Size}}
   * once durable. The options are checked before the body is read; each part is read whole (bounded by the
   * size limit) and hashed before anything is stored, so a bad part stores nothing. Parts before it stay
   * stored and answered, as in Kubo; its error then arrives in the stream's error trailer. With {@code pin}
   * each block is pinned directly once durable, before its line is written; that needs the pinner.
   */
  @Component(property = RpcCommand.PATH + "=block/put")
  public static final class Put implements RpcCommand {
    private final MultiTierBlockstore store;
    /**
     * The pinner, when it runs. Typed {@code Object} so that this class loads without the pin package (an
     * optional import): only {@link DirectPin} casts it.
     */
    @Reference(service = io.cairn.pin.Pinner.class, cardinality = ReferenceCardinality.OPTIONAL,
        policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Object pinner;

    @Activate
    public Put(@Reference MultiTierBlockstore store) {
      this.store = store;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      CidFormat format;
      try {
        format = CidFormat.of(request.option("cid-codec").orElse(null), request.option("format").orElse(null),
            request.option("mhtype").orElse(null), request.longOption("mhlen", -1, -1, 1024));
      } catch (IllegalArgumentException e) {
        throw RpcException.client(e.getMessage());
      }
      boolean pin = request.flag("pin", false);
      Object pins = pinner;
      if (pin && pins == null) {
        // Refused rather than ignored: a block the caller believes pinned could be collected later.
        throw RpcException.normal("pin=true needs the pinner (io.cairn.pin), which is not running; put the block "
            + "without pin (ipfs-cluster sends pin=false)");
      }
      boolean allowBig = request.flag("allow-big-block", false);
      int hardMax = store.maxBlockSize();
      int limit = allowBig ? hardMax : Math.min(Blocks.SOFT_BLOCK_LIMIT, hardMax);
      MultipartReader parts = request.parts();
      RpcResponse.JsonLines lines = null;
      for (Optional<MultipartReader.Part> part = parts.next(); part.isPresent(); part = parts.next()) {
        byte[] data = Blocks.readAtMost(part.get().body(), limit);
        if (data.length > limit) {
          throw RpcException.client(!allowBig && limit == Blocks.SOFT_BLOCK_LIMIT ? Blocks.BIG_BLOCK
              : "block in part " + part.get().index() + " is over the blockstore's maximum block size of " + hardMax
                  + " bytes (maxBlockSize of io.cairn.blockstore)");
        }
        Cid cid;
        try {
          cid = format.cidOf(data);
        } catch (IllegalArgumentException e) {
          throw RpcException.client(e.getMessage());
        }
        await(store.put(new Block(cid, data)), request, cid);
        if (pin) {
          try {
            DirectPin.pin(pins, cid, timeout(request));
          } catch (Blocks.Failure f) {
            throw RpcException.normal("pinning " + cid + " failed: " + f.getMessage());
          }
        }
        if (lines == null) {
          lines = response.jsonLines();
        }
        lines.write(stat(cid, data.length));
      }
      if (lines == null) {
        throw RpcException.client("file argument 'data' is required: send the block as a multipart part");
      }
    }
  }

  /**
   * {@code block/get}: the block's bytes, streamed from the tier that holds it. A block the blockstore
   * lacks is fetched from peers through the block service when bitswap runs, within the request's
   * {@code timeout} (what the local lookup left of it) or else {@code fetchTimeoutMillis}; without the
   * client it is Kubo's offline "not found".
   */
  @Component(property = RpcCommand.PATH + "=block/get", configurationPid = Get.PID,
      configurationPolicy = ConfigurationPolicy.OPTIONAL)
  @Designate(ocd = BlockGetConfig.class)
  public static final class Get implements RpcCommand {
    public static final String PID = "io.cairn.blockstore.commands.get";

    private final MultiTierBlockstore store;
    private final BlockService blocks;
    private final Logger log;
    private volatile BlockGetSettings settings;

    @Activate
    public Get(@Reference MultiTierBlockstore store, @Reference BlockService blocks,
        @Reference(service = LoggerFactory.class) Logger log, BlockGetConfig config) {
      this.store = store;
      this.blocks = blocks;
      this.log = log;
      this.settings = Configs.validate(PID, config, BlockGetSettings::of, log)
          .orElseGet(() -> BlockGetSettings.of(Configs.defaults(BlockGetConfig.class)));
    }

    @Modified
    void modified(BlockGetConfig config) {
      Configs.validate(PID, config, BlockGetSettings::of, log).ifPresent(next -> settings = next);
    }

    BlockGetSettings settings() {
      return settings;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      Cid cid = cidArgument(request.requireArgument(0, "cid"));
      Optional<Duration> requested = request.timeout();
      long start = System.nanoTime();
      // What the local lookup left of the request's timeout, else the configured fetch timeout.
      Supplier<Duration> fetchTimeout = () -> requested.map(t -> t.minusNanos(System.nanoTime() - start))
          .orElse(settings.fetchTimeout());
      InputStream found;
      try {
        found = Blocks.open(store, blocks, cid, timeout(request), fetchTimeout);
      } catch (Blocks.Failure f) {
        throw error(f, cid);
      }
      try (InputStream in = found) {
        byte[] buffer = new byte[64 * 1024];
        // The first bytes are read before the answer starts, so an early failure is still a plain error.
        int n = read(in, buffer, cid);
        OutputStream out = response.stream("application/vnd.ipld.raw");
        while (n >= 0) {
          out.write(buffer, 0, n);
          n = read(in, buffer, cid);
        }
        out.flush();
      }
    }

    /** A failure reading the block (a checksum or hash mismatch at its end) is the node's error, not the client's. */
    private static int read(InputStream in, byte[] buffer, Cid cid) throws RpcException {
      try {
        return in.read(buffer);
      } catch (IOException e) {
        throw RpcException.normal("reading block " + cid + " failed: " + e.getMessage());
      }
    }
  }

  /** {@code block/stat}: {@code {Key, Size}}. */
  @Component(property = RpcCommand.PATH + "=block/stat")
  public static final class Stat implements RpcCommand {
    private final MultiTierBlockstore store;

    @Activate
    public Stat(@Reference MultiTierBlockstore store) {
      this.store = store;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      Cid cid = cidArgument(request.requireArgument(0, "cid"));
      response.json(stat(cid, await(store.getSize(cid), request, cid)));
    }
  }

  /**
   * {@code block/rm}: NDJSON lines as Kubo's removedBlock ({@code Hash}, and {@code Error} only when the
   * block could not be removed: Kubo omits empty fields). A missing block is an error line unless
   * {@code force}; {@code quiet} leaves out the lines of removed blocks. Every argument is checked first,
   * so a bad one removes nothing.
   */
  @Component(property = RpcCommand.PATH + "=block/rm")
  public static final class Rm implements RpcCommand {
    private final MultiTierBlockstore store;

    @Activate
    public Rm(@Reference MultiTierBlockstore store) {
      this.store = store;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      if (request.arguments().isEmpty()) {
        throw RpcException.client("argument \"cid\" is required");
      }
      boolean force = request.flag("force", false);
      boolean quiet = request.flag("quiet", false);
      List<Cid> cids = new ArrayList<>();
      for (String arg : request.arguments()) {
        cids.add(cidArgument(arg));
      }
      Duration timeout = timeout(request);
      RpcResponse.JsonLines lines = response.jsonLines();
      for (Cid cid : cids) {
        String error = null;
        try {
          boolean removed = Blocks.await(store.delete(cid), timeout);
          if (!removed && !force) {
            error = Blocks.couldNotFind(cid);
          }
        } catch (Blocks.Failure f) {
          error = f.getMessage();
        }
        if (error != null || !quiet) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("Hash", cid.toString());
          if (error != null) {
            line.put("Error", error);
          }
          lines.write(line);
        }
      }
    }
  }

  /**
   * {@code repo/stat}: Kubo's fields. {@code RepoSize} is the bytes the blocks take in the persistent tiers,
   * {@code StorageMax} their capacity (ipfs-cluster's free-space informer uses the difference),
   * {@code NumObjects} the blocks they hold. With {@code size-only} the other fields are zero, as in Kubo;
   * {@code human} only changes Kubo's text output, so JSON is the same.
   */
  @Component(property = RpcCommand.PATH + "=repo/stat")
  public static final class RepoStat implements RpcCommand {
    private final MultiTierBlockstore store;
    private final NodeInfo node;

    @Activate
    public RepoStat(@Reference MultiTierBlockstore store, @Reference NodeInfo node) {
      this.store = store;
      this.node = node;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      boolean sizeOnly = request.flag("size-only", false);
      request.flag("human", false);
      BlockstoreStats stats = store.stats();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("RepoSize", stats.usedBytes());
      m.put("StorageMax", stats.capacityBytes());
      m.put("NumObjects", sizeOnly ? 0 : stats.blocks());
      m.put("RepoPath", sizeOnly ? "" : node.home().toString());
      m.put("Version", sizeOnly ? "" : REPO_VERSION);
      response.json(m);
    }
  }
}
