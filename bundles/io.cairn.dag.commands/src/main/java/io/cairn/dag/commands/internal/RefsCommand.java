package io.cairn.dag.commands.internal;

import io.cairn.dag.DagService;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import io.cairn.node.config.Configs;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Kubo's {@code refs}: the links of each {@code arg} DAG as NDJSON lines {@code {"Ref": ..., "Err": ""}}, in
 * Kubo's order (depth-first, each edge as its child is reached), with Kubo's options {@code recursive},
 * {@code unique}, {@code max-depth} (recursive only; without {@code recursive} it is 1), {@code edges} and
 * {@code format} ({@code <src>}, {@code <dst>}, {@code <linkname>}). A DAG that cannot be listed to its end
 * gets a line {@code {"Ref": "", "Err": <why>}} and the next one is listed, as Kubo does. Blocks missing
 * locally are fetched over bitswap when it runs.
 *
 * <p>The walk visits each block once; Kubo's non-unique listing walks a subtree again each time it is
 * linked. Here a repeated link is listed each time, but what lies below it only the first time.
 */
@Component(service = RpcCommand.class, property = RpcCommand.PATH + "=refs", configurationPid = RefsCommand.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RefsConfig.class)
public class RefsCommand implements RpcCommand {
  public static final String PID = "io.cairn.dag.refs";

  private final DagService dag;
  private final Logger log;
  private volatile RefsSettings settings;

  @Activate
  public RefsCommand(@Reference DagService dag, @Reference(service = LoggerFactory.class) Logger log, RefsConfig config) {
    this.dag = dag;
    this.log = log;
    this.settings = Configs.validate(PID, config, RefsSettings::of, log)
        .orElseGet(() -> RefsSettings.of(Configs.defaults(RefsConfig.class)));
  }

  @Modified
  void modified(RefsConfig config) {
    Configs.validate(PID, config, RefsSettings::of, log).ifPresent(next -> settings = next);
  }

  @Override
  public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
    if (request.arguments().isEmpty()) {
      throw RpcException.client("argument \"ipfs-path\" is required");
    }
    boolean unique = request.flag("unique", false);
    int maxDepth = request.flag("recursive", false)
        ? (int) request.longOption("max-depth", -1, -1, Integer.MAX_VALUE) : 1;
    String format = request.option("format").orElse("<dst>");
    if (request.flag("edges", false)) {
      if (!format.equals("<dst>")) {
        throw RpcException.normal("using format argument with edges is not allowed");
      }
      format = "<src> -> <dst>";
    }
    List<Cid> roots = new ArrayList<>();
    for (String arg : request.arguments()) {
      roots.add(root(arg));
    }
    Optional<Duration> timeout = request.timeout();
    long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
    RpcResponse.JsonLines lines = response.jsonLines();
    WalkOptions options = new WalkOptions(maxDepth, true, WalkOptions.Order.DFS, settings.blockTimeout());
    // Kubo's unique listing remembers what it printed across all the roots of a request.
    Set<Cid> printed = new HashSet<>();
    for (Cid root : roots) {
      RefWriter writer = new RefWriter(dag, maxDepth, unique, format, printed, lines);
      DagWalk walk = dag.walk(List.of(root), options, writer);
      try {
        if (deadline == Long.MAX_VALUE) {
          walk.done().get();
        } else {
          walk.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        writer.finish();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        lines.write(line("", cause.getMessage()));
      } catch (TimeoutException | CancellationException e) {
        walk.cancel();
        lines.write(line("", "context deadline exceeded"));
        return;
      } catch (InterruptedException e) {
        walk.cancel();
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A root: a CID or {@code /ipfs/<cid>}; paths below a root are not resolved here. */
  static Cid root(String arg) throws RpcException {
    String text = arg.startsWith("/ipfs/") ? arg.substring("/ipfs/".length()) : arg;
    if (text.contains("/")) {
      throw RpcException.normal("refs of a path inside a DAG is not supported (" + arg + "): give the CID it names");
    }
    try {
      return Cid.parse(text);
    } catch (MultiformatException e) {
      throw RpcException.normal("invalid path \"" + arg + "\": " + e.getMessage());
    }
  }

  /** Kubo's RefWrapper: both fields, always. */
  static Map<String, Object> line(String ref, String err) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Ref", ref);
    m.put("Err", err);
    return m;
  }
}
