package io.cairn.dag.commands.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.car.Car;
import io.cairn.car.CarFormatException;
import io.cairn.car.CarWriter;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import io.cairn.node.config.Configs;
import io.cairn.pin.Pinner;
import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
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
 * Kubo's {@code dag/import}, {@code dag/export} and {@code dag/stat}, in Kubo's shapes (core/commands/dag).
 * The three share the configuration {@value #PID}.
 */
final class DagCommands {
  public static final String PID = "io.cairn.dag.commands";
  /** How a pin waits when the request gives no timeout: the walk's own per-block timeout bounds a stalled pin. */
  static final Duration PIN_TIMEOUT = Duration.ofHours(24);
  /** dag/stat emits a progress line each time this many more blocks were counted. */
  static final int STAT_PROGRESS_EVERY = 1000;

  private DagCommands() {}

  static Cid cidArgument(String text) throws RpcException {
    String bare = text.startsWith("/ipfs/") ? text.substring("/ipfs/".length()) : text;
    if (bare.isEmpty() || bare.indexOf('/') >= 0) {
      throw RpcException.client("invalid CID \"" + text + "\": expected a CID or /ipfs/<cid> (paths inside a DAG are not resolved here)");
    }
    try {
      return Cid.parse(bare);
    } catch (MultiformatException e) {
      throw RpcException.client("invalid CID \"" + text + "\": " + e.getMessage());
    }
  }

  /** {@code {"/": cid}}, as Kubo writes a CID inside JSON. */
  static Map<String, Object> link(Cid cid) {
    return Map.of("/", cid.toString());
  }

  /** Settings from a configuration, the previous ones kept (and the rejection logged) if it is invalid. */
  static DagCommandsSettings settings(DagCommandsConfig config, DagCommandsSettings previous, Logger log) {
    return Configs.validate(PID, config, DagCommandsSettings::of, log)
        .orElseGet(() -> previous != null ? previous : DagCommandsSettings.of(Configs.defaults(DagCommandsConfig.class)));
  }

  /** Waits for a walk; its failure as the message of a DagException or the visitor's exception. */
  static void await(io.cairn.dag.DagWalk walk) throws WalkFailure {
    try {
      walk.done().get();
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new WalkFailure(cause);
    } catch (CancellationException e) {
      throw new WalkFailure(e);
    } catch (InterruptedException e) {
      walk.cancel();
      Thread.currentThread().interrupt();
      throw new WalkFailure(e);
    }
  }

  /** A walk that failed: a block could not be had or read, or the visitor failed. */
  static final class WalkFailure extends Exception {
    private static final long serialVersionUID = 1L;

    WalkFailure(Throwable cause) {
      super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }
  }

  /**
   * {@code dag/import}: one or more CARs as multipart parts; their blocks stored in batches; with
   * {@code pin-roots} (default true) each root pinned recursively once every CAR was read whole, answered
   * {@code {"Root":{"Cid":{"/":cid},"PinErrorMsg":""}}} (the pin's failure in {@code PinErrorMsg}, and then,
   * as Kubo, the command's error "unable to pin all roots" in the trailer); with {@code stats}, a last line
   * {@code {"Stats":{"BlockCount":n,"BlockBytesCount":n}}} counting every block read, identity blocks
   * included, as Kubo counts. A malformed, truncated or wrong-hash CAR is a client error and pins nothing.
   */
  @Component(property = RpcCommand.PATH + "=dag/import", configurationPid = PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
  @Designate(ocd = DagCommandsConfig.class)
  public static final class Import implements RpcCommand {
    private final MultiTierBlockstore store;
    private final Logger log;
    private volatile DagCommandsSettings settings;
    /** The pinner, when one runs; typed {@code Object} so that this class loads without the pin package (see {@link Pins}). */
    @Reference(service = Pinner.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile Object pinner;

    @Activate
    public Import(@Reference MultiTierBlockstore store, @Reference(service = LoggerFactory.class) Logger log,
        DagCommandsConfig config) {
      this.store = store;
      this.log = log;
      this.settings = settings(config, null, log);
    }

    @Modified
    void modified(DagCommandsConfig config) {
      settings = settings(config, settings, log);
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      boolean pinRoots = request.flag("pin-roots", true);
      boolean stats = request.flag("stats", false);
      request.flag("silent", false);
      request.flag("allow-big-block", false);
      CarImport car = new CarImport(store, settings, n -> {});
      MultipartReader parts = request.parts();
      int files = 0;
      for (Optional<MultipartReader.Part> part = parts.next(); part.isPresent(); part = parts.next()) {
        try {
          car.read(part.get().body());
        } catch (CarFormatException e) {
          throw RpcException.client("CAR file " + (files + 1) + " (" + part.get().filename() + "): " + e.getMessage());
        }
        files++;
      }
      if (files == 0) {
        throw RpcException.client("argument \"path\" is required: send the CAR files as multipart parts");
      }
      RpcResponse.JsonLines lines = response.jsonLines();
      if (pinRoots) {
        Duration timeout = request.timeout().orElse(PIN_TIMEOUT);
        int failed = 0;
        for (Cid root : car.roots()) {
          String error = Pins.pinRecursively(pinner, root, timeout);
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("Cid", link(root));
          meta.put("PinErrorMsg", error);
          lines.write(Map.of("Root", meta));
          failed += error.isEmpty() ? 0 : 1;
        }
        if (failed > 0) {
          // As Kubo: the lines say which roots failed, then the command fails (in the stream's trailer).
          lines.fail("unable to pin all roots: " + failed + " out of " + car.roots().size() + " failed");
          return;
        }
      }
      if (stats) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("BlockCount", car.readBlocks());
        s.put("BlockBytesCount", car.readBytes());
        lines.write(Map.of("Stats", s));
      }
    }
  }

  /**
   * {@code dag/export}: the DAG under {@code arg} as a CAR v1 stream naming it as the root, blocks in
   * depth-first pre-order, each once (Kubo's order), missing blocks fetched from peers. A root that cannot
   * be had is an error before anything is sent; a block lost later ends the stream with the error in the
   * trailer.
   */
  @Component(property = RpcCommand.PATH + "=dag/export", configurationPid = PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
  public static final class Export implements RpcCommand {
    private final DagService dag;
    private final Logger log;
    private volatile DagCommandsSettings settings;

    @Activate
    public Export(@Reference DagService dag, @Reference(service = LoggerFactory.class) Logger log, DagCommandsConfig config) {
      this.dag = dag;
      this.log = log;
      this.settings = settings(config, null, log);
    }

    @Modified
    void modified(DagCommandsConfig config) {
      settings = settings(config, settings, log);
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      Cid root = cidArgument(request.requireArgument(0, "root"));
      request.flag("progress", false);
      CarWriter[] car = new CarWriter[1];
      try {
        export(dag, root, settings.blockTimeout(), () -> Car.writer(response.stream(Car.MEDIA_TYPE), List.of(root)), car);
      } catch (WalkFailure f) {
        throw RpcException.normal(f.getMessage());
      } finally {
        if (car[0] != null) {
          car[0].close();
        }
      }
    }
  }

  /** Something that opens the CAR writer once the first block is in hand. */
  @FunctionalInterface
  interface WriterOpener {
    CarWriter open() throws IOException;
  }

  /**
   * Walks the DAG under {@code root} depth-first, fetching what is missing, and writes each block to the
   * writer {@code open} makes at the first block (so that a missing root fails before anything is sent).
   * {@code car[0]} holds the writer once opened, for the caller to close.
   */
  static long export(DagService dag, Cid root, Duration blockTimeout, WriterOpener open, CarWriter[] car)
      throws WalkFailure, IOException {
    WalkOptions options = new WalkOptions(-1, true, WalkOptions.Order.DFS, blockTimeout);
    try {
      await(dag.walk(List.of(root), options, (Block block, int depth) -> {
        try {
          if (car[0] == null) {
            car[0] = open.open();
          }
          car[0].write(block);
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    } catch (WalkFailure f) {
      if (f.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw f;
    }
    if (car[0] == null) {
      car[0] = open.open();
    }
    car[0].flush();
    return car[0].blocks();
  }

  /**
   * {@code dag/stat}: for each root, its blocks and bytes (each block once per root), and over all roots
   * the unique blocks and their bytes, as Kubo's DagStatSummary: {@code UniqueBlocks}, {@code TotalSize},
   * {@code SharedSize}, {@code Ratio}, {@code DagStats:[{Cid:{"/":cid},Size,NumBlocks}]}, zero fields left
   * out as Kubo's omitempty does. With {@code progress} (default true, as Kubo) a summary line every
   * {@value #STAT_PROGRESS_EVERY} blocks before the last one.
   */
  @Component(property = RpcCommand.PATH + "=dag/stat", configurationPid = PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
  public static final class Stat implements RpcCommand {
    private final DagService dag;
    private final Logger log;
    private volatile DagCommandsSettings settings;

    @Activate
    public Stat(@Reference DagService dag, @Reference(service = LoggerFactory.class) Logger log, DagCommandsConfig config) {
      this.dag = dag;
      this.log = log;
      this.settings = settings(config, null, log);
    }

    @Modified
    void modified(DagCommandsConfig config) {
      settings = settings(config, settings, log);
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      if (request.arguments().isEmpty()) {
        throw RpcException.client("argument \"root\" is required");
      }
      List<Cid> roots = new ArrayList<>();
      for (String arg : request.arguments()) {
        roots.add(cidArgument(arg));
      }
      boolean progress = request.flag("progress", true);
      RpcResponse.JsonLines lines = progress ? response.jsonLines() : null;
      Summary summary = new Summary();
      WalkOptions options = WalkOptions.fetching(settings.blockTimeout());
      for (Cid root : roots) {
        long[] perRoot = new long[2];
        Map<String, Object> stat = summary.add(root);
        try {
          await(dag.walk(List.of(root), options, (block, depth) -> {
            perRoot[0] += block.size();
            perRoot[1]++;
            stat.put("Size", perRoot[0]);
            stat.put("NumBlocks", perRoot[1]);
            summary.count(block);
            if (lines != null && summary.counted % STAT_PROGRESS_EVERY == 0) {
              write(lines, summary.json(false));
            }
            return true;
          }));
        } catch (WalkFailure f) {
          String message = "error traversing DAG: " + f.getMessage();
          if (lines != null) {
            lines.fail(message);
            return;
          }
          throw RpcException.normal(message);
        }
      }
      if (lines != null) {
        lines.write(summary.json(true));
      } else {
        response.json(summary.json(true));
      }
    }

    private static void write(RpcResponse.JsonLines lines, Object value) {
      try {
        lines.write(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Kubo's DagStatSummary as it grows. */
  static final class Summary {
    private final Set<Cid> seen = new HashSet<>();
    private final List<Map<String, Object>> stats = new ArrayList<>();
    private long totalSize;
    private long redundantSize;
    long counted;

    Map<String, Object> add(Cid root) {
      Map<String, Object> stat = new LinkedHashMap<>();
      stat.put("Cid", link(root));
      stats.add(stat);
      return stat;
    }

    synchronized void count(Block block) {
      counted++;
      redundantSize += block.size();
      if (seen.add(block.cid())) {
        totalSize += block.size();
      }
    }

    /** The summary; {@code last} adds UniqueBlocks, SharedSize and Ratio as Kubo does at the end. */
    synchronized Map<String, Object> json(boolean last) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (last && !seen.isEmpty()) {
        m.put("UniqueBlocks", seen.size());
      }
      if (totalSize > 0) {
        m.put("TotalSize", totalSize);
      }
      if (last && redundantSize > totalSize) {
        m.put("SharedSize", redundantSize - totalSize);
      }
      if (last && redundantSize > 0) {
        m.put("Ratio", (float) totalSize / redundantSize);
      }
      List<Map<String, Object>> copy = new ArrayList<>();
      for (Map<String, Object> s : stats) {
        copy.add(new LinkedHashMap<>(s));
      }
      m.put("DagStats", copy);
      return m;
    }
  }
}
