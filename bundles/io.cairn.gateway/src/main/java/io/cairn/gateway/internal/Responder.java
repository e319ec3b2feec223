package io.cairn.gateway.internal;

import io.cairn.blockstore.Block;
import io.cairn.car.Car;
import io.cairn.car.CarWriter;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;

/**
 * Answers a parsed request: the root block is had (locally, else from peers within the root timeout), and
 * a content path resolved through UnixFS, before anything is sent, so a missing root or path is a 404 and
 * a root not local under {@code only-if-cached} a 412; then a raw block, or a CAR streamed depth-first with
 * the spec's headers: the blocks of the path, then the target's per {@code dag-scope} (block; entity: a
 * UnixFS file's blocks for the {@code entity-bytes} range, a directory's node or HAMT shards, else the
 * block; all: the whole DAG below). Once a CAR has started, a block that cannot be had ends the stream,
 * incomplete.
 */
final class Responder {
  static final String CACHE_CONTROL = "public, max-age=29030400, immutable";
  /** car-dups=y repeats whole subtrees: a DAG of shared links is bounded by this many sections, not by its paths. */
  static final long MAX_DUPS_SECTIONS = 1_000_000;
  /** How deep the gateway's own depth-first walk (car-dups=y) goes. */
  static final int MAX_DUPS_DEPTH = 4096;

  private final BlockSource blocks;
  private final DagService dag;
  /** The bound UnixFs service, or null: typed Object for the reason {@link UnixFsView} gives. */
  private final Supplier<Object> unixfs;

  Responder(BlockSource blocks, DagService dag, Supplier<Object> unixfs) {
    this.blocks = blocks;
    this.dag = dag;
    this.unixfs = unixfs;
  }

  private UnixFsView unixfs(String what) throws GatewayError {
    UnixFsView fs = UnixFsView.of(unixfs.get());
    if (fs == null) {
      throw new GatewayError(501, what + " needs UnixFS, which is not running on this node");
    }
    return fs;
  }

