package io.cairn.pin.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.pin.GarbageCollector;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import io.cairn.pin.Pinner.Pin;
import io.cairn.rpc.RpcException;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo: {@code pin:add <cid> [recursive|direct] [max-depth]}, {@code pin:ls [type]}, {@code pin:rm <cid>...}
 * and {@code repo:gc}. The long ones print a progress line as they go (blocks reached; blocks marked and
 * removed), as Kubo's CLI does on its terminal.
 */
@Component(service = PinShellCommands.class, property = {"osgi.command.scope=pin", "osgi.command.function=add",
    "osgi.command.function=ls", "osgi.command.function=rm"})
public class PinShellCommands {
  /** How often a long command prints its progress line. */
  static final long PROGRESS_MS = 1000;

  private final Pinner pinner;
  /** Where lines go; the console's standard output (per session under Gogo). */
  PrintStream out = System.out;

  @Activate
  public PinShellCommands(@Reference Pinner pinner) {
    this.pinner = pinner;
  }

  public String add(String cid) throws Exception {
    return add(cid, "recursive", -1);
  }

  public String add(String cid, String type) throws Exception {
    return add(cid, type, -1);
  }

  /** Pins {@code cid} ({@code recursive} or {@code direct}), printing the blocks reached every second. */
  public String add(String cid, String type, int maxDepth) throws Exception {
    Cid c = parse(cid);
    PinType t = switch (type) {
      case "recursive" -> PinType.RECURSIVE;
      case "direct" -> PinType.DIRECT;
      default -> throw new IllegalArgumentException("usage: pin:add <cid> [recursive|direct] [max-depth]");
    };
    AtomicLong reached = new AtomicLong();
    CompletableFuture<Void> pin = pinner.pin(c, t, maxDepth, "", reached::set);
    while (true) {
      try {
        pin.get(PROGRESS_MS, TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        out.println("pinning " + c + ": " + reached.get() + " blocks");
      } catch (InterruptedException e) {
        pin.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        throw new IllegalStateException(PinArgs.cause(e).getMessage(), PinArgs.cause(e));
      }
    }
    return "pinned " + c + (t == PinType.RECURSIVE ? " recursively (" + reached.get() + " blocks)" : " directly");
  }

  public String ls() throws Exception {
    return ls("all");
  }

  /** One line per pin, {@code <cid> <type> [name]}, printed as they are read. */
  public String ls(String type) throws Exception {
    if (!type.equals("all") && java.util.Arrays.stream(PinType.values()).noneMatch(t -> t.kuboName().equals(type))) {
      throw new IllegalArgumentException("usage: pin:ls [all|recursive|direct|indirect]");
    }
    long n = 0;
    for (PinType t : PinType.values()) {
      if (!type.equals("all") && !type.equals(t.kuboName())) {
        continue;
      }
      try (Stream<Pin> pins = pinner.list(t)) {
        for (Iterator<Pin> it = pins.iterator(); it.hasNext(); n++) {
          Pin p = it.next();
          out.println(p.cid() + " " + t.kuboName() + (p.name().isEmpty() ? "" : " " + p.name()));
        }
      }
    }
    return n + " pins";
  }

  public String rm(String... cids) throws Exception {
    if (cids.length == 0) {
      throw new IllegalArgumentException("usage: pin:rm <cid>...");
    }
    StringBuilder result = new StringBuilder();
    for (String cid : cids) {
      Cid c = parse(cid);
      pinner.unpin(c, true);
      result.append("unpinned ").append(c).append('\n');
    }
    return result.toString();
  }

  private static Cid parse(String cid) {
    try {
      return PinArgs.cid(cid);
    } catch (RpcException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** Gogo {@code repo:gc}: one collection, a progress line every second, removed blocks counted. */
  @Component(service = RepoShellCommands.class, property = {"osgi.command.scope=repo", "osgi.command.function=gc"})
  public static final class RepoShellCommands {
    private final GarbageCollector collector;
    PrintStream out = System.out;

    @Activate
    public RepoShellCommands(@Reference GarbageCollector collector) {
      this.collector = collector;
    }

    public String gc() throws Exception {
      AtomicLong marked = new AtomicLong();
      AtomicLong removed = new AtomicLong();
      AtomicLong bytes = new AtomicLong();
      CompletableFuture<GarbageCollector.Result> run = collector.collect(new GarbageCollector.Listener() {
        @Override
        public void marked(long blocks) {
          marked.set(blocks);
        }

        @Override
        public void removed(Cid cid, long size) {
          removed.incrementAndGet();
          bytes.addAndGet(size);
        }

        @Override
        public void failed(Cid cid, String message) {
          out.println("error: " + message);
        }
      });
      while (true) {
        try {
          GarbageCollector.Result r = run.get(PROGRESS_MS, TimeUnit.MILLISECONDS);
          return "garbage collection: " + r.marked() + " blocks live, " + r.removed() + " removed (" + r.bytesFreed()
              + " bytes), " + r.errors() + " errors";
        } catch (TimeoutException e) {
          out.println("gc: " + marked.get() + " blocks marked, " + removed.get() + " removed (" + bytes.get() + " bytes)");
        } catch (InterruptedException e) {
          run.cancel(true);
          throw e;
        } catch (ExecutionException e) {
          throw new IllegalStateException(PinArgs.cause(e).getMessage(), PinArgs.cause(e));
        }
      }
    }
  }
}
