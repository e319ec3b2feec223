package io.cairn.gateway.internal;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.unixfs.BlockSink;
import io.cairn.unixfs.ResolvedPath;
import io.cairn.unixfs.UnixFs;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsStat;
import java.io.IOException;
import java.util.List;

/**
 * What the gateway asks of UnixFS: content paths and entities. The only class that touches the optionally
 * imported UnixFS package, and only once a UnixFs service is bound: the server holds it as an
 * {@code Object}, so the gateway runs (raw blocks, whole-DAG CARs) without the UnixFS bundle.
 */
final class UnixFsView {
  private final UnixFs fs;

  private UnixFsView(UnixFs fs) {
    this.fs = fs;
  }

  /** A view of the bound {@code io.cairn.unixfs.UnixFs}, or null if none is bound. */
  static UnixFsView of(Object bound) {
    return bound == null ? null : new UnixFsView((UnixFs) bound);
  }

  /**
   * The blocks from the path's root to its target, in order, the target last.
   *
   * @throws GatewayError 404 if the path does not resolve (a name not found, a segment through a file, a
   *     block that could not be had, a malformed directory on the way); 504 if a block on the way did not
   *     arrive from peers in time
   */
  List<Cid> resolve(String contentPath) throws GatewayError {
    try {
      ResolvedPath p = fs.resolve(contentPath);
      return p.traversed().isEmpty() ? List.of(p.root(), p.target()) : p.traversed();
    } catch (UnixFsException e) {
      throw failed(e, contentPath, 404, "cannot resolve " + contentPath + ": " + e.getMessage());
    }
  }

  /**
   * A retrieval of {@code what} that timed out answers 504, as boxo's gateway does, with what ran out; any
   * other UnixFS failure answers {@code status} and {@code message}.
   */
  private static GatewayError failed(UnixFsException e, String what, int status, String message) {
    return FetchFailures.isTimeout(e)
        ? new GatewayError(504, "retrieving " + what + " timed out: " + FetchFailures.deepestMessage(e))
        : new GatewayError(status, message);
  }

  /**
   * The byte range of {@code target}'s entity to send, as {@code {offset, length}} (length -1: to the
   * end); null when only the target's own block is to be sent (a range holding no byte of a file).
   *
   * @throws GatewayError 502 if the node is not valid UnixFS; 504 if a block it needs did not arrive in time
   */
  long[] entityRange(Cid target, GatewayRequest.EntityBytes range) throws GatewayError {
    if (range == null) {
      return new long[] {0, -1};
    }
    try {
      UnixFsStat stat = fs.stat(target);
      if (!stat.type().isFile()) {
        // entity-bytes is ignored for what is not a byte array (a directory, a symlink).
        return new long[] {0, -1};
      }
      long[] r = range.resolve(stat.size());
      return r == null ? null : new long[] {r[0], r[1] - r[0] + 1};
    } catch (UnixFsException e) {
      throw failed(e, "block " + target, 502, "block " + target + " is not valid UnixFS: " + e.getMessage());
    }
  }

  /** Takes blocks; the gateway's own type, so that its callers never name the UnixFS package. */
  @FunctionalInterface
  interface Sink {
    void accept(Block block) throws IOException;
  }

  /** Writes the entity's blocks in the gateway's order, depth-first. */
  void entityBlocks(Cid target, long[] range, Sink sink) throws IOException, EntityFailure {
    try {
      BlockSink blocks = sink::accept;
      fs.entityBlocks(target, range[0], range[1], blocks);
    } catch (UnixFsException e) {
      throw new EntityFailure(e.getMessage(), e);
    }
  }

  /** An entity that could not be read whole once its CAR had started. */
  static final class EntityFailure extends Exception {
    private static final long serialVersionUID = 1L;

    EntityFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