  void serve(GatewayRequest r, String ifNoneMatch, HttpExchange ex, GatewaySettings s) throws GatewayError, IOException {
    if (r.onlyIfCached() && !blocks.isLocal(r.cid(), s.rootTimeout())) {
      throw new GatewayError(412, "block " + r.cid() + " is not in this node's store (Cache-Control: only-if-cached)");
    }
    Block root = block(r.cid(), s);
    // The blocks from the root to the path's target (the target last): all sent, so the client can verify the path.
    List<Cid> path = r.path().isEmpty() ? List.of(r.cid()) : unixfs("a content path").resolve(r.contentPath());
    Cid targetCid = path.get(path.size() - 1);
    Block target = targetCid.equals(r.cid()) ? root : block(targetCid, s);
    // A raw block is its own entity (whatever the range, it is the one block to verify); dag-pb is UnixFS's to say.
    UnixFsView fs = r.scope() == GatewayRequest.Scope.ENTITY && targetCid.codec() == Multicodec.DAG_PB.code()
        ? unixfs("dag-scope=entity") : null;
    long[] entity = fs == null ? null : fs.entityRange(targetCid, r.range());
    HttpHeaders h = new DefaultHttpHeaders();
    String etag = etag(r, targetCid);
    h.set(HttpHeaderNames.ETAG, etag);
    h.set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
    h.set("X-Ipfs-Path", r.contentPath());
    h.set("X-Ipfs-Roots", String.join(",", path.stream().map(Cid::toString).toList()));
    h.set(HttpHeaderNames.VARY, "Accept");
    h.set("X-Content-Type-Options", "nosniff");
    boolean raw = r.format() == GatewayRequest.Format.RAW;
    h.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + targetCid + (raw ? ".bin" : ".car") + "\"");
    h.set(HttpHeaderNames.CONTENT_TYPE, raw ? GatewayRequest.RAW : carType(r));
    if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
      ex.full(304, h, new byte[0]);
      return;
    }
    if (raw) {
      ex.full(200, h, root.data());
      return;
    }
    if (r.head()) {
      ex.headersOnly(200, h);
      return;
    }
    OutputStream out = ex.stream(200, h);
    try (CarWriter car = Car.writer(out, List.of(r.cid()))) {
      Set<Cid> sent = new HashSet<>();
      for (Cid c : path.subList(0, path.size() - 1)) {
        send(c.equals(r.cid()) ? root : blocks.get(c, s.blockTimeout()), car, sent, r.dups());
      }
      switch (r.scope()) {
        case BLOCK -> send(target, car, sent, r.dups());
        case ENTITY -> {
          if (entity != null) {
            fs.entityBlocks(targetCid, entity, b -> send(b, car, sent, r.dups()));
          } else {
            // A raw block, or not UnixFS (dag-cbor, dag-json: the entity is the block), or a range holding no
            // byte of the file.
            send(target, car, sent, r.dups());
          }
        }
        case ALL -> {
          if (r.dups()) {
            writeWithDups(target, car, s);
          } else {
            writeDfs(targetCid, car, s);
          }
        }
      }
    } catch (BlockSource.Missing | DagException | UnixFsView.EntityFailure | IOException | RuntimeException e) {
      // The status is sent: what was written goes out, then the connection ends without the last chunk.
      try {
        out.flush();
      } catch (IOException ignored) {
        // the client is gone: nothing more to send
      }
      ex.abort();
      return;
    }
    out.close();
  }

  /** A block the request needs before answering: local, else from peers within the root timeout; else 404. */
  private Block block(Cid cid, GatewaySettings s) throws GatewayError, IOException {
    try {
      return blocks.get(cid, s.rootTimeout());
    } catch (BlockSource.Missing e) {
      throw new GatewayError(404, e.getMessage());
    }
  }

  /** Writes a block unless it was sent already and duplicates are not wanted. */
  private static void send(Block b, CarWriter car, Set<Cid> sent, boolean dups) throws IOException {
    if (dups || sent.add(b.cid())) {
      car.write(b);
    }
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

  /** Every block once, depth-first, through the DAG service's walk (it fetches ahead what is missing). */
  private void writeDfs(Cid root, CarWriter car, GatewaySettings s) throws DagException, IOException {
    var walk = dag.walk(List.of(root), new WalkOptions(-1, true, WalkOptions.Order.DFS, s.blockTimeout()), (b, depth) -> {
      try {
        car.write(b);
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      walk.done().get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (c instanceof DagException d) {
        throw d;
      }
      throw new IOException("the walk failed: " + c.getMessage(), c);
    } catch (InterruptedException e) {
      walk.cancel();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** car-dups=y: every occurrence, depth-first, so a client can discard each block once read. Bounded. */
  private void writeWithDups(Block root, CarWriter car, GatewaySettings s)
      throws BlockSource.Missing, DagException, IOException {
    record Frame(Cid cid, int depth) {
    }
    Deque<Frame> stack = new ArrayDeque<>();
    car.write(root);
    long sections = 1;
    pushLinks(stack, root, 1, Frame::new);
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      if (++sections > MAX_DUPS_SECTIONS || f.depth() > MAX_DUPS_DEPTH) {
        throw new IOException("car-dups=y stream over " + MAX_DUPS_SECTIONS + " sections or " + MAX_DUPS_DEPTH + " levels");
      }
      Block b = blocks.get(f.cid(), s.blockTimeout());
      car.write(b);
      pushLinks(stack, b, f.depth() + 1, Frame::new);
    }
  }

  private <F> void pushLinks(Deque<F> stack, Block b, int depth, java.util.function.BiFunction<Cid, Integer, F> frame)
      throws DagException {
    List<Cid> links = dag.links(b);
    for (int i = links.size() - 1; i >= 0; i--) {
      stack.push(frame.apply(links.get(i), depth));
    }
  }
}
