package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.dag.PbLink;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import io.cairn.unixfs.BlockSink;
import io.cairn.unixfs.DirEntry;
import io.cairn.unixfs.ResolvedPath;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsStat;
import io.cairn.unixfs.UnixFsType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The read side of UnixFS over one {@link BlockSource}, within one set of {@link UnixFsSettings}. */
final class Reads {
  final BlockSource source;
  final UnixFsSettings settings;

  Reads(BlockSource source, UnixFsSettings settings) {
    this.source = source;
    this.settings = settings;
  }

  FsNode node(Cid cid) throws UnixFsException {
    return FsNode.parse(source.load(cid), settings.maxLinksPerNode());
  }

  UnixFsStat stat(Cid cid) throws UnixFsException {
    return stat(node(cid));
  }

  static UnixFsStat stat(FsNode n) {
    UnixFsType type = n.type();
    long size = switch (type) {
      case FILE, RAW -> n.fileSize();
      case SYMLINK -> n.inline().length;
      default -> 0;
    };
    String target = type == UnixFsType.SYMLINK ? new String(n.inline(), StandardCharsets.UTF_8) : "";
    return new UnixFsStat(n.cid(), type, size, n.block().data().length, target);
  }

  /** A directory's entries; a HAMT's walked shard by shard, each shard's block told to {@code shards} first. */
  void list(FsNode dir, Consumer<DirEntry> entries, Consumer<Block> shards) throws UnixFsException {
    switch (dir.type()) {
      case DIRECTORY -> {
        shards.accept(dir.block());
        if (dir.links().size() > settings.maxDirectoryEntries()) {
          throw tooMany(dir.cid());
        }
        for (PbLink link : dir.links()) {
          entries.accept(new DirEntry(link.name() == null ? "" : link.name(), link.cid(), tsize(link)));
        }
      }
      case HAMT_SHARD -> listShard(Hamt.of(dir, settings.maxHamtFanout()), 0, new long[1], entries, shards);
      default -> throw new UnixFsException(dir.cid(), dir.cid() + " is not a directory: it is a UnixFS "
          + dir.type().name().toLowerCase());
    }
  }

  private void listShard(Hamt shard, int depth, long[] count, Consumer<DirEntry> entries, Consumer<Block> shards)
      throws UnixFsException {
    shards.accept(shard.node.block());
    for (int i = 0; i < shard.size(); i++) {
      PbLink link = shard.link(i);
      if (shard.isShard(i)) {
        if (depth + 1 >= shard.maxDepth()) {
          throw Hamt.bogus(shard.node.cid(), "shards nested deeper than a 64-bit hash can address");
        }
        Hamt child = Hamt.of(node(link.cid()), settings.maxHamtFanout());
        if (child.fanout != shard.fanout) {
          throw Hamt.bogus(child.node.cid(), "fanout " + child.fanout + " under a shard of fanout " + shard.fanout);
        }
        listShard(child, depth + 1, count, entries, shards);
      } else {
        if (++count[0] > settings.maxDirectoryEntries()) {
          throw tooMany(shard.node.cid());
        }
        entries.accept(new DirEntry(shard.entryName(i), link.cid(), tsize(link)));
      }
    }
  }

  private UnixFsException tooMany(Cid cid) {
    return new UnixFsException(cid, "directory " + cid + " has more than " + settings.maxDirectoryEntries()
        + " entries (maxDirectoryEntries of " + UnixFsComponent.PID + ")");
  }

  static long tsize(PbLink link) {
    return link.tsize() == null ? 0 : link.tsize();
  }

