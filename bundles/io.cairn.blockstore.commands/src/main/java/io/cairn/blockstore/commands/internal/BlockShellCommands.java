package io.cairn.blockstore.commands.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockService;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo: {@code block:put <file|->}, {@code block:get <cid> [file]}, {@code block:stat <cid>},
 * {@code block:rm <cid>...}: Kubo's {@code ipfs block} commands for the console. {@code put} makes a
 * raw sha2-256 CIDv1, as {@code ipfs block put} does by default; {@code get} fetches a block the node lacks
 * from peers (through the block service) when bitswap runs.
 */
@Component(service = BlockShellCommands.class, property = {"osgi.command.scope=block",
    "osgi.command.function=put", "osgi.command.function=get", "osgi.command.function=stat", "osgi.command.function=rm"})
public class BlockShellCommands {
  private final MultiTierBlockstore store;
  private final BlockService blocks;

  @Activate
  public BlockShellCommands(@Reference MultiTierBlockstore store, @Reference BlockService blocks) {
    this.store = store;
    this.blocks = blocks;
  }

  /** Stores the file (or standard input, {@code -}) as one block; prints its CID. */
  public String put(String file) throws Exception {
    int max = store.maxBlockSize();
    byte[] data;
    try (InputStream in = file.equals("-") ? nonClosing(System.in) : Files.newInputStream(Path.of(file))) {
      data = Blocks.readAtMost(in, max);
    }
    if (data.length > max) {
      throw new IllegalArgumentException(file + " is over the maximum block size of " + max
          + " bytes (maxBlockSize of io.cairn.blockstore)");
    }
    Block block = new Block(CidFormat.DEFAULT.cidOf(data), data);
    Blocks.await(store.put(block), Blocks.DEFAULT_TIMEOUT);
    return block.cid().toString();
  }

  /** Writes the block's bytes to the console. */
  public void get(String cid) throws Exception {
    copy(cid, System.out);
    System.out.flush();
  }

  /** Writes the block's bytes to {@code file}. */
  public String get(String cid, String file) throws Exception {
    Path path = Path.of(file);
    try (OutputStream out = Files.newOutputStream(path)) {
      long n = copy(cid, out);
      return "wrote " + n + " bytes to " + path;
    }
  }

  public String stat(String cid) throws Exception {
    Cid c = parse(cid);
    int size = awaitFound(store.getSize(c), c);
    return "Key: " + c + "\nSize: " + size + "\n";
  }

  /** Removes each block; one line per CID, as {@code ipfs block rm} prints them. */
  public String rm(String... cids) throws Exception {
    if (cids.length == 0) {
      throw new IllegalArgumentException("usage: block:rm <cid>...");
    }
    Cid[] parsed = new Cid[cids.length];
    for (int i = 0; i < cids.length; i++) {
      parsed[i] = parse(cids[i]);
    }
    StringBuilder out = new StringBuilder();
    for (Cid c : parsed) {
      try {
        boolean removed = Blocks.await(store.delete(c), Blocks.DEFAULT_TIMEOUT);
        out.append(removed ? "removed " + c : "cannot remove " + c + ": " + Blocks.couldNotFind(c)).append('\n');
      } catch (Blocks.Failure f) {
        out.append("cannot remove ").append(c).append(": ").append(f.getMessage()).append('\n');
      }
    }
    return out.toString();
  }

  /** Copies the block's bytes, fetched over bitswap (within the default timeout) when it is not local. */
  private long copy(String cid, OutputStream out) throws Exception {
    Cid c = parse(cid);
    InputStream found;
    try {
      found = Blocks.open(store, blocks, c, Blocks.DEFAULT_TIMEOUT, () -> Blocks.DEFAULT_TIMEOUT);
    } catch (Blocks.Failure f) {
      throw failure(f, c);
    }
    try (InputStream in = found) {
      return in.transferTo(out);
    }
  }

  private static Cid parse(String cid) {
    return Blocks.parseCid(cid);
  }

  private static <T> T awaitFound(java.util.concurrent.CompletableFuture<T> future, Cid cid) throws Exception {
    try {
      return Blocks.await(future, Blocks.DEFAULT_TIMEOUT);
    } catch (Blocks.Failure f) {
      throw failure(f, cid);
    }
  }

  private static IOException failure(Blocks.Failure f, Cid cid) {
    return new IOException(Blocks.isNotFound(f) ? Blocks.notFound(cid) : f.getMessage(), f.getCause());
  }

  /** The console's input belongs to the session: reading a block from it must not close it. */
  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {
      }
    };
  }
}
