package io.cairn.blockstore.commands.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockFetchTimeoutException;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockService;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** What the RPC and Gogo block commands share: Kubo's limits and messages, CID arguments, bounded reads. */
final class Blocks {
  /**
   * Kubo's SoftBlockLimit (2 MiB, the bitswap block size limit): {@code block/put} refuses bigger blocks
   * unless {@code allow-big-block}; the blockstore's own maximum applies either way.
   */
  static final int SOFT_BLOCK_LIMIT = 2 * 1024 * 1024;
  /** How long a command waits for the blockstore when the request gives no {@code timeout}. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /**
   * The block service fails a fetch at its timeout (its guard a second later at most); this much more only
   * bounds the wait should it not.
   */
  private static final long FETCH_GRACE_MILLIS = 2_000;
  /** Kubo's answer to a block over the soft limit (cmdutils.CheckBlockSize). */
  static final String BIG_BLOCK = "produced block is over 2MiB: big blocks can't be exchanged with other peers. "
      + "consider using UnixFS for automatic chunking of bigger files, or pass --allow-big-block to override";

  private Blocks() {}

  /** Kubo's offline message for a block this node does not have (the command does not fetch, or no bitswap client runs). */
  static String notFound(Cid cid) {
    return "block was not found locally (offline): " + couldNotFind(cid);
  }

  /** go-ipld-format's ErrNotFound text. */
  static String couldNotFind(Cid cid) {
    return "ipld: could not find " + cid;
  }

  /**
   * A CID argument, bare or as an {@code /ipfs/<cid>} path (as Kubo takes it).
   *
   * @throws IllegalArgumentException saying why it is not a CID
   */
  static Cid parseCid(String text) {
    String bare = text.startsWith("/ipfs/") ? text.substring("/ipfs/".length()) : text;
    if (bare.isEmpty() || bare.indexOf('/') >= 0) {
      throw new IllegalArgumentException("invalid CID \"" + text + "\": expected a CID or /ipfs/<cid> (paths inside a DAG are not resolved here)");
    }
    try {
      return Cid.parse(bare);
    } catch (MultiformatException e) {
      throw new IllegalArgumentException("invalid CID \"" + text + "\": " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code in} to its end but never more than {@code limit + 1} bytes: a result longer than
   * {@code limit} means the data is over it (and was not read whole).
   */
  static byte[] readAtMost(InputStream in, int limit) throws IOException {
    byte[] buffer = new byte[Math.min(limit + 1, 64 * 1024)];
    int length = 0;
    while (length <= limit) {
      if (length == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min((long) limit + 1, 2L * buffer.length));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  /** Thrown by {@link #await}: the failure inside the future, or a timeout. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Waits for a blockstore future up to {@code timeout}.
   *
   * @throws Failure with the store's failure as its cause and message, or a timeout message
   */
  static <T> T await(CompletableFuture<T> future, Duration timeout) throws Failure {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Failure("the blockstore did not answer within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException | CompletionException | CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new Failure(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while waiting for the blockstore", e);
    }
  }

  /**
   * The block's bytes from the blockstore; a block it lacks is fetched from peers through the block service
   * within {@code fetchTimeout} (asked once the lookup missed) when an exchange (bitswap) runs.
   *
   * @throws Failure the lookup's (not found when the node is offline), or the fetch's
   */
  static InputStream open(MultiTierBlockstore store, BlockService blocks, Cid cid, Duration timeout,
      Supplier<Duration> fetchTimeout) throws Failure {
    try {
      return await(store.getStream(cid), timeout);
    } catch (Failure f) {
      if (!isNotFound(f) || !blocks.online()) {
        throw f;
      }
      return new ByteArrayInputStream(fetch(blocks, cid, fetchTimeout.get(), f).data());
    }
  }

  /**
   * The block from peers (the exchange hash-checks and stores it as it arrives).
   *
   * @param notLocal the lookup's failure, thrown again if the exchange stopped meanwhile (offline after all)
   * @throws Failure saying that no peer sent the block within {@code timeout}, or why the fetch failed
   */
  private static Block fetch(BlockService blocks, Cid cid, Duration timeout, Failure notLocal) throws Failure {
    CompletableFuture<Block> future = blocks.get(cid, timeout);
    try {
      return future.get(timeout.toMillis() + FETCH_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw timedOut(cid, timeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BlockFetchTimeoutException) {
        throw timedOut(cid, timeout, cause);
      }
      if (cause instanceof BlockNotFoundException) {
        throw notLocal;
      }
      throw new Failure("fetching " + cid + " over bitswap failed: "
          + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    } catch (CancellationException e) {
      throw new Failure("fetching " + cid + " over bitswap failed: the bitswap client stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while fetching " + cid + " over bitswap", e);
    } finally {
      // Withdraws the want when this caller stops waiting first (its own timeout, an interrupt).
      future.cancel(false);
    }
  }

  private static Failure timedOut(Cid cid, Duration timeout, Throwable cause) {
    return new Failure("block " + cid + " is not local and no peer sent it within " + timeout.toMillis() + " ms", cause);
  }

  static boolean isNotFound(Failure f) {
    return f.getCause() instanceof BlockNotFoundException;
  }
}
