package io.cairn.pin.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.pin.PinException;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import io.cairn.pin.Pinner.Pin;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Kubo's {@code pin/*} commands over the node's {@link Pinner}, in Kubo's shapes (core/commands/pin) as
 * ipfs-cluster and kubo-rpc-client read them. Arguments are all parsed before anything changes; a bad one
 * is a client error (400), a pin that cannot be made or removed is Kubo's message with status 500.
 */
final class PinCommands {
  /** How often {@code pin/add?progress=true} reports, as Kubo's ticker. */
  static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

  private PinCommands() {}

  static Map<String, Object> pins(List<String> cids) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Pins", cids);
    return m;
  }

  /**
   * {@code pin/add}: pins each argument in turn (recursive by default, {@code max-depth}, {@code name}).
   * With {@code progress=true}: NDJSON {@code {"Progress":n}} every half second while a pin walks (ipfs-cluster
   * cancels a pin whose progress stalls, by closing the request: the next line then fails to write and the pin
   * is cancelled), then {@code {"Pins":[...]}}. With {@code stream=true} (kubo-rpc-client): one
   * {@code {"Pins":[cid]}} line per pin as it completes. Otherwise one {@code {"Pins":[...]}}. Never a
   * Progress line without {@code progress=true}.
   */
  @Component(property = RpcCommand.PATH + "=pin/add")
  public static final class Add implements RpcCommand {
    private final Pinner pinner;

    @Activate
    public Add(@Reference Pinner pinner) {
      this.pinner = pinner;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      List<Cid> cids = PinArgs.cids(request.arguments(), "ipfs-path");
      PinType type = request.flag("recursive", true) ? PinType.RECURSIVE : PinType.DIRECT;
      String name = request.option("name").orElse("");
      int maxDepth = (int) request.longOption("max-depth", -1, -1, Integer.MAX_VALUE);
      boolean progress = request.flag("progress", false);
      boolean stream = request.flag("stream", false);
      List<String> done = new ArrayList<>();
      if (progress) {
        // Opened at the first line: a pin that fails before any progress is shown is a plain error, as in Kubo.
        LazyLines lines = new LazyLines(response);
        AtomicLong reached = new AtomicLong();
        long base = 0;
        try {
          for (Cid cid : cids) {
            long before = base;
            CompletableFuture<Void> pin = pinner.pin(cid, type, maxDepth, name, n -> reached.set(before + n));
            awaitReporting(pin, lines, reached);
            base = reached.get();
            done.add(cid.toString());
          }
        } catch (RpcException e) {
          if (!lines.started()) {
            throw e;
          }
          lines.get().fail(e.getMessage());
          return;
        }
        if (reached.get() != 0) {
          lines.get().write(Map.of("Progress", reached.get()));
        }
        lines.get().write(pins(done));
      } else if (stream) {
        RpcResponse.JsonLines lines = null;
        for (Cid cid : cids) {
          try {
            PinArgs.await(pinner.pin(cid, type, maxDepth, name, null));
          } catch (RpcException e) {
            if (lines == null) {
              throw e;
            }
            lines.fail(e.getMessage());
            return;
          }
          if (lines == null) {
            lines = response.jsonLines();
          }
          lines.write(pins(List.of(cid.toString())));
        }
      } else {
        for (Cid cid : cids) {
          PinArgs.await(pinner.pin(cid, type, maxDepth, name, null));
          done.add(cid.toString());
        }
        response.json(pins(done));
      }
    }

    /** Waits for the pin, writing its progress every interval; a line that cannot be written cancels it. */
    private static void awaitReporting(CompletableFuture<Void> pin, LazyLines lines, AtomicLong reached)
        throws RpcException {
      while (true) {
        try {
          pin.get(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException e) {
          try {
            lines.get().write(Map.of("Progress", reached.get()));
          } catch (IOException gone) {
            pin.cancel(true);
            throw RpcException.normal("the client went away: " + gone.getMessage());
          }
        } catch (InterruptedException e) {
          pin.cancel(true);
          Thread.currentThread().interrupt();
          throw RpcException.normal("interrupted");
        } catch (ExecutionException | CancellationException e) {
          throw PinArgs.error(e);
        }
      }
    }
  }

  /** An NDJSON answer begun at its first line. */
  private static final class LazyLines {
    private final RpcResponse response;
    private RpcResponse.JsonLines lines;

    LazyLines(RpcResponse response) {
      this.response = response;
    }

    RpcResponse.JsonLines get() throws IOException {
      if (lines == null) {
        lines = response.jsonLines();
      }
      return lines;
    }

    boolean started() {
      return lines != null;
    }
  }

  /**
   * {@code pin/ls}: with arguments, how each is pinned ({@code recursive}, {@code direct}, {@code indirect
   * through <root>}), or Kubo's "{@code path '<arg>' is not pinned}"; without, every pin of {@code type}
   * (recursive, then direct, then indirect for {@code all}). {@code stream=true} answers NDJSON
   * {@code {"Cid","Type"}} (and {@code "Name"} with {@code names=true}, when there is one) read straight from
   * the pin store as written, never gathered; otherwise one {@code {"Keys":{cid:{"Type","Name"}}}}.
   */
  @Component(property = RpcCommand.PATH + "=pin/ls")
  public static final class Ls implements RpcCommand {
    private final Pinner pinner;

    @Activate
    public Ls(@Reference Pinner pinner) {
      this.pinner = pinner;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      String typeName = request.option("type").orElse("all");
      Set<PinType> types = switch (typeName) {
        case "all" -> EnumSet.allOf(PinType.class);
        case "recursive" -> EnumSet.of(PinType.RECURSIVE);
        case "direct" -> EnumSet.of(PinType.DIRECT);
        case "indirect" -> EnumSet.of(PinType.INDIRECT);
        default -> throw RpcException.client("invalid type '" + typeName
            + "', must be one of {direct, indirect, recursive, all}");
      };
      boolean stream = request.flag("stream", false);
      boolean names = request.flag("names", false);
      // Each opened in turn, once the one before is done: the indirect walk starts only after the stored pins.
      List<Supplier<Stream<Pin>>> sources = new ArrayList<>();
      if (!request.arguments().isEmpty()) {
        List<Cid> cids = PinArgs.cids(request.arguments(), "ipfs-path");
        List<Pin> found = new ArrayList<>();
        for (int i = 0; i < cids.size(); i++) {
          try {
            Pin p = pinner.pinned(cids.get(i), types).orElse(null);
            if (p == null) {
              throw RpcException.normal("path '" + request.arguments().get(i) + "' is not pinned");
            }
            found.add(p);
          } catch (PinException e) {
            throw RpcException.normal(e.getMessage());
          }
        }
        sources.add(found::stream);
      } else {
        for (PinType t : List.of(PinType.RECURSIVE, PinType.DIRECT, PinType.INDIRECT)) {
          if (types.contains(t)) {
            sources.add(() -> pinner.list(t));
          }
        }
      }
      if (stream) {
        RpcResponse.JsonLines lines = response.jsonLines();
        try {
          for (Supplier<Stream<Pin>> source : sources) {
            try (Stream<Pin> s = source.get()) {
              for (Iterator<Pin> it = s.iterator(); it.hasNext(); ) {
                lines.write(line(it.next(), names));
              }
            }
          }
        } catch (RuntimeException e) {
          lines.fail(e.getMessage());
        }
        return;
      }
      Map<String, Object> keys = new LinkedHashMap<>();
      try {
        for (Supplier<Stream<Pin>> source : sources) {
          try (Stream<Pin> s = source.get()) {
            for (Iterator<Pin> it = s.iterator(); it.hasNext(); ) {
              Pin p = it.next();
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("Type", typeOf(p));
              entry.put("Name", names ? p.name() : "");
              keys.put(p.cid().toString(), entry);
            }
          }
        }
      } catch (RuntimeException e) {
        throw RpcException.normal(e.getMessage());
      }
      response.json(Map.of("Keys", keys));
    }

    private static Map<String, Object> line(Pin p, boolean names) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("Cid", p.cid().toString());
      if (names && !p.name().isEmpty()) {
        line.put("Name", p.name());
      }
      line.put("Type", typeOf(p));
      return line;
    }

    private static String typeOf(Pin p) {
      return p.via() != null ? "indirect through " + p.via() : p.type().kuboName();
    }
  }

  /** {@code pin/rm}: removes each pin in turn (recursive by default); Kubo's message for what is not one. */
  @Component(property = RpcCommand.PATH + "=pin/rm")
  public static final class Rm implements RpcCommand {
    private final Pinner pinner;

    @Activate
    public Rm(@Reference Pinner pinner) {
      this.pinner = pinner;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      List<Cid> cids = PinArgs.cids(request.arguments(), "ipfs-path");
      boolean recursive = request.flag("recursive", true);
      List<String> removed = new ArrayList<>();
      for (Cid cid : cids) {
        try {
          pinner.unpin(cid, recursive);
        } catch (PinException e) {
          throw RpcException.normal(e.getMessage());
        }
        removed.add(cid.toString());
      }
      response.json(pins(removed));
    }
  }

  /** {@code pin/update <from> <to>}: {@code to} pinned recursively, {@code from} unpinned unless {@code unpin=false}. */
  @Component(property = RpcCommand.PATH + "=pin/update")
  public static final class Update implements RpcCommand {
    private final Pinner pinner;

    @Activate
    public Update(@Reference Pinner pinner) {
      this.pinner = pinner;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      Cid from = PinArgs.cid(request.requireArgument(0, "from-path"));
      Cid to = PinArgs.cid(request.requireArgument(1, "to-path"));
      boolean unpin = request.flag("unpin", true);
      PinArgs.await(pinner.update(from, to, unpin, null));
      response.json(pins(List.of(from.toString(), to.toString())));
    }
  }

  /**
   * {@code pin/verify}: walks each recursive pin locally, NDJSON as Kubo: a line per broken pin
   * ({@code {"Cid","BadNodes":[{"Cid","Err"}]}}, without BadNodes when {@code quiet}), and with
   * {@code verbose} a line per sound one too ({@code {"Cid","Ok":true}}).
   */
  @Component(property = RpcCommand.PATH + "=pin/verify")
  public static final class Verify implements RpcCommand {
    private final Pinner pinner;

    @Activate
    public Verify(@Reference Pinner pinner) {
      this.pinner = pinner;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      boolean verbose = request.flag("verbose", false);
      boolean quiet = request.flag("quiet", false);
      if (verbose && quiet) {
        throw RpcException.client("the --verbose and --quiet options can not be used at the same time");
      }
      RpcResponse.JsonLines lines = response.jsonLines();
      try (Stream<Pinner.Verification> results = pinner.verify()) {
        for (Iterator<Pinner.Verification> it = results.iterator(); it.hasNext(); ) {
          Pinner.Verification v = it.next();
          if (v.ok() && !verbose) {
            continue;
          }
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("Cid", v.cid().toString());
          if (v.ok()) {
            line.put("Ok", true);
          } else if (!quiet) {
            Map<String, Object> bad = new LinkedHashMap<>();
            bad.put("Cid", v.badNode().toString());
            bad.put("Err", v.error());
            line.put("BadNodes", List.of(bad));
          }
          lines.write(line);
        }
      } catch (RuntimeException e) {
        lines.fail(e.getMessage());
      }
    }
  }
}
