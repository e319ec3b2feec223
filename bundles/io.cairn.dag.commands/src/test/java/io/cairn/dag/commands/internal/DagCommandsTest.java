package io.cairn.dag.commands.internal;

import static io.cairn.testing.TestRpc.multipart;
import static io.cairn.testing.TestRpc.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.car.Car;
import io.cairn.car.CarLimits;
import io.cairn.car.CarReader;
import io.cairn.car.CarWriter;
import io.cairn.dag.DagService;
import io.cairn.node.NodeInfo;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import io.cairn.multiformats.Cid;
import io.cairn.rpc.RpcException;
import io.cairn.testing.Components;
import io.cairn.testing.TestRpc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagCommandsTest {
  /**
   * A small DAG with a block reached twice: root → [a, b, shared]; a → [leaf0, shared]; b → [leaf1].
   * Its blocks, in depth-first pre-order with each visited once: root, a, leaf0, shared, b, leaf1.
   */
  static final class Dag {
    final Block leaf0 = Block.raw(bytes(3000, 10));
    final Block leaf1 = Block.raw(bytes(5000, 11));
    final Block shared = Block.raw(bytes(700, 12));
    final Block a = TestStore.pbNode(new byte[] {8, 1}, List.of(leaf0.cid(), shared.cid()));
    final Block b = TestStore.pbNode(new byte[] {8, 2}, List.of(leaf1.cid()));
    final Block root = TestStore.pbNode(new byte[] {8, 1}, List.of(a.cid(), b.cid(), shared.cid()));

    List<Block> dfs() {
      return List.of(root, a, leaf0, shared, b, leaf1);
    }

    long size() {
      return dfs().stream().mapToLong(Block::size).sum();
    }
  }

  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] car(List<Cid> roots, List<Block> blocks) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter w = Car.writer(out, roots)) {
      for (Block b : blocks) {
        w.write(b);
      }
    }
    return out.toByteArray();
  }

  static List<Block> read(byte[] car, List<Cid> expectedRoots) throws IOException {
    List<Block> blocks = new ArrayList<>();
    try (CarReader r = Car.reader(new ByteArrayInputStream(car), CarLimits.DEFAULT)) {
      assertEquals(expectedRoots, r.header().roots());
      for (Block b = r.next(); b != null; b = r.next()) {
        blocks.add(b);
      }
    }
    return blocks;
  }

  /** The three commands and the shell over the real store, DAG service and pinner (its pin set in a temporary home). */
  static final class Node implements AutoCloseable {
    final TestStore s = new TestStore();
    final DagService dag = s.dag;
    final Path home;
    final Pinner pinner;
    final DagCommands.Import importer;
    final DagCommands.Export export;
    final DagCommands.Stat stat;

    Node(Map<String, Object> config) {
      try {
        home = Files.createTempDirectory("cairn-car-pins");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      pinner = Components.createWith(Pinner.class, "io.cairn.pin.internal.PinnerComponent", Map.of(), s.logger,
          node(home), s.store, s.dag);
      DagCommandsConfig c = (DagCommandsConfig) Components.config(DagCommandsConfig.class, config);
      importer = new DagCommands.Import(s.store, s.logger, c);
      importer.pinner = pinner;
      export = new DagCommands.Export(dag, s.logger, c);
      stat = new DagCommands.Stat(dag, s.logger, c);
    }

    Node() {
      this(Map.of());
    }

    void put(List<Block> blocks) {
      s.store.putMany(blocks).join();
    }

    DagShellCommands shell() {
      DagShellCommands shell = new DagShellCommands(s.store, dag, s.logger,
          (DagCommandsConfig) Components.config(DagCommandsConfig.class, Map.of()));
      shell.pinner = pinner;
      return shell;
    }

    /** The roots pinned recursively. */
    Set<Cid> pinned() {
      try (Stream<Pinner.Pin> pins = pinner.list(PinType.RECURSIVE)) {
        return pins.map(Pinner.Pin::cid).collect(Collectors.toSet());
      }
    }

    @Override
    public void close() {
      Components.deactivate(pinner);
      s.close();
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    static NodeInfo node(Path home) {
      return new NodeInfo() {
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
    }
  }

  static TestRpc.Request importing(byte[]... cars) {
    return new TestRpc.Request().body(multipart(cars));
  }

  static Map<String, Object> rootLine(Cid root, String error) {
    return Map.of("Root", Map.of("Cid", Map.of("/", root.toString()), "PinErrorMsg", error));
  }

  @Test
  void importStoresInBatchesPinsTheRootAndAnswersKubosLines() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node(Map.of("importBatchBlocks", 2))) {
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.importer, importing(car(List.of(d.root.cid()), d.dfs())).option("stats", "true"), response));
      assertEquals(List.of(rootLine(d.root.cid(), ""),
          Map.of("Stats", Map.of("BlockCount", 6L, "BlockBytesCount", d.size()))), response.lines);
      for (Block b : d.dfs()) {
        assertArrayEquals(b.data(), n.s.store.get(b.cid()).join().data());
      }
      assertEquals(Set.of(d.root.cid()), n.pinned());
    }
  }

  @Test
  void importOfSeveralCarsPinsEveryRootOnceAllAreRead() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      // The DAG spans two CARs: root and a in the first, the rest in the second (as Kubo allows).
      byte[] first = car(List.of(d.root.cid()), d.dfs().subList(0, 2));
      byte[] second = car(List.of(d.b.cid()), d.dfs().subList(2, 6));
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.importer, importing(first, second), response));
      assertEquals(List.of(rootLine(d.root.cid(), ""), rootLine(d.b.cid(), "")), response.lines);
      assertEquals(Set.of(d.root.cid(), d.b.cid()), n.pinned());
    }
  }

  @Test
  void importWithoutPinRootsPinsNothingAndAnswersNoRootLines() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.importer, importing(car(List.of(d.root.cid()), d.dfs())).option("pin-roots", "false"), response));
      assertEquals(List.of(), response.lines);
      assertTrue(n.pinned().isEmpty());
      assertEquals(6, n.s.storedBlocks());
    }
  }

  @Test
  void aTruncatedOrCorruptCarIsAClientErrorAndPinsNothing() throws Exception {
    Dag d = new Dag();
    byte[] whole = car(List.of(d.root.cid()), d.dfs());
    byte[] corrupt = whole.clone();
    corrupt[corrupt.length - 1] ^= 1;
    byte[] badHeader = whole.clone();
    badHeader[1] = 0x01;
    record Case(byte[][] cars, String message) {
    }
    List<Case> cases = List.of(
        new Case(new byte[][] {Arrays.copyOf(whole, whole.length - 100)}, "truncated"),
        new Case(new byte[][] {corrupt}, "does not hash to its CID"),
        new Case(new byte[][] {badHeader}, "malformed CAR header"),
        // A good CAR, then a truncated one: the first root is not pinned either.
        new Case(new byte[][] {whole, Arrays.copyOf(whole, whole.length - 1)}, "CAR file 2"));
    for (Case c : cases) {
      try (Node n = new Node()) {
        TestRpc.Response response = new TestRpc.Response();
        RpcException e = run(n.importer, importing(c.cars), response);
        assertNotNull(e, c.message);
        assertEquals(RpcException.Code.CLIENT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(c.message), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset"), e.getMessage());
        assertFalse(response.started(), "nothing answered before the error");
        assertTrue(n.pinned().isEmpty(), "nothing pinned");
      }
    }
  }

  @Test
  void aRootWhoseDagIsIncompleteAnswersThePinError() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.importer, importing(car(List.of(d.root.cid()), d.dfs().subList(0, 5))), response));
      assertEquals(1, response.lines.size());
      @SuppressWarnings("unchecked")
      Map<String, Object> meta = (Map<String, Object>) ((Map<String, Object>) response.lines.get(0)).get("Root");
      assertTrue(((String) meta.get("PinErrorMsg")).contains(d.leaf1.cid().toString()), meta.toString());
      assertEquals("unable to pin all roots: 1 out of 1 failed", response.streamError);
      assertTrue(n.pinned().isEmpty());
    }
  }

  @Test
  void statsCountEveryBlockReadIdentityBlocksIncludedAsKuboDoes() throws Exception {
    Dag d = new Dag();
    byte[] inline = "inline".getBytes();
    Block identity = new Block(Cid.v1(io.cairn.multiformats.Multicodec.RAW,
        io.cairn.multiformats.Multihash.of(io.cairn.multiformats.Multicodec.IDENTITY.code(), inline)), inline);
    // Our writer leaves identity blocks out; a CAR from elsewhere may hold them: write the section by hand.
    ByteArrayOutputStream car = new ByteArrayOutputStream();
    car.writeBytes(car(List.of(d.root.cid()), d.dfs()));
    byte[] cid = identity.cid().toBytes();
    car.writeBytes(io.cairn.multiformats.Varint.encode(cid.length + inline.length));
    car.writeBytes(cid);
    car.writeBytes(inline);
    try (Node n = new Node()) {
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.importer, importing(car.toByteArray()).option("stats", "true").option("pin-roots", "false"), response));
      assertEquals(List.of(Map.of("Stats", Map.of("BlockCount", 7L, "BlockBytesCount", d.size() + inline.length))),
          response.lines);
      assertEquals(6, n.s.storedBlocks(), "identity blocks are not stored");
    }
  }

  @Test
  void importWithoutAPinnerSaysSoInPinErrorMsg() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      n.importer.pinner = null;
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.importer, importing(car(List.of(d.root.cid()), d.dfs())), response));
      assertEquals(List.of(rootLine(d.root.cid(), "pinning is not available: no pinner runs on this node")), response.lines);
      assertEquals("unable to pin all roots: 1 out of 1 failed", response.streamError);
    }
  }

  @Test
  void importWithoutPartsIsAClientError() throws Exception {
    try (Node n = new Node()) {
      RpcException e = TestRpc.error(n.importer, importing());
      assertEquals(RpcException.Code.CLIENT, e.code());
    }
  }

  @Test
  void exportStreamsTheDagDepthFirstEachBlockOnce() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      n.put(d.dfs());
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.export, new TestRpc.Request().arg(d.root.cid().toString()), response));
      assertEquals(Car.MEDIA_TYPE, response.streamType);
      assertEquals(d.dfs(), read(response.stream.toByteArray(), List.of(d.root.cid())));
    }
  }

  @Test
  void exportFetchesWhatIsMissingLocally() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      n.put(d.dfs().subList(0, 3));
      n.s.peers.hold(d.dfs());
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.export, new TestRpc.Request().arg("/ipfs/" + d.root.cid()), response));
      assertEquals(d.dfs(), read(response.stream.toByteArray(), List.of(d.root.cid())));
      assertTrue(n.s.store.has(d.leaf1.cid()).join(), "fetched blocks are stored");
    }
  }

  @Test
  void exportOfAMissingRootIsAnErrorBeforeAnythingIsSent() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      RpcException e = TestRpc.error(n.export, new TestRpc.Request().arg(d.root.cid().toString()));
      assertTrue(e.getMessage().contains(d.root.cid().toString()), e.getMessage());
      assertEquals(RpcException.Code.CLIENT, TestRpc.error(n.export, new TestRpc.Request().arg("notacid")).code());
    }
  }

  @Test
  void exportMissingAChildEndsTheStreamWithTheError() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      n.put(d.dfs().subList(0, 4));
      TestRpc.Response response = new TestRpc.Response();
      RpcException e = run(n.export, new TestRpc.Request().arg(d.root.cid().toString()), response);
      assertNotNull(e);
      assertTrue(e.getMessage().contains(d.b.cid().toString()), e.getMessage());
      assertNotNull(response.streamType, "the stream had started: the server puts the error in the trailer");
    }
  }

  @Test
  void statAnswersKubosSummary() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      n.put(d.dfs());
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.stat, new TestRpc.Request().arg(d.root.cid().toString()).arg(d.a.cid().toString())
          .option("progress", "false"), response));
      long aSize = d.a.size() + d.leaf0.size() + d.shared.size();
      assertEquals(Map.of("UniqueBlocks", 6, "TotalSize", d.size(), "SharedSize", aSize,
          "Ratio", (float) d.size() / (d.size() + aSize),
          "DagStats", List.of(Map.of("Cid", Map.of("/", d.root.cid().toString()), "Size", d.size(), "NumBlocks", 6L),
              Map.of("Cid", Map.of("/", d.a.cid().toString()), "Size", aSize, "NumBlocks", 3L))), response.json);
    }
  }

  @Test
  void statWithProgressStreamsLinesEndingWithTheSummary() throws Exception {
    try (Node n = new Node()) {
      List<Block> leaves = new ArrayList<>();
      for (int i = 0; i < 2500; i++) {
        leaves.add(Block.raw(bytes(10, 1000 + i)));
      }
      Block root = TestStore.pbNode(null, leaves.stream().map(Block::cid).toList());
      n.put(leaves);
      n.put(List.of(root));
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(n.stat, new TestRpc.Request().arg(root.cid().toString()), response));
      assertEquals(3, response.lines.size(), "a line at 1000 and 2000 blocks, then the summary");
      @SuppressWarnings("unchecked")
      Map<String, Object> last = (Map<String, Object>) response.lines.get(2);
      assertEquals(2501, last.get("UniqueBlocks"));
      @SuppressWarnings("unchecked")
      Map<String, Object> first = (Map<String, Object>) response.lines.get(0);
      assertFalse(first.containsKey("UniqueBlocks"), "Kubo sets UniqueBlocks only at the end");
    }
  }

  @Test
  void statOfAMissingDagFails() throws Exception {
    Dag d = new Dag();
    try (Node n = new Node()) {
      RpcException e = TestRpc.error(n.stat, new TestRpc.Request().arg(d.root.cid().toString()).option("progress", "false"));
      assertTrue(e.getMessage().startsWith("error traversing DAG: "), e.getMessage());
    }
  }

  @Test
  void shellImportShowsProgressAndPinsAndExportWritesTheCar(@TempDir Path dir) throws Exception {
    try (Node n = new Node()) {
      List<Block> leaves = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        leaves.add(Block.raw(bytes(10, 5000 + i)));
      }
      Block root = TestStore.pbNode(null, leaves.stream().map(Block::cid).toList());
      List<Block> all = new ArrayList<>(List.of(root));
      all.addAll(leaves);
      Path file = dir.resolve("in.car");
      Files.write(file, car(List.of(root.cid()), all));
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      String out = n.shell().importCar(new PrintStream(console, true), file.toString());
      // Progress is told per stored batch (256 blocks by default): the line is redrawn past each 1000.
      assertTrue(console.toString().matches("(?s).*\\rimported 1[0-9]{3} blocks.*"), console.toString());
      assertEquals("Pinned root\t" + root.cid() + "\tsuccess\nImported 1501 blocks ("
          + all.stream().mapToLong(Block::size).sum() + " bytes)\n", out);
      assertEquals(Set.of(root.cid()), n.pinned());

      Path exported = dir.resolve("out.car");
      assertTrue(n.shell().export(root.cid().toString(), exported.toString()).startsWith("wrote 1501 blocks"));
      assertEquals(all, read(Files.readAllBytes(exported), List.of(root.cid())));
    }
  }
}
