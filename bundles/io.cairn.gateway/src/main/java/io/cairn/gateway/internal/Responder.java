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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Answers a parsed request: the root block is had (locally, else from peers within the root timeout)
 * before anything is sent, so a missing root is a 404 and a root not local under {@code only-if-cached}
 * a 412; then a raw block, or a CAR streamed in depth-first order with the spec's headers. Once a CAR has
 * started, a block that cannot be had ends the stream, incomplete.
 */
final class Responder {
  static final String CACHE_CONTROL = "public, max-age=29030400, immutable";
  /** car-dups=y repeats whole subtrees: a DAG of shared links is bounded by this many sections, not by its paths. */
  static final long MAX_DUPS_SECTIONS = 1_000_000;
  /** How deep the gateway's own depth-first walk (car-dups=y) goes. */
  static final int MAX_DUPS_DEPTH = 4096;

  private final BlockSource blocks;
  private final DagService dag;

  Responder(BlockSource blocks, DagService dag) {
    this.blocks = blocks;
    this.dag = dag;
  }

  void serve(GatewayRequest r, String ifNoneMatch, HttpExchange ex, GatewaySettings s) throws GatewayError, IOException {
    if (!r.path().isEmpty()) {
      throw new GatewayError(501, "content paths below the CID need UnixFS path resolution, which this gateway does not "
          + "do yet: ask for /ipfs/{cid}");
    }
    if (r.onlyIfCached() && !blocks.isLocal(r.cid(), s.rootTimeout())) {
      throw new GatewayError(412, "block " + r.cid() + " is not in this node's store (Cache-Control: only-if-cached)");
    }
    Block root;
    try {
      root = blocks.get(r.cid(), s.rootTimeout());
    } catch (BlockSource.Missing e) {
      throw new GatewayError(404, e.getMessage());
    }
    if (r.scope() == GatewayRequest.Scope.ENTITY && root.cid().codec() == Multicodec.DAG_PB.code()) {
      // What a dag-pb entity is (a file's blocks, a directory's node, a byte range of a file) is UnixFS's to say.
      throw new GatewayError(501, "dag-scope=entity and entity-bytes of dag-pb (UnixFS) data are not served yet: "
          + "ask for dag-scope=all or dag-scope=block");
    }
    HttpHeaders h = new DefaultHttpHeaders();
    String etag = etag(r);
    h.set(HttpHeaderNames.ETAG, etag);
    h.set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
    h.set("X-Ipfs-Path", r.contentPath());
    h.set("X-Ipfs-Roots", r.cid().toString());
    h.set(HttpHeaderNames.VARY, "Accept");
    h.set("X-Content-Type-Options", "nosniff");
    boolean raw = r.format() == GatewayRequest.Format.RAW;
    h.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + r.cid() + (raw ? ".bin" : ".car") + "\"");
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
      writeCar(r, root, car, s);
    } catch (BlockSource.Missing | DagException | IOException | RuntimeException e) {
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

  static String carType(GatewayRequest r) {
    return GatewayRequest.CAR + ";version=1;order=dfs;dups=" + (r.dups() ? "y" : "n");
  }

  /** Kubo's forms: {@code "<cid>.raw"} for a block; a weak tag naming the CAR's parameters for a CAR. */
  static String etag(GatewayRequest r) {
    if (r.format() == GatewayRequest.Format.RAW) {
      return "\"" + r.cid() + ".raw\"";
    }
    String params = r.contentPath() + "|" + r.scope() + "|" + (r.range() == null ? "" : r.range()) + "|dfs|"
        + (r.dups() ? "y" : "n");
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(params.getBytes(StandardCharsets.UTF_8));
      return "W/\"" + r.cid() + ".car." + HexFormat.of().formatHex(d, 0, 8) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private void writeCar(GatewayRequest r, Block root, CarWriter car, GatewaySettings s)
      throws BlockSource.Missing, DagException, IOException {
    switch (r.scope()) {
      case BLOCK -> car.write(root);
      // For data that is not UnixFS, the entity is the block (checked before the answer started).
      case ENTITY -> car.write(root);
      case ALL -> {
        if (r.dups()) {
          writeWithDups(root, car, s);
        } else {
          writeDfs(r.cid(), car, s);
        }
      }
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