  /** The child named {@code name} of a directory, with the blocks read on the way (HAMT shards below the root). */
  private Cid child(FsNode dir, String name, List<Cid> traversed) throws UnixFsException {
    switch (dir.type()) {
      case DIRECTORY -> {
        for (PbLink link : dir.links()) {
          if (name.equals(link.name())) {
            return link.cid();
          }
        }
        throw notFound(dir.cid(), name);
      }
      case HAMT_SHARD -> {
        Hamt shard = Hamt.of(dir, settings.maxHamtFanout());
        for (int depth = 0; ; depth++) {
          int i = shard.linkFor(shard.bucket(name, depth));
          if (i < 0) {
            throw notFound(dir.cid(), name);
          }
          if (!shard.isShard(i)) {
            if (!shard.entryName(i).equals(name)) {
              throw notFound(dir.cid(), name);
            }
            return shard.link(i).cid();
          }
          FsNode next = node(shard.link(i).cid());
          traversed.add(next.cid());
          Hamt child = Hamt.of(next, settings.maxHamtFanout());
          if (child.fanout != shard.fanout) {
            throw Hamt.bogus(child.node.cid(), "fanout " + child.fanout + " under a shard of fanout " + shard.fanout);
          }
          shard = child;
        }
      }
      default -> throw new UnixFsException(dir.cid(), "cannot resolve \"" + name + "\" through " + dir.cid()
          + ": it is a UnixFS " + dir.type().name().toLowerCase() + ", not a directory");
    }
  }

  private static UnixFsException notFound(Cid dir, String name) {
    return new UnixFsException(dir, "no link named \"" + name + "\" under " + dir);
  }

  ResolvedPath resolve(String path) throws UnixFsException {
    String rest = path.startsWith("/ipfs/") ? path.substring("/ipfs/".length()) : path;
    if (rest.startsWith("/")) {
      throw new UnixFsException(null, "invalid path \"" + path + "\": expected /ipfs/<cid>[/path] or <cid>[/path]");
    }
    String[] segments = rest.split("/", -1);
    Cid root;
    try {
      root = Cid.parse(segments[0]);
    } catch (MultiformatException | IllegalArgumentException e) {
      throw new UnixFsException(null, "invalid path \"" + path + "\": \"" + segments[0] + "\" is not a CID: "
          + e.getMessage(), e);
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i < segments.length; i++) {
      // Kubo's path.Clean takes a trailing slash and doubled slashes as nothing
      if (!segments[i].isEmpty()) {
        names.add(segments[i]);
      }
    }
    if (names.size() > settings.maxPathDepth()) {
      throw new UnixFsException(root, "path \"" + path + "\" has " + names.size() + " segments, more than "
          + settings.maxPathDepth() + " (maxPathDepth of " + UnixFsComponent.PID + ")");
    }
    List<Cid> traversed = new ArrayList<>();
    traversed.add(root);
    Cid at = root;
    for (String name : names) {
      at = child(node(at), name, traversed);
      traversed.add(at);
    }
    return new ResolvedPath(root, at, traversed);
  }

  /** Every block of an entity, for the gateway (see {@link io.cairn.unixfs.UnixFs#entityBlocks}). */
  void entityBlocks(Cid cid, long offset, long length, BlockSink sink) throws UnixFsException, IOException {
    FsNode n = node(cid);
    if (n.type().isDirectory()) {
      try {
        list(n, e -> { }, block -> {
          try {
            sink.accept(block);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      return;
    }
    if (!n.type().isFile()) {
      sink.accept(n.block());
      return;
    }
    long end = length < 0 ? Long.MAX_VALUE : offset + length;
    fileBlocks(n, 0, offset, end, 0, sink);
  }

  /** The blocks of a file node covering {@code [from, to)}, where this node's content starts at {@code start}. */
  private void fileBlocks(FsNode n, long start, long from, long to, int depth, BlockSink sink)
      throws UnixFsException, IOException {
    if (depth > settings.maxFileDepth()) {
      throw deep(n.cid());
    }
    n.checkFile();
    sink.accept(n.block());
    long at = start + n.inline().length;
    if (n.data() == null) {
      return;
    }
    long[] sizes = n.data().blockSizes();
    for (int i = 0; i < sizes.length && at < to; i++) {
      long childEnd = at + sizes[i];
      if (childEnd > from) {
        fileBlocks(node(n.links().get(i).cid()), at, from, to, depth + 1, sink);
      }
      at = childEnd;
    }
  }

  UnixFsException deep(Cid cid) {
    return new UnixFsException(cid, "file DAG deeper than " + settings.maxFileDepth() + " levels at " + cid
        + " (maxFileDepth of " + UnixFsComponent.PID + ")");
  }
}
