package io.cairn.gateway.internal;

import io.cairn.blockstore.Block;
import io.cairn.car.Car;
import io.cairn.car.CarWriter;
import io.cairn.dag.DagService;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Answers a parsed request, as a chain of futures that holds no thread while it waits: the root block is had
 * (locally, else from peers within the root timeout), and a content path resolved through UnixFS, before
 * anything is sent, so a missing root or path is a 404 (504 if peers did not send it in time) and a root not
 * local under {@code only-if-cached} a 412; then a raw block, or a CAR streamed depth-first with the spec's
 * headers: the blocks of the path, then the target's per {@code dag-scope} (block; entity: a UnixFS file's
 * blocks for the {@code entity-bytes} range, a directory's node or HAMT shards, else the block; all: the
 * whole DAG below). Once a CAR has started, a block that cannot be had ends the stream, incomplete.
 *
 * <p>Every step runs on the connection's event loop, except UnixFS's: its reads wait for blocks, so they run
 * on the bounded UnixFS pool (a full pool is a 503), never on the event loop.
 */
final class Responder {
  static final String CACHE_CONTROL = "public, max-age=29030400, immutable";
  static final String ROOT_TIMEOUT = "rootTimeoutMillis";

  private final BlockSource blocks;
  private final DagService dag;
  /** The bound UnixFs service, or null: typed Object for the reason {@link UnixFsView} gives. */
  private final Supplier<Object> unixfs;
  private final Supplier<UnixFsPool> unixfsPool;

  Responder(BlockSource blocks, DagService dag, Supplier<Object> unixfs, Supplier<UnixFsPool> unixfsPool) {
    this.blocks = blocks;
    this.dag = dag;
    this.unixfs = unixfs;
    this.unixfsPool = unixfsPool;
  }

  /** A step that may fail with a checked exception. */
  @FunctionalInterface
  interface Step<T> {
    T run() throws Exception;
  }

  /** What is known before anything is sent. */
  private record Plan(Block root, List<Cid> path, Block target, UnixFsView fs, long[] entity) {
  }

  /**
   * Answers {@code r}. The future completes when the answer is written (or the connection failed), and fails
   * with a {@link GatewayError} (or another exception: the handler answers 500) when nothing was sent yet,
   * or with anything once the answer has started (the handler then aborts it).
   */
  CompletableFuture<Void> serve(GatewayRequest r, String ifNoneMatch, HttpExchange ex, GatewaySettings s) {
    EventLoop loop = ex.eventLoop();
    CompletableFuture<Void> precondition = !r.onlyIfCached() ? CompletableFuture.completedFuture(null)
        : ex.whileOpen(blocks.isLocal(r.cid())).thenCompose(local -> local ? CompletableFuture.completedFuture(null)
            : CompletableFuture.failedFuture(new GatewayError(412, "block " + r.cid()
                + " is not in this node's store (Cache-Control: only-if-cached)")));
    UnixFsPool.Request unixfsWork = unixfsPool.get().request();
    return precondition
        .thenCompose(v -> needed(r.cid(), ex, s))
        .thenComposeAsync(root -> plan(r, root, ex, s, unixfsWork), loop)
        .thenComposeAsync(plan -> answer(r, plan, ifNoneMatch, ex, s, unixfsWork), loop)
        .whenComplete((v, e) -> unixfsWork.close());
  }

  /** A block the request needs before answering: local, else from peers within the root timeout. */
  private CompletableFuture<Block> needed(Cid cid, HttpExchange ex, GatewaySettings s) {
    return ex.whileOpen(blocks.get(cid, s.rootTimeout(), ROOT_TIMEOUT)).exceptionallyCompose(e -> {
      Throwable c = BlockSource.unwrap(e);
      return CompletableFuture.failedFuture(c instanceof BlockSource.Unavailable u ? new GatewayError(u.status(), u.getMessage()) : c);
    });
  }

  private CompletableFuture<Plan> plan(GatewayRequest r, Block root, HttpExchange ex, GatewaySettings s,
      UnixFsPool.Request unixfsWork) {
    EventLoop loop = ex.eventLoop();
    // The blocks from the root to the path's target (the target last): all sent, so the client can verify the path.
    CompletableFuture<List<Cid>> path = r.path().isEmpty() ? CompletableFuture.completedFuture(List.of(r.cid()))
        : unixfs("a content path").thenCompose(fs -> onUnixFs(ex, unixfsWork, () -> fs.resolve(r.contentPath())));
    return path.thenComposeAsync(p -> {
      Cid targetCid = p.get(p.size() - 1);
      CompletableFuture<Block> target = targetCid.equals(r.cid()) ? CompletableFuture.completedFuture(root)
          : needed(targetCid, ex, s);
      // A raw block is its own entity (whatever the range, it is the one block to verify); dag-pb is UnixFS's to say.
      if (r.scope() != GatewayRequest.Scope.ENTITY || targetCid.codec() != Multicodec.DAG_PB.code()) {
        return target.thenApply(t -> new Plan(root, p, t, null, null));
      }
      return target.thenCompose(t -> unixfs("dag-scope=entity").thenCompose(fs ->
          onUnixFs(ex, unixfsWork, () -> fs.entityRange(targetCid, r.range())).thenApply(range -> new Plan(root, p, t, fs, range))));
    }, loop);
  }

