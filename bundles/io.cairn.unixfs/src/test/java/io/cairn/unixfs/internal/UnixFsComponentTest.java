package io.cairn.unixfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.unixfs.DirEntry;
import io.cairn.unixfs.ImportOptions;
import io.cairn.unixfs.ImportProgress;
import io.cairn.unixfs.ImportedEntry;
import io.cairn.unixfs.Importer;
import io.cairn.unixfs.ResolvedPath;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsStat;
import io.cairn.unixfs.UnixFsType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnixFsComponentTest {
  private final Fixture fx = new Fixture();

  @AfterEach
  void close() {
    fx.close();
  }

  /** Deterministic bytes (an LCG), the same shapes as the interop test's. */
  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    long x = seed;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      b[i] = (byte) (x >>> 56);
    }
    return b;
  }

  private ImportedEntry addOne(byte[] data, ImportOptions options) throws Exception {
    Importer importer = fx.unixfs.importer(options, ImportProgress.NONE);
    importer.addFile("", new ByteArrayInputStream(data));
    importer.finish();
    return importer.root();
  }

  private byte[] readAll(Cid cid, long offset, long length) throws Exception {
    try (InputStream in = fx.unixfs.read(cid, offset, length)) {
      return in.readAllBytes();
    }
  }

  @Test
  void kuboCidsOfWellKnownInputs() throws Exception {
    ImportOptions v0 = ImportOptions.kubo();
    assertEquals("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH", addOne(new byte[0], v0).cid().toString());
    assertEquals("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        addOne("hello world\n".getBytes(StandardCharsets.UTF_8), v0).cid().toString());
    // CIDv1 takes raw leaves by default: a one-chunk file is its raw block
    assertEquals("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
        addOne(new byte[0], v0.withCidVersion(1)).cid().toString());
    Importer dir = fx.unixfs.importer(v0, ImportProgress.NONE);
    dir.addDirectory("empty");
    dir.finish();
    assertEquals("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn", dir.root().cid().toString());
    assertEquals(4, dir.root().size());
  }

  @Test
  void readsBackEveryShapeAndRange() throws Exception {
    ImportOptions small = ImportOptions.kubo().withChunker("size-16");
    for (ImportOptions options : List.of(small, small.withCidVersion(1), small.withRawLeaves(true))) {
      // 0, 1, one chunk, one chunk + 1, 174 chunks, 175 (two levels), 174*174+1 single-byte chunks (three levels)
      for (int n : new int[] {0, 1, 16, 17, 174 * 16, 175 * 16 + 3}) {
        byte[] data = bytes(n, n);
        Cid root = addOne(data, options).cid();
        assertArrayEquals(data, readAll(root, 0, -1), options + " " + n);
        assertEquals(n, fx.unixfs.stat(root).size());
        if (n > 40) {
          assertArrayEquals(Arrays.copyOfRange(data, 15, 40), readAll(root, 15, 25));
          assertArrayEquals(Arrays.copyOfRange(data, n - 5, n), readAll(root, n - 5, 100));
          assertEquals(0, readAll(root, n + 10, -1).length);
        }
      }
    }
    byte[] deep = bytes(174 * 174 + 1, 9);
    Cid root = addOne(deep, ImportOptions.kubo().withChunker("size-1")).cid();
    assertArrayEquals(deep, readAll(root, 0, -1));
    assertArrayEquals(Arrays.copyOfRange(deep, 30000, 30277), readAll(root, 30000, -1));
  }

  @Test
  void balancedLayoutHas174LinksANodeAndKuboBlocksizes() throws Exception {
    byte[] data = bytes(175 * 4, 3);
    Cid root = addOne(data, ImportOptions.kubo().withChunker("size-4")).cid();
    FsNode top = FsNode.parse(fx.store.get(root).get(), 1000);
    assertEquals(2, top.links().size());
    assertArrayEquals(new long[] {174 * 4, 4}, top.data().blockSizes());
    FsNode first = FsNode.parse(fx.store.get(top.links().get(0).cid()).get(), 1000);
    assertEquals(174, first.links().size());
    assertEquals("", top.links().get(0).name());
    // Tsize is the child's cumulative size: its block plus its children's
    long sum = first.block().data().length;
    for (PbLink l : first.links()) {
      sum += l.tsize();
    }
    assertEquals(sum, top.links().get(0).tsize());
    FsNode second = FsNode.parse(fx.store.get(top.links().get(1).cid()).get(), 1000);
    assertEquals(1, second.links().size(), "a lone last leaf still gets its own parent, as go-unixfs builds it");
  }

  @Test
  void directoriesAreSortedByNameAndOutputAsKuboDoes() throws Exception {
    Importer importer = fx.unixfs.importer(ImportOptions.kubo().withWrapWithDirectory(true), ImportProgress.NONE);
    importer.addFile("d/b.txt", new ByteArrayInputStream(bytes(10, 1)));
    importer.addFile("d/a.txt", new ByteArrayInputStream(bytes(300_000, 2)));
    importer.addDirectory("d/sub");
    importer.addFile("top.txt", new ByteArrayInputStream(bytes(3, 3)));
    List<ImportedEntry> dirs = importer.finish();
    assertEquals(List.of("d/sub", "d", ""), dirs.stream().map(ImportedEntry::path).toList());
    Cid root = importer.root().cid();
    assertEquals(root, dirs.get(2).cid());

    List<String> names = new ArrayList<>();
    fx.unixfs.list(dirs.get(1).cid(), e -> names.add(e.name()));
    assertEquals(List.of("a.txt", "b.txt", "sub"), names);

    ResolvedPath path = fx.unixfs.resolve("/ipfs/" + root + "/d/a.txt");
    assertEquals(List.of(root, dirs.get(1).cid(), path.target()), path.traversed());
    assertArrayEquals(bytes(300_000, 2), readAll(path.target(), 0, -1));
    assertEquals(path.target(), fx.unixfs.resolve(root + "/d//a.txt/").target());
    assertEquals(UnixFsType.DIRECTORY, fx.unixfs.stat(dirs.get(0).cid()).type());

    UnixFsException throughFile = assertThrows(UnixFsException.class,
        () -> fx.unixfs.resolve("/ipfs/" + root + "/top.txt/x"));
    assertTrue(throughFile.getMessage().contains("not a directory"), throughFile.getMessage());
    UnixFsException missing = assertThrows(UnixFsException.class, () -> fx.unixfs.resolve(root + "/nope"));
    assertTrue(missing.getMessage().contains("no link named \"nope\""), missing.getMessage());
    assertThrows(UnixFsException.class, () -> fx.unixfs.resolve("/ipfs/notacid/a"));
    assertThrows(UnixFsException.class, () -> fx.unixfs.read(root, 0, -1));
  }

  @Test
  void badImportsAreRefused() throws Exception {
    UnixFsException rabin = assertThrows(UnixFsException.class,
        () -> fx.unixfs.importer(ImportOptions.kubo().withChunker("rabin-262144"), ImportProgress.NONE));
    assertTrue(rabin.getMessage().contains("only the fixed-size chunker"), rabin.getMessage());
    assertThrows(UnixFsException.class,
        () -> fx.unixfs.importer(ImportOptions.kubo().withChunker("size-2000000"), ImportProgress.NONE));
    assertThrows(UnixFsException.class,
        () -> fx.unixfs.importer(ImportOptions.kubo().withCidVersion(2), ImportProgress.NONE));
    Importer importer = fx.unixfs.importer(ImportOptions.kubo(), ImportProgress.NONE);
    importer.addFile("a", InputStream.nullInputStream());
    assertThrows(UnixFsException.class, () -> importer.addFile("a", InputStream.nullInputStream()));
    assertThrows(UnixFsException.class, () -> importer.addFile("a/b", InputStream.nullInputStream()));
    assertThrows(UnixFsException.class, () -> importer.addFile("../x", InputStream.nullInputStream()));
  }

  @Test
  void onlyHashStoresNothingAndProgressCountsBytes() throws Exception {
    List<Long> progress = new ArrayList<>();
    Importer importer = fx.unixfs.importer(ImportOptions.kubo().withOnlyHash(true), (p, b) -> progress.add(b));
    importer.addFile("f", new ByteArrayInputStream(bytes(600_000, 4)));
    importer.finish();
    assertEquals(List.of(262_144L, 524_288L, 600_000L), progress);
    assertFalse(fx.store.has(importer.root().cid()).get());
    assertEquals(addOne(bytes(600_000, 4), ImportOptions.kubo()).cid(), importer.root().cid());
  }

  @Test
  void entityBytesTakesOnlyTheLeavesOfTheRange() throws Exception {
    byte[] data = bytes(100, 5);
    Cid root = addOne(data, ImportOptions.kubo().withChunker("size-10").withCidVersion(1)).cid();
    List<Block> all = new ArrayList<>();
    fx.unixfs.entityBlocks(root, 0, -1, all::add);
    assertEquals(11, all.size());
    assertEquals(root, all.get(0).cid());
    List<Block> some = new ArrayList<>();
    fx.unixfs.entityBlocks(root, 15, 10, some::add);
    // the root, then leaves 1 and 2 (bytes 10..29)
    assertEquals(List.of(root, all.get(2).cid(), all.get(3).cid()), some.stream().map(Block::cid).toList());
  }

  @Test
  void tarHoldsTheTreeAsKubosGet() throws Exception {
    Importer importer = fx.unixfs.importer(ImportOptions.kubo().withWrapWithDirectory(true), ImportProgress.NONE);
    byte[] a = bytes(1000, 6);
    importer.addFile("x/a.bin", new ByteArrayInputStream(a));
    importer.addDirectory("x/empty");
    importer.finish();
    Cid root = importer.root().cid();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fx.unixfs.tar(root, root.toString(), out);
    Map<String, byte[]> entries = untar(out.toByteArray());
    assertEquals(List.of(root + "", root + "/x", root + "/x/a.bin", root + "/x/empty"), new ArrayList<>(entries.keySet()));
    assertArrayEquals(a, entries.get(root + "/x/a.bin"));
    assertEquals(0, out.size() % 512);
  }

  /** Names (in order) and file bytes of a tar; directories map to null. Checks each header's checksum. */
  static Map<String, byte[]> untar(byte[] tar) throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    int at = 0;
    while (at + 512 <= tar.length && tar[at] != 0) {
      byte[] h = Arrays.copyOfRange(tar, at, at + 512);
      long sum = 0;
      for (int i = 0; i < 512; i++) {
        sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
      }
      assertEquals(sum, Long.parseLong(field(h, 148, 7), 8), "header checksum");
      String name = field(h, 345, 155).isEmpty() ? field(h, 0, 100) : field(h, 345, 155) + "/" + field(h, 0, 100);
      int size = Integer.parseInt(field(h, 124, 11), 8);
      at += 512;
      entries.put(name, h[156] == '5' ? null : Arrays.copyOfRange(tar, at, at + size));
      at += (size + 511) / 512 * 512;
    }
    return entries;
  }

  private static String field(byte[] h, int at, int max) {
    int end = at;
    while (end < at + max && h[end] != 0) {
      end++;
    }
    return new String(h, at, end - at, StandardCharsets.UTF_8);
  }

  // ---- HAMT

  /** A one-level HAMT (fanout 256, murmur3) over {@code names}, each entry a small file; built by hand. */
  private Cid hamt(List<String> names, long fanout, java.util.function.UnaryOperator<byte[]> bitfieldEdit)
      throws Exception {
    TreeMap<Integer, PbLink> buckets = new TreeMap<>();
    for (String name : names) {
      Cid file = addOne(name.getBytes(StandardCharsets.UTF_8), ImportOptions.kubo().withCidVersion(1)).cid();
      int index = Murmur3.hash64(name.getBytes(StandardCharsets.UTF_8))[0] & 0xff;
      buckets.put(index, new PbLink(file, String.format("%02X", index) + name, 10L));
    }
    byte[] bitfield = new byte[32];
    for (int index : buckets.keySet()) {
      bitfield[31 - index / 8] |= (byte) (1 << (index % 8));
    }
    UnixFsData data = new UnixFsData(UnixFsType.HAMT_SHARD, bitfieldEdit.apply(bitfield), null, null,
        UnixFsData.MURMUR3_X64_64, fanout);
    byte[] bytes = DagPb.encode(new PbNode(new ArrayList<>(buckets.values()), data.encode()));
    Block block = new Block(FileBuilder.dagPbCid(bytes, 1), bytes);
    fx.store.put(block).get();
    return block.cid();
  }

  @Test
  void hamtDirectoriesAreListedAndResolvedByHash() throws Exception {
    List<String> names = List.of("alpha", "beta", "gamma", "delta", "file-0001.txt");
    Cid dir = hamt(names, 256, b -> b);
    List<DirEntry> entries = new ArrayList<>();
    fx.unixfs.list(dir, entries::add);
    assertEquals(names.stream().sorted().toList(), entries.stream().map(DirEntry::name).sorted().toList());
    Cid gamma = fx.unixfs.resolve("/ipfs/" + dir + "/gamma").target();
    assertArrayEquals("gamma".getBytes(StandardCharsets.UTF_8), readAll(gamma, 0, -1));
    assertThrows(UnixFsException.class, () -> fx.unixfs.resolve(dir + "/epsilon"));
    UnixFsStat stat = fx.unixfs.stat(dir);
    assertEquals(UnixFsType.HAMT_SHARD, stat.type());
    List<Block> entity = new ArrayList<>();
    fx.unixfs.entityBlocks(dir, 0, -1, entity::add);
    assertEquals(List.of(dir), entity.stream().map(Block::cid).toList());
  }

  @Test
  void bogusHamtsAreClearErrors() throws Exception {
    List<String> names = List.of("alpha", "beta");
    for (long fanout : new long[] {300, 2048, 0, 1L << 40}) {
      Cid dir = hamt(names, fanout, b -> b);
      UnixFsException e = assertThrows(UnixFsException.class, () -> fx.unixfs.list(dir, x -> { }));
      assertTrue(e.getMessage().contains("bogus HAMT shard") && e.getMessage().contains("fanout"), e.getMessage());
      assertThrows(UnixFsException.class, () -> fx.unixfs.resolve(dir + "/alpha"));
    }
    // a bitfield with more bits than links, and one longer than the fanout allows
    Cid extraBit = hamt(names, 256, b -> {
      b[1] |= (byte) 0x01; // bucket 240: neither name's ("alpha" is 255, "beta" 182)
      return b;
    });
    UnixFsException bits = assertThrows(UnixFsException.class, () -> fx.unixfs.list(extraBit, x -> { }));
    assertTrue(bits.getMessage().contains("bits set but the node has 2 links"), bits.getMessage());
    Cid longField = hamt(names, 256, b -> Arrays.copyOf(b, 64));
    assertThrows(UnixFsException.class, () -> fx.unixfs.list(longField, x -> { }));
    // the right bit count, but in buckets the link prefixes do not name
    Cid shifted = hamt(names, 256, b -> {
      byte[] moved = new byte[32];
      for (int i = 1; i < 32; i++) {
        moved[i - 1] = b[i];
      }
      return moved;
    });
    assertThrows(UnixFsException.class, () -> fx.unixfs.list(shifted, x -> { }));
  }

  @Test
  void limitsAreEnforced() throws Exception {
    try (Fixture small = new Fixture(Map.of("maxPathDepth", 2, "maxDirectoryEntries", 2))) {
      Importer importer = small.unixfs.importer(ImportOptions.kubo(), ImportProgress.NONE);
      importer.addFile("a/b/c/d", InputStream.nullInputStream());
      importer.addFile("a/x", InputStream.nullInputStream());
      importer.addFile("a/y", InputStream.nullInputStream());
      importer.finish();
      Cid a = importer.root().cid();
      UnixFsException deep = assertThrows(UnixFsException.class, () -> small.unixfs.resolve(a + "/b/c/d"));
      assertTrue(deep.getMessage().contains("maxPathDepth"), deep.getMessage());
      UnixFsException many = assertThrows(UnixFsException.class, () -> small.unixfs.list(a, e -> { }));
      assertTrue(many.getMessage().contains("maxDirectoryEntries"), many.getMessage());
    }
  }

  @Test
  void bigDirectoriesAreShardedAsKuboShardsThem() throws Exception {
    // 64-byte names + 34-byte CIDv0s: 98 bytes a link; 2675 links make 262,150 bytes, over 256 KiB
    Importer importer = fx.unixfs.importer(ImportOptions.kubo(), ImportProgress.NONE);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 2675; i++) {
      String name = String.format("%064d", i);
      names.add(name);
      importer.addFile("big/" + name, new ByteArrayInputStream(bytes(i % 7, i)));
    }
    List<ImportedEntry> dirs = importer.finish();
    Cid big = dirs.get(0).cid();
    assertEquals(UnixFsType.HAMT_SHARD, fx.unixfs.stat(big).type());
    List<String> listed = new ArrayList<>();
    fx.unixfs.list(big, e -> listed.add(e.name()));
    assertEquals(names, listed.stream().sorted().toList());
    for (int i : new int[] {0, 1, 1000, 2674}) {
      Cid file = fx.unixfs.resolve(big + "/" + names.get(i)).target();
      assertArrayEquals(bytes(i % 7, i), readAll(file, 0, -1));
    }
    // the shards are in the store, and the root's size is cumulative over them
    List<Block> shards = new ArrayList<>();
    fx.unixfs.entityBlocks(big, 0, -1, shards::add);
    assertTrue(shards.size() > 1, "2675 names in 256 buckets collide into child shards");
    long shardBytes = shards.stream().mapToLong(b -> b.data().length).sum();
    long entryBytes = 0;
    for (String name : names) {
      entryBytes += fx.store.get(fx.unixfs.resolve(big + "/" + name).target()).get().data().length;
    }
    assertEquals(shardBytes + entryBytes, dirs.get(0).size());

    // one link fewer stays a basic directory (the threshold is strictly greater)
    Importer smaller = fx.unixfs.importer(ImportOptions.kubo(), ImportProgress.NONE);
    for (int i = 0; i < 2674; i++) {
      smaller.addFile("d/" + names.get(i), new ByteArrayInputStream(bytes(i % 7, i)));
    }
    assertEquals(UnixFsType.DIRECTORY, fx.unixfs.stat(smaller.finish().get(0).cid()).type());
  }

  @Test
  void aBlockMissingMidFileOrAMalformedNodeFailsTheReadClearly() throws Exception {
    byte[] data = bytes(100, 8);
    Cid root = addOne(data, ImportOptions.kubo().withChunker("size-10")).cid();
    List<Block> blocks = new ArrayList<>();
    fx.unixfs.entityBlocks(root, 0, -1, blocks::add);
    Cid sixth = blocks.get(6).cid();
    fx.store.delete(sixth).get();
    try (InputStream in = fx.unixfs.read(root, 0, -1)) {
      byte[] first = in.readNBytes(50);
      assertArrayEquals(Arrays.copyOf(data, 50), first);
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(e.getCause() instanceof UnixFsException u && sixth.equals(u.cid()), String.valueOf(e.getCause()));
      assertTrue(e.getMessage().contains(sixth.toString()), e.getMessage());
    }
    // a dag-pb node whose UnixFS Data is cut short: Type File, then a Data field declaring 9 bytes with 1 present
    byte[] bytes = DagPb.encode(new PbNode(List.of(), java.util.HexFormat.of().parseHex("0802120961")));
    Block bad = new Block(FileBuilder.dagPbCid(bytes, 0), bytes);
    fx.store.put(bad).get();
    UnixFsException truncated = assertThrows(UnixFsException.class, () -> fx.unixfs.read(bad.cid(), 0, -1));
    assertTrue(truncated.getMessage().contains("truncated Data field"), truncated.getMessage());
    Importer wrapped = fx.unixfs.importer(ImportOptions.kubo().withWrapWithDirectory(true), ImportProgress.NONE);
    assertThrows(UnixFsException.class, () -> wrapped.addFile("", InputStream.nullInputStream()));
  }

  @Test
  void aMissingBlockWithoutBitswapIsAClearError() {
    Cid absent = Block.raw(bytes(5, 77)).cid();
    UnixFsException e = assertThrows(UnixFsException.class, () -> fx.unixfs.stat(absent));
    assertTrue(e.getMessage().contains("not found locally"), e.getMessage());
  }

  private static Cid identityCid(io.cairn.multiformats.Multicodec codec, byte[] data) {
    return Cid.v1(codec, io.cairn.multiformats.Multihash.of(io.cairn.multiformats.Multicodec.IDENTITY.code(), data));
  }

  /**
   * UnixFS files whose blocks ride in their CIDs (ipfs add --inline, or --raw-leaves with an identity hash):
   * a raw leaf, a dag-pb leaf, and a dag-pb node joining an identity leaf and a stored one, read back whole.
   */
  @Test
  void filesInIdentityCidsAreReadFromTheirCids() throws Exception {
    byte[] hello = "hello, ".getBytes(StandardCharsets.UTF_8);
    byte[] world = "inline world".getBytes(StandardCharsets.UTF_8);
    Cid rawLeaf = identityCid(io.cairn.multiformats.Multicodec.RAW, hello);
    assertArrayEquals(hello, readAll(rawLeaf, 0, -1));
    assertEquals(hello.length, fx.unixfs.stat(rawLeaf).size());

    byte[] pbLeaf = DagPb.encode(new PbNode(List.of(), UnixFsData.fileLeaf(world).encode()));
    Cid pbLeafCid = identityCid(io.cairn.multiformats.Multicodec.DAG_PB, pbLeaf);
    assertArrayEquals(world, readAll(pbLeafCid, 0, -1));

    Block stored = Block.raw(world);
    fx.store.put(stored).get();
    byte[] node = DagPb.encode(new PbNode(List.of(new PbLink(rawLeaf, "", (long) hello.length),
        new PbLink(stored.cid(), "", (long) world.length)), UnixFsData.fileNode(new long[] {hello.length, world.length})
        .encode()));
    Cid nodeCid = identityCid(io.cairn.multiformats.Multicodec.DAG_PB, node);
    byte[] both = (new String(hello, StandardCharsets.UTF_8) + new String(world, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(UnixFsType.FILE, fx.unixfs.stat(nodeCid).type());
    assertEquals(both.length, fx.unixfs.stat(nodeCid).size());
    assertArrayEquals(both, readAll(nodeCid, 0, -1));
    assertArrayEquals(Arrays.copyOfRange(both, 3, 10), readAll(nodeCid, 3, 7));
  }
}
