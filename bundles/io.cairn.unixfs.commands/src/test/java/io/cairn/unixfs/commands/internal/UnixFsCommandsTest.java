package io.cairn.unixfs.commands.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagService;
import io.cairn.node.NodeInfo;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import io.cairn.rpc.RpcException;
import io.cairn.blockstore.service.internal.BlockServiceComponent;
import io.cairn.testing.Components;
import io.cairn.testing.TestRpc;
import io.cairn.unixfs.UnixFs;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

class UnixFsCommandsTest {
  private final Logger log = Components.logger();
  private final BatchIOManager batchio = Components.create(BatchIOManager.class,
      "io.cairn.blockstore.batchio.internal.BatchIOComponent", log, Map.of());
  private final MultiTierBlockstore store = Components.create(MultiTierBlockstore.class,
      "io.cairn.blockstore.tiered.internal.TieredBlockstore", log, Map.of());
  private final UnixFs unixfs;
  @TempDir Path home;
  private Pinner pinner;

  UnixFsCommandsTest() {
    Components.call(store, "bindBatchIO", batchio);
    BlockTier memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", log,
        Map.of("capacityBytes", 256L << 20));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id", 1L),
        null);
    unixfs = Components.createWith(UnixFs.class, "io.cairn.unixfs.internal.UnixFsComponent", Map.of(), store,
        new BlockServiceComponent(store, log), log);
  }

  @AfterEach
  void close() {
    if (pinner != null) {
      Components.deactivate(pinner);
    }
    Components.deactivate(store);
    Components.deactivate(batchio);
  }

  /** add bound to the real pinner (io.cairn.pin) with the real DAG walker over this store, its pin set in {@link #home}. */
  private UnixFsCommands.Add add() {
    if (pinner == null) {
      DagService dag = Components.createWith(DagService.class, "io.cairn.dag.internal.DagServiceComponent", Map.of(),
          store, new BlockServiceComponent(store, log), log);
      NodeInfo node = new NodeInfo() {
        @Override
        public Path home() {
          return home;
        }

        @Override
        public String version() {
          return "0.1.0";
        }

        @Override
        public String commit() {
          return "";
        }
      };
      pinner = Components.createWith(Pinner.class, "io.cairn.pin.internal.PinnerComponent", Map.of(), log, node, store,
          dag);
    }
    UnixFsCommands.Add add = new UnixFsCommands.Add(unixfs);
    add.pinner = pinner;
    return add;
  }

  /** The CIDs pinned recursively. */
  private Set<String> pins() {
    try (Stream<Pinner.Pin> pins = pinner.list(PinType.RECURSIVE)) {
      return pins.map(p -> p.cid().toString()).collect(Collectors.toSet());
    }
  }

  /** A multipart body as kubo-rpc-client sends add: URI-encoded filenames, directories as x-directory parts. */
  static byte[] body(Object... pathsAndContents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      byte[] content = (byte[]) pathsAndContents[i + 1];
      out.writeBytes(("--" + TestRpc.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + (content == null ? "dir" : "file")
          + (i == 0 ? "" : "-" + i / 2) + "\"; filename=\"" + URLEncoder.encode((String) pathsAndContents[i], StandardCharsets.UTF_8)
          + "\"\r\nContent-Type: " + (content == null ? "application/x-directory" : "application/octet-stream")
          + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      if (content != null) {
        out.writeBytes(content);
      }
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + TestRpc.BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + i / 7);
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> line(TestRpc.Response r, int i) {
    return (Map<String, Object>) r.lines.get(i);
  }

  @Test
  void addAnswersKubosLinesAndPinsTheRoot() throws Exception {
    TestRpc.Response r = new TestRpc.Response();
    assertNull(TestRpc.run(add(), new TestRpc.Request().body(body("", "hello world\n".getBytes(StandardCharsets.UTF_8))), r));
    assertEquals(1, r.lines.size());
    assertEquals(Map.of("Name", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        "Hash", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "Size", "20"), line(r, 0));
    assertEquals(Set.of("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"), pins());
  }

  @Test
  void addOfADirectoryTreeWithProgress() throws Exception {
    TestRpc.Response r = new TestRpc.Response();
    TestRpc.Request request = new TestRpc.Request().option("progress", "true").option("cid-version", "1")
        .body(body("dir", null, "dir/a b.txt", bytes(300_000), "dir/sub/c.txt", bytes(5)));
    assertNull(TestRpc.run(add(), request, r));
    List<Object> names = r.lines.stream().<Object>map(l -> ((Map<?, ?>) l).get("Name")).toList();
    assertEquals(List.of("dir/a b.txt", "dir/a b.txt", "dir/a b.txt", "dir/sub/c.txt", "dir/sub/c.txt", "dir/sub", "dir"),
        names);
    assertEquals(262_144L, line(r, 0).get("Bytes"));
    assertEquals(300_000L, line(r, 1).get("Bytes"));
    String dir = (String) line(r, 6).get("Hash");
    assertTrue(dir.startsWith("bafybei"), dir);
    assertEquals(Set.of(dir), pins());

    TestRpc.Response cat = new TestRpc.Response();
    assertNull(TestRpc.run(new UnixFsCommands.Cat(unixfs), new TestRpc.Request().arg("/ipfs/" + dir + "/a b.txt")
        .option("offset", "262000").option("length", "1000"), cat));
    assertArrayEquals(Arrays.copyOfRange(bytes(300_000), 262_000, 263_000), cat.stream.toByteArray());

    Map<?, ?> ls = (Map<?, ?>) TestRpc.json(new UnixFsCommands.Ls(unixfs), new TestRpc.Request().arg(dir));
    Map<?, ?> object = (Map<?, ?>) ((List<?>) ls.get("Objects")).get(0);
    assertEquals(dir, object.get("Hash"));
    List<?> links = (List<?>) object.get("Links");
    assertEquals(2, links.size());
    Map<?, ?> a = (Map<?, ?>) links.get(0);
    assertEquals("a b.txt", a.get("Name"));
    assertEquals(300_000L, a.get("Size"));
    assertEquals(2, a.get("Type"));
    assertEquals("", a.get("Target"));
    assertEquals(1, ((Map<?, ?>) links.get(1)).get("Type"));
    assertEquals(0L, ((Map<?, ?>) links.get(1)).get("Size"));

    Map<?, ?> resolved = (Map<?, ?>) TestRpc.json(new UnixFsCommands.Resolve(unixfs),
        new TestRpc.Request().arg("/ipfs/" + dir + "/sub/c.txt"));
    assertEquals("/ipfs/" + line(r, 4).get("Hash"), resolved.get("Path"));

    TestRpc.Response get = new TestRpc.Response();
    assertNull(TestRpc.run(new UnixFsCommands.Get(unixfs), new TestRpc.Request().arg("/ipfs/" + dir + "/sub"), get));
    assertEquals("application/x-tar", get.streamType);
    byte[] tar = get.stream.toByteArray();
    assertEquals("sub", new String(tar, 0, 3, StandardCharsets.US_ASCII));
    assertEquals("sub/c.txt", new String(tar, 512, 9, StandardCharsets.US_ASCII));
    assertArrayEquals(bytes(5), Arrays.copyOfRange(tar, 1024, 1029));
  }

  @Test
  void badRequestsAreClearErrors() throws Exception {
    RpcException rabin = TestRpc.error(add(), new TestRpc.Request().option("chunker", "rabin").body(body("a", bytes(3))));
    assertEquals(RpcException.Code.CLIENT, rabin.code());
    assertTrue(rabin.getMessage().contains("fixed-size chunker"), rabin.getMessage());
    UnixFsCommands.Add unpinned = new UnixFsCommands.Add(unixfs);
    RpcException noPinner = TestRpc.error(unpinned, new TestRpc.Request().body(body("a", bytes(3))));
    assertTrue(noPinner.getMessage().contains("pin=false"), noPinner.getMessage());
    assertNull(TestRpc.run(unpinned, new TestRpc.Request().option("pin", "false").body(body("a", bytes(3))),
        new TestRpc.Response()));

    TestRpc.Response r = new TestRpc.Response();
    assertNull(TestRpc.run(add(), new TestRpc.Request().body(body("f", bytes(10))), r));
    String file = (String) line(r, 0).get("Hash");
    RpcException through = TestRpc.error(new UnixFsCommands.Resolve(unixfs), new TestRpc.Request().arg("/ipfs/" + file + "/x"));
    assertTrue(through.getMessage().contains("not a directory"), through.getMessage());
    RpcException gz = TestRpc.error(new UnixFsCommands.Get(unixfs), new TestRpc.Request().arg(file).option("compress", "true"));
    assertEquals(RpcException.Code.CLIENT, gz.code());
    RpcException past = TestRpc.error(new UnixFsCommands.Cat(unixfs), new TestRpc.Request().arg(file).option("offset", "11"));
    assertTrue(past.getMessage().contains("past the end"), past.getMessage());
    RpcException ipns = TestRpc.error(new UnixFsCommands.Cat(unixfs), new TestRpc.Request().arg("/ipns/example.com"));
    assertEquals(RpcException.Code.CLIENT, ipns.code());
    RpcException badPath = TestRpc.error(new UnixFsCommands.Ls(unixfs), new TestRpc.Request().arg("/ipfs/nope"));
    assertEquals(RpcException.Code.CLIENT, badPath.code());
  }

  /** cat of files in identity CIDs: the empty raw block (bafkqaaa) and an inline raw leaf, nothing stored. */
  @Test
  void catAnswersFilesInIdentityCidsFromTheCid() throws Exception {
    TestRpc.Response empty = new TestRpc.Response();
    assertNull(TestRpc.run(new UnixFsCommands.Cat(unixfs), new TestRpc.Request().arg("/ipfs/bafkqaaa"), empty));
    assertArrayEquals(new byte[0], empty.stream.toByteArray());

    byte[] inline = "a file small enough to ride in its CID".getBytes(StandardCharsets.UTF_8);
    io.cairn.multiformats.Cid cid = io.cairn.multiformats.Cid.v1(io.cairn.multiformats.Multicodec.RAW,
        io.cairn.multiformats.Multihash.of(io.cairn.multiformats.Multicodec.IDENTITY.code(), inline));
    TestRpc.Response cat = new TestRpc.Response();
    assertNull(TestRpc.run(new UnixFsCommands.Cat(unixfs), new TestRpc.Request().arg(cid.toString())
        .option("offset", "2").option("length", "4"), cat));
    assertArrayEquals(Arrays.copyOfRange(inline, 2, 6), cat.stream.toByteArray());
    try (Stream<io.cairn.multiformats.Cid> keys = store.keys()) {
      assertEquals(0, keys.count());
    }
  }
}
