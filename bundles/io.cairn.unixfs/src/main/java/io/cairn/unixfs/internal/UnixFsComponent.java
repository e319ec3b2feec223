package io.cairn.unixfs.internal;

import io.cairn.blockstore.BlockService;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.node.config.Configs;
import io.cairn.unixfs.BlockSink;
import io.cairn.unixfs.DirEntry;
import io.cairn.unixfs.ImportOptions;
import io.cairn.unixfs.ImportProgress;
import io.cairn.unixfs.Importer;
import io.cairn.unixfs.ResolvedPath;
import io.cairn.unixfs.UnixFs;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The UnixFS service over the node's blockstore. Imports write through {@link MultiTierBlockstore#putBatch};
 * reads take blocks from the block service: the blockstore, and, when bitswap runs, peers for the missing
 * ones (bitswap stores what it fetches).
 */
@Component(service = UnixFs.class, configurationPid = UnixFsComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = UnixFsConfig.class)
public class UnixFsComponent implements UnixFs {
  public static final String PID = "io.cairn.unixfs";
  /** go-ipfs-chunker's ChunkSizeLimit: Kubo refuses bigger chunks (a block must fit bitswap's limits). */
  static final int MAX_CHUNK = 1 << 20;

  private final MultiTierBlockstore store;
  private final BlockService blocks;
  private final Logger log;
  private volatile UnixFsSettings settings;

  @Activate
  public UnixFsComponent(@Reference MultiTierBlockstore store, @Reference BlockService blocks,
      @Reference(service = LoggerFactory.class) Logger log, UnixFsConfig config) {
    this.store = store;
    this.blocks = blocks;
    this.log = log;
    this.settings = Configs.validate(PID, config, UnixFsSettings::of, log)
        .orElseGet(() -> UnixFsSettings.of(Configs.defaults(UnixFsConfig.class)));
  }

  @Modified
  void modified(UnixFsConfig config) {
    Configs.validate(PID, config, UnixFsSettings::of, log).ifPresent(next -> settings = next);
  }

  UnixFsSettings settings() {
    return settings;
  }

  private Reads reads() {
    UnixFsSettings s = settings;
    return new Reads(new BlockSource(blocks, s.blockTimeout()), s);
  }

  @Override
  public Importer importer(ImportOptions options, ImportProgress progress) throws UnixFsException {
    int chunk = chunkSize(options.chunker());
    if (options.cidVersion() != 0 && options.cidVersion() != 1) {
      throw new UnixFsException(null, "unsupported CID version " + options.cidVersion() + " (0 or 1)");
    }
    String hash = options.hash() == null ? ImportOptions.DEFAULT_HASH : options.hash();
    if (!hash.equals(ImportOptions.DEFAULT_HASH)) {
      throw new UnixFsException(null, "unsupported hash function \"" + hash + "\": only sha2-256");
    }
    UnixFsSettings s = settings;
    BlockWriter writer = new BlockWriter(options.onlyHash() ? null : store, s.writeBatchBytes(), s.blockTimeout());
    FileBuilder files = new FileBuilder(chunk, options.cidVersion(), options.effectiveRawLeaves(), writer);
    return new ImportSession(files, writer, options.cidVersion(), options.wrapWithDirectory(),
        progress == null ? ImportProgress.NONE : progress);
  }

  /** The chunk size of Kubo's {@code size-N} chunker ({@code ""} and {@code default}: 256 KiB). */
  static int chunkSize(String chunker) throws UnixFsException {
    if (chunker == null || chunker.isEmpty() || chunker.equals("default")) {
      return 262_144;
    }
    if (!chunker.startsWith("size-")) {
      throw new UnixFsException(null, "unsupported chunker \"" + chunker + "\": only the fixed-size chunker "
          + "size-<bytes> is supported (rabin and buzhash are not)");
    }
    long n;
    try {
      n = Long.parseLong(chunker.substring("size-".length()));
    } catch (NumberFormatException e) {
      throw new UnixFsException(null, "bad chunker \"" + chunker + "\": expected size-<bytes>", e);
    }
    if (n <= 0) {
      throw new UnixFsException(null, "bad chunker \"" + chunker + "\": the chunk size must be positive");
    }
    if (n > MAX_CHUNK) {
      throw new UnixFsException(null, "chunker parameters may not exceed the maximum chunk size of " + MAX_CHUNK);
    }
    return (int) n;
  }

  @Override
  public UnixFsStat stat(Cid cid) throws UnixFsException {
    return reads().stat(cid);
  }

  @Override
  public InputStream read(Cid cid, long offset, long length) throws UnixFsException {
    if (offset < 0) {
      throw new UnixFsException(cid, "negative offset " + offset);
    }
    Reads reads = reads();
    FsNode root = reads.node(cid);
    if (!root.type().isFile()) {
      throw new UnixFsException(cid, cid + " is not a file: it is a UnixFS " + root.type().name().toLowerCase());
    }
    return new FileStream(reads, root, offset, length);
  }

  @Override
  public void list(Cid cid, Consumer<DirEntry> entries) throws UnixFsException {
    Reads reads = reads();
    reads.list(reads.node(cid), entries, block -> { });
  }

  @Override
  public ResolvedPath resolve(String path) throws UnixFsException {
    return reads().resolve(path);
  }

  @Override
  public void tar(Cid cid, String name, OutputStream out) throws UnixFsException, IOException {
    Reads reads = reads();
    TarWriter tar = new TarWriter(out);
    tarNode(reads, tar, reads.node(cid), name, out, 0);
    tar.finish();
  }

  private void tarNode(Reads reads, TarWriter tar, FsNode node, String path, OutputStream out, int depth)
      throws UnixFsException, IOException {
    if (depth > reads.settings.maxPathDepth()) {
      throw new UnixFsException(node.cid(), "directories nested deeper than " + reads.settings.maxPathDepth()
          + " (maxPathDepth of " + PID + ")");
    }
    switch (node.type()) {
      case DIRECTORY, HAMT_SHARD -> {
        tar.directory(path);
        List<DirEntry> entries = new ArrayList<>();
        reads.list(node, entries::add, block -> { });
        for (DirEntry e : entries) {
          if (e.name().isEmpty() || e.name().equals(".") || e.name().equals("..") || e.name().contains("/")) {
            throw new UnixFsException(node.cid(), "directory " + node.cid() + " has an entry named \"" + e.name()
                + "\", which cannot be a path segment");
          }
          tarNode(reads, tar, reads.node(e.cid()), path + "/" + e.name(), out, depth + 1);
        }
      }
      case FILE, RAW -> {
        long size = node.fileSize();
        tar.file(path, size);
        long copied;
        try (InputStream in = new FileStream(reads, node, 0, -1)) {
          copied = in.transferTo(out);
        }
        if (copied != size) {
          throw new UnixFsException(node.cid(), "file " + node.cid() + " holds " + copied + " bytes, not the "
              + size + " its filesize says");
        }
        tar.endFile(size);
      }
      case SYMLINK -> tar.symlink(path, Reads.stat(node).symlinkTarget());
      default -> throw new UnixFsException(node.cid(), "cannot archive " + node.cid() + ": a UnixFS "
          + node.type().name().toLowerCase());
    }
  }

  @Override
  public void entityBlocks(Cid cid, long offset, long length, BlockSink sink) throws UnixFsException, IOException {
    reads().entityBlocks(cid, offset, length, sink);
  }
}