  private CompletableFuture<UnixFsView> unixfs(String what) {
    UnixFsView fs = UnixFsView.of(unixfs.get());
    return fs != null ? CompletableFuture.completedFuture(fs)
        : CompletableFuture.failedFuture(new GatewayError(501, what + " needs UnixFS, which is not running on this node"));
  }

  /**
   * Runs UnixFS work (which waits for blocks) on the UnixFS pool; fails with a RejectedExecutionException
   * (503) when the request's first UnixFS step finds every place of the pool taken.
   */
  private <T> CompletableFuture<T> onUnixFs(HttpExchange ex, UnixFsPool.Request unixfsWork, Step<T> work) {
    CompletableFuture<T> out = new CompletableFuture<>();
    try {
      unixfsWork.execute(() -> {
        if (out.isDone()) {
          return; // the client went away while this waited in the queue
        }
        try {
          out.complete(work.run());
        } catch (Exception e) {
          out.completeExceptionally(e);
        } catch (Error e) {
          out.completeExceptionally(e);
          throw e;
        }
      });
    } catch (RuntimeException rejected) {
      out.completeExceptionally(rejected);
    }
    return ex.whileOpen(out);
  }

  private CompletableFuture<Void> answer(GatewayRequest r, Plan plan, String ifNoneMatch, HttpExchange ex,
      GatewaySettings s, UnixFsPool.Request unixfsWork) {
    Cid targetCid = plan.target().cid();
    HttpHeaders h = new DefaultHttpHeaders();
    String etag = etag(r, targetCid);
    h.set(HttpHeaderNames.ETAG, etag);
    h.set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
    h.set("X-Ipfs-Path", r.contentPath());
    h.set("X-Ipfs-Roots", String.join(",", plan.path().stream().map(Cid::toString).toList()));
    h.set(HttpHeaderNames.VARY, "Accept");
    h.set("X-Content-Type-Options", "nosniff");
    boolean raw = r.format() == GatewayRequest.Format.RAW;
    h.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + targetCid + (raw ? ".bin" : ".car") + "\"");
    h.set(HttpHeaderNames.CONTENT_TYPE, raw ? GatewayRequest.RAW : carType(r));
    if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
      return ex.sent(ex.full(304, h, new byte[0]));
    }
    if (raw) {
      return ex.sent(ex.full(200, h, plan.root().data()));
    }
    if (r.head()) {
      return ex.sent(ex.headersOnly(200, h));
    }
    HttpExchange.ChunkedBody body = ex.stream(200, h);
    CarWriter car;
    try {
      car = Car.writer(body, List.of(r.cid()));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    CarStream stream = new CarStream(car, body, ex, blocks, dag, s, r.dups());
    List<Cid> path = plan.path();
    CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
    for (Cid c : path.subList(0, path.size() - 1)) {
      written = written.thenCompose(v -> c.equals(r.cid()) ? stream.send(plan.root()) : stream.sendFetched(c));
    }
    written = written.thenCompose(v -> switch (r.scope()) {
      case BLOCK -> stream.send(plan.target());
      case ENTITY -> plan.entity() == null
          // A raw block, or not UnixFS (dag-cbor, dag-json: the entity is the block), or a range holding no byte.
          ? stream.send(plan.target())
          : this.<Void>onUnixFs(ex, unixfsWork, () -> {
            plan.fs().entityBlocks(targetCid, plan.entity(), stream::sendFromUnixFs);
            return null;
          });
      case ALL -> stream.sendDag(plan.target());
    });
    return written.thenComposeAsync(v -> stream.end(), ex.eventLoop());
  }

  static String carType(GatewayRequest r) {
    return GatewayRequest.CAR + ";version=1;order=dfs;dups=" + (r.dups() ? "y" : "n");
  }

  /**
   * Kubo's forms: {@code "<cid>.raw"} for a block; for a CAR a weak tag of the path's target naming the
   * CAR's parameters (path, scope, range, order, dups), so that each variant has its own.
   */
  static String etag(GatewayRequest r, Cid target) {
    if (r.format() == GatewayRequest.Format.RAW) {
      return "\"" + target + ".raw\"";
    }
    String params = r.contentPath() + "|" + r.scope() + "|" + (r.range() == null ? "" : r.range()) + "|dfs|"
        + (r.dups() ? "y" : "n");
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(params.getBytes(StandardCharsets.UTF_8));
      return "W/\"" + target + ".car." + HexFormat.of().formatHex(d, 0, 8) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
