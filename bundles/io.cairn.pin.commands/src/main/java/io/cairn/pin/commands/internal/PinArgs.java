package io.cairn.pin.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import io.cairn.pin.PinException;
import io.cairn.rpc.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What the pin and GC commands share: reading CID arguments and turning failures into Kubo's errors. */
final class PinArgs {
  private PinArgs() {}

  /** A CID, or {@code /ipfs/<cid>}; paths inside a DAG are refused, not resolved. */
  static Cid cid(String text) throws RpcException {
    String bare = text.startsWith("/ipfs/") ? text.substring("/ipfs/".length()) : text;
    if (bare.isEmpty() || bare.indexOf('/') >= 0) {
      throw RpcException.client("invalid path \"" + text + "\": expected a CID or /ipfs/<cid> (paths inside a DAG are "
          + "not resolved here)");
    }
    try {
      return Cid.parse(bare);
    } catch (MultiformatException | IllegalArgumentException e) {
      throw RpcException.client("invalid path \"" + text + "\": " + e.getMessage());
    }
  }

  /** Every {@code arg}, parsed before anything is done, so a bad one changes nothing. */
  static List<Cid> cids(List<String> args, String name) throws RpcException {
    if (args.isEmpty()) {
      throw RpcException.client("argument \"" + name + "\" is required");
    }
    List<Cid> cids = new ArrayList<>(args.size());
    for (String a : args) {
      cids.add(cid(a));
    }
    return cids;
  }

  /** The cause a future failed with, through the wrappers. */
  static Throwable cause(Throwable e) {
    Throwable c = e;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** A pin failure as Kubo answers it: its message, status 500. */
  static RpcException error(Throwable e) {
    Throwable c = cause(e);
    if (c instanceof CancellationException) {
      return RpcException.normal("context canceled");
    }
    return RpcException.normal(c instanceof PinException || c.getMessage() != null ? c.getMessage() : c.toString());
  }

  /** Waits for {@code future}; interrupted, it is cancelled. */
  static <T> T await(CompletableFuture<T> future) throws RpcException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw RpcException.normal("interrupted");
    } catch (ExecutionException | CancellationException e) {
      throw error(e);
    }
  }
}
