package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.unixfs.ImportProgress;
import io.cairn.unixfs.ImportedEntry;
import io.cairn.unixfs.Importer;
import io.cairn.unixfs.UnixFsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One import: files built as they stream in, directories held as a tree of names until {@link #finish}
 * writes them as basic UnixFS directories (Data {@code 08 01}, links sorted by name bytes, Tsize the
 * child's cumulative size) or, past Kubo's sharding threshold, as HAMT-sharded ones ({@link HamtWriter}),
 * deepest first, as Kubo's MFS-based adder does.
 */
final class ImportSession implements Importer {
  /** go's string order: bytes of the UTF-8 encoding (differs from Java's UTF-16 order above U+FFFF). */
  static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
      b.getBytes(StandardCharsets.UTF_8));

  private final FileBuilder files;
  private final BlockWriter writer;
  private final int cidVersion;
  private final boolean wrap;
  private final ImportProgress progress;
  private final Dir top = new Dir();
  private ImportedEntry unnamed;
  private List<ImportedEntry> finished;
  private ImportedEntry root;

  /** A directory being assembled: its entries by name, each a {@link Dir} or an imported file. */
  private static final class Dir {
    final Map<String, Object> entries = new TreeMap<>(BYTE_ORDER);
  }

  ImportSession(FileBuilder files, BlockWriter writer, int cidVersion, boolean wrap, ImportProgress progress) {
    this.files = files;
    this.writer = writer;
    this.cidVersion = cidVersion;
    this.wrap = wrap;
    this.progress = progress;
  }

  @Override
  public ImportedEntry addFile(String path, InputStream data) throws UnixFsException, IOException {
    checkOpen();
    if (path.isEmpty() && wrap) {
      throw new UnixFsException(null, "wrap-with-directory needs named files: give the file a name");
    }
    if (path.isEmpty() && (unnamed != null || !top.entries.isEmpty())) {
      throw new UnixFsException(null, "an unnamed file must be the only thing added");
    }
    if (unnamed != null) {
      throw new UnixFsException(null, "nothing can be added beside an unnamed file");
    }
    List<String> names = path.isEmpty() ? List.of() : split(path);
    Dir parent = path.isEmpty() ? null : parent(names);
    String name = path.isEmpty() ? "" : names.get(names.size() - 1);
    if (parent != null && parent.entries.containsKey(name)) {
      throw new UnixFsException(null, "\"" + path + "\" is added twice");
    }
    FileBuilder.Child file = files.build(data, bytes -> progress.bytes(path, bytes));
    ImportedEntry entry = new ImportedEntry(String.join("/", names), file.cid(), file.tsize(), false);
    if (parent == null) {
      unnamed = entry;
    } else {
      parent.entries.put(name, entry);
    }
    return entry;
  }

  @Override
  public void addDirectory(String path) throws UnixFsException {
    checkOpen();
    if (unnamed != null) {
      throw new UnixFsException(null, "nothing can be added beside an unnamed file");
    }
    List<String> names = split(path);
    Dir parent = parent(names);
    Object existing = parent.entries.get(names.get(names.size() - 1));
    if (existing instanceof ImportedEntry) {
      throw new UnixFsException(null, "\"" + path + "\" is added as a file and as a directory");
    }
    if (existing == null) {
      parent.entries.put(names.get(names.size() - 1), new Dir());
    }
  }

  private Dir parent(List<String> names) throws UnixFsException {
    Dir dir = top;
    for (int i = 0; i < names.size() - 1; i++) {
      Object next = dir.entries.computeIfAbsent(names.get(i), n -> new Dir());
      if (!(next instanceof Dir d)) {
        throw new UnixFsException(null, "\"" + String.join("/", names.subList(0, i + 1)) + "\" is a file, not a directory");
      }
      dir = d;
    }
    return dir;
  }

  private static List<String> split(String path) throws UnixFsException {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    List<String> names = List.of(trimmed.split("/", -1));
    for (String n : names) {
      if (n.isEmpty() || n.equals(".") || n.equals("..") || n.indexOf('\0') >= 0) {
        throw new UnixFsException(null, "invalid path \"" + path + "\": empty, \".\" and \"..\" segments are not allowed");
      }
    }
    return names;
  }

  private void checkOpen() throws UnixFsException {
    if (finished != null) {
      throw new UnixFsException(null, "the import is finished");
    }
  }

  @Override
  public List<ImportedEntry> finish() throws UnixFsException {
    checkOpen();
    List<ImportedEntry> out = new ArrayList<>();
    if (unnamed != null) {
      root = unnamed;
    } else if (wrap) {
      root = write("", top, out);
    } else {
      if (top.entries.isEmpty()) {
        throw new UnixFsException(null, "nothing was added");
      }
      for (Map.Entry<String, Object> e : top.entries.entrySet()) {
        ImportedEntry entry = e.getValue() instanceof Dir d ? write(e.getKey(), d, out) : (ImportedEntry) e.getValue();
        // Kubo's adder takes the first top-level name as the root when not wrapping
        if (root == null) {
          root = entry;
        }
      }
    }
    writer.flush();
    finished = out;
    return out;
  }

  @Override
  public ImportedEntry root() throws UnixFsException {
    if (root == null) {
      throw new UnixFsException(null, "the import is not finished");
    }
    return root;
  }

  /**
   * Writes a directory after its subdirectories, each reported to {@code out} as it is written: a basic
   * directory, or a HAMT-sharded one when Kubo would shard it ({@link HamtWriter#shouldShard}).
   */
  private ImportedEntry write(String path, Dir dir, List<ImportedEntry> out) throws UnixFsException {
    List<HamtWriter.Entry> children = new ArrayList<>(dir.entries.size());
    for (Map.Entry<String, Object> e : dir.entries.entrySet()) {
      ImportedEntry child = e.getValue() instanceof Dir d
          ? write(path.isEmpty() ? e.getKey() : path + "/" + e.getKey(), d, out)
          : (ImportedEntry) e.getValue();
      children.add(new HamtWriter.Entry(e.getKey(), child.cid(), child.size()));
    }
    if (HamtWriter.shouldShard(children)) {
      FileBuilder.Child shard = HamtWriter.write(children, cidVersion, writer);
      ImportedEntry entry = new ImportedEntry(path, shard.cid(), shard.tsize(), true);
      out.add(entry);
      return entry;
    }
    List<PbLink> links = new ArrayList<>(children.size());
    long tsize = 0;
    for (HamtWriter.Entry child : children) {
      links.add(new PbLink(child.cid(), child.name(), child.tsize()));
      tsize += child.tsize();
    }
    byte[] bytes = DagPb.encode(new PbNode(links, UnixFsData.directory().encode()));
    Block block = new Block(FileBuilder.dagPbCid(bytes, cidVersion), bytes);
    writer.add(block);
    ImportedEntry entry = new ImportedEntry(path, block.cid(), tsize + bytes.length, true);
    out.add(entry);
    return entry;
  }
}
