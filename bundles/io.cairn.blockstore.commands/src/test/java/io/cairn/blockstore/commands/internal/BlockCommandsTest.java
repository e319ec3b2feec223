package io.cairn.blockstore.commands.internal;

import static io.cairn.testing.TestRpc.multipart;
import static io.cairn.testing.TestRpc.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.CorruptBlockException;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.node.NodeInfo;
import io.cairn.pin.PinType;
import io.cairn.testing.Components;
import io.cairn.pin.Pinner;
import io.cairn.rpc.MalformedBodyException;
import io.cairn.rpc.RpcException;
import io.cairn.testing.TestRpc;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class BlockCommandsTest {
  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static TestRpc.Request put(byte[] body) {
    return new TestRpc.Request().body(body);
  }

  private static void assertClientError(RpcException e, String contains) {
    assertNotNull(e, "expected an error containing " + contains);
    assertEquals(RpcException.Code.CLIENT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(contains), e.getMessage());
  }

  @Test
  void putStoresEachPartAndAnswersKeyAndSizeLines() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      byte[] a = bytes(1000, 1);
      byte[] b = bytes(256 * 1024, 2);
      byte[] empty = new byte[0];
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(new BlockCommands.Put(s.store), put(multipart(a, b, empty)), response));
      List<Block> expected = List.of(Block.raw(a), Block.raw(b), Block.raw(empty));
      assertEquals(3, response.lines.size());
      for (int i = 0; i < 3; i++) {
        assertEquals(Map.of("Key", expected.get(i).cid().toString(), "Size", (long) expected.get(i).size()),
            response.lines.get(i));
        assertArrayEquals(expected.get(i).data(), s.store.get(expected.get(i).cid()).join().data());
      }
      assertTrue(expected.get(0).cid().toString().startsWith("bafkrei"), "raw sha2-256 CIDv1 by default");
    }
  }

  /** The real pinner (io.cairn.pin) with the real DAG walker over {@code s}'s store, its pin set under {@code home}. */
  private static Pinner realPinner(RealStore s, java.nio.file.Path home) {
    io.cairn.dag.DagService dag = Components.createWith(io.cairn.dag.DagService.class,
        "io.cairn.dag.internal.DagServiceComponent", Map.of(), s.store, s.blocks, s.logger);
    return Components.createWith(Pinner.class, "io.cairn.pin.internal.PinnerComponent", Map.of(), s.logger,
        RealStore.node(home), s.store, dag);
  }

  @Test
  void putWithPinPinsEachBlockDirectlyAsClusterSendsIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
      throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      byte[] a = bytes(1000, 11);
      byte[] b = bytes(5000, 12);
      BlockCommands.Put put = new BlockCommands.Put(s.store);
      Pinner pinner = realPinner(s, home);
      put.pinner = pinner;
      TestRpc.Response response = new TestRpc.Response();
      // ipfs-cluster's adder: dag-pb blocks, sha2-256, full length, many parts in one body.
      assertNull(run(put, put(multipart(a, b)).option("cid-codec", "dag-pb").option("mhtype", "sha2-256")
          .option("mhlen", "-1").option("pin", "true").option("allow-big-block", "true"), response));
      Cid ca = Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, a));
      Cid cb = Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, b));
      assertEquals(List.of(Map.of("Key", ca.toString(), "Size", 1000L), Map.of("Key", cb.toString(), "Size", 5000L)),
          response.lines);
      try (java.util.stream.Stream<Pinner.Pin> pins = pinner.list(PinType.DIRECT)) {
        assertEquals(java.util.Set.of(ca, cb), pins.map(Pinner.Pin::cid).collect(java.util.stream.Collectors.toSet()));
      }
      Components.deactivate(pinner);
    }
  }

  /** ipfs-cluster may put an identity block with pin=true: it is pinned directly, and not stored (as Kubo). */
  @Test
  void anIdentityBlockPutWithPinIsPinnedAndNotStored(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
      throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      BlockCommands.Put put = new BlockCommands.Put(s.store);
      Pinner pinner = realPinner(s, home);
      put.pinner = pinner;
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(put, put(multipart(new byte[0])).option("mhtype", "identity").option("pin", "true"), response));
      assertEquals(List.of(Map.of("Key", "bafkqaaa", "Size", 0L)), response.lines);
      try (java.util.stream.Stream<Pinner.Pin> pins = pinner.list(PinType.DIRECT)) {
        assertEquals(List.of(Cid.parse("bafkqaaa")), pins.map(Pinner.Pin::cid).toList());
      }
      assertEquals(0, s.storedBlocks());
      Components.deactivate(pinner);
    }
  }

  @Test
  void putWithPinFailsWithoutAPinner() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      BlockCommands.Put put = new BlockCommands.Put(s.store);
      TestRpc.Response none = new TestRpc.Response();
      RpcException e = run(put, put(multipart(bytes(100, 13))).option("pin", "true"), none);
      assertNotNull(e);
      assertTrue(e.getMessage().contains("needs the pinner"), e.getMessage());
      assertFalse(none.started());
      assertEquals(0, s.storedBlocks(), "nothing is stored when it cannot be pinned");
    }
  }

  @Test
  void putMakesTheCidKuboWouldFromTheOptions() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      byte[] data = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
      record Case(Map<String, String> options, Cid cid) {
      }
      List<Case> cases = List.of(
          new Case(Map.of("cid-codec", "dag-cbor"), Cid.v1(Multicodec.DAG_CBOR, Multihash.digest(Multicodec.SHA2_256, data))),
          new Case(Map.of("cid-codec", "dag-json", "mhtype", "sha2-512"),
              Cid.v1(Multicodec.DAG_JSON, Multihash.digest(Multicodec.SHA2_512, data))),
          new Case(Map.of("mhtype", "blake2b-256", "mhlen", "32"), Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.BLAKE2B_256, data))),
          new Case(Map.of("format", "v0"), Cid.v0(Multihash.digest(Multicodec.SHA2_256, data))),
          new Case(Map.of("format", "protobuf"), Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, data))),
          new Case(Map.of("format", "cbor", "cid-codec", "raw"), Cid.v1(Multicodec.DAG_CBOR, Multihash.digest(Multicodec.SHA2_256, data))),
          new Case(Map.of("mhtype", "identity"), Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.IDENTITY, data))),
          new Case(Map.of("pin", "false", "allow-big-block", "true"), Block.raw(data).cid()));
      for (Case c : cases) {
        TestRpc.Request request = put(multipart(data));
        c.options().forEach(request::option);
        TestRpc.Response response = new TestRpc.Response();
        assertNull(run(new BlockCommands.Put(s.store), request, response), c.toString());
        assertEquals(c.cid().toString(), ((Map<?, ?>) response.lines.get(0)).get("Key"), c.toString());
        assertArrayEquals(data, s.store.get(c.cid()).join().data());
      }
      assertTrue(cases.get(3).cid().toString().startsWith("Qm"));
    }
  }

  @Test
  void badOptionsAreClientErrorsAndStoreNothing() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      byte[] body = multipart(bytes(100, 3));
      record Case(Map<String, String> options, String message) {
      }
      List<Case> cases = List.of(
          new Case(Map.of("cid-codec", "dag-foo"), "unrecognized cid-codec: dag-foo"),
          new Case(Map.of("cid-codec", "sha2-256"), "unrecognized cid-codec: sha2-256"),
          new Case(Map.of("mhtype", "sha3-256"), "unrecognized multihash function: sha3-256"),
          new Case(Map.of("mhtype", "md5"), "unrecognized multihash function"),
          new Case(Map.of("mhlen", "20"), "mhlen 20 is not supported for sha2-256"),
          new Case(Map.of("mhlen", "lots"), "not an integer"),
          new Case(Map.of("format", "v0", "mhtype", "sha2-512"), "CIDv0"),
          new Case(Map.of("format", "v0", "cid-codec", "dag-cbor"), "at the same time"),
          new Case(Map.of("format", "v9"), "unrecognized format: v9"),
          new Case(Map.of("allow-big-block", "maybe"), "not a boolean"));
      for (Case c : cases) {
        TestRpc.Request request = put(body);
        c.options().forEach(request::option);
        TestRpc.Response response = new TestRpc.Response();
        assertClientError(run(new BlockCommands.Put(s.store), request, response), c.message());
        assertFalse(response.started(), c.toString());
      }
      assertEquals(0, s.storedBlocks());
    }
  }

  @Test
  void aBlockOverTwoMibGetsKubosErrorUnlessAllowedAndTheHardMaximumAlwaysApplies() throws Exception {
    try (RealStore s = new RealStore(Map.of("maxBlockSize", 3 << 20))) {
      byte[] big = bytes((2 << 20) + 1, 4);
      TestRpc.Response refused = new TestRpc.Response();
      assertClientError(run(new BlockCommands.Put(s.store), put(multipart(big)), refused),
          "produced block is over 2MiB: big blocks can't be exchanged with other peers");
      assertEquals(0, s.storedBlocks());

      TestRpc.Response allowed = new TestRpc.Response();
      assertNull(run(new BlockCommands.Put(s.store), put(multipart(big)).option("allow-big-block", "true"), allowed));
      assertEquals((long) big.length, ((Map<?, ?>) allowed.lines.get(0)).get("Size"));
      assertArrayEquals(big, s.store.get(Block.raw(big).cid()).join().data());

      byte[] huge = bytes((3 << 20) + 1, 5);
      TestRpc.Response overHard = new TestRpc.Response();
      assertClientError(run(new BlockCommands.Put(s.store), put(multipart(huge)).option("allow-big-block", "true"), overHard),
          "over the blockstore's maximum block size of 3145728");
      assertFalse(s.store.has(Block.raw(huge).cid()).join());
    }
  }

  @Test
  void theStoresMaximumBelowTwoMibIsTheLimitEvenWithoutAllowBigBlock() throws Exception {
    try (RealStore s = new RealStore(Map.of("maxBlockSize", 4096))) {
      TestRpc.Response r = new TestRpc.Response();
      assertClientError(run(new BlockCommands.Put(s.store), put(multipart(bytes(4097, 6))), r), "maximum block size of 4096");
      assertEquals(0, s.storedBlocks());
    }
  }

  @Test
  void aMalformedBodyIsAClientErrorAndStoresNothing() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      byte[] whole = multipart(bytes(5000, 7));
      // Truncated: the part never closes. The reader's error is a 400 carried by the stream's IOException.
      MalformedBodyException truncated = assertThrows(MalformedBodyException.class,
          () -> run(new BlockCommands.Put(s.store), put(Arrays.copyOf(whole, whole.length - 10)), new TestRpc.Response()));
      assertEquals(RpcException.Code.CLIENT, truncated.error().code());
      // No boundary in the Content-Type; not multipart at all; no part.
      TestRpc.Request noBoundary = put(whole);
      noBoundary.contentType = "multipart/form-data";
      assertClientError(run(new BlockCommands.Put(s.store), noBoundary, new TestRpc.Response()), "without a boundary");
      TestRpc.Request json = put(whole);
      json.contentType = "application/json";
      assertClientError(run(new BlockCommands.Put(s.store), json, new TestRpc.Response()), "expected a multipart/form-data body");
      assertClientError(run(new BlockCommands.Put(s.store), put(("--" + TestRpc.BOUNDARY + "--").getBytes(StandardCharsets.UTF_8)),
          new TestRpc.Response()), "file argument 'data' is required");
      assertClientError(run(new BlockCommands.Put(s.store), put("no multipart here".getBytes(StandardCharsets.UTF_8)),
          new TestRpc.Response()), "no boundary line");
      assertEquals(0, s.storedBlocks());
    }
  }

  @Test
  void aBadSecondPartKeepsTheFirstAndStoresNothingOfItself() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      byte[] first = bytes(300, 8);
      byte[] second = bytes(400, 9);
      byte[] whole = multipart(first, second);
      TestRpc.Response response = new TestRpc.Response();
      assertThrows(MalformedBodyException.class,
          () -> run(new BlockCommands.Put(s.store), put(Arrays.copyOf(whole, whole.length - 40)), response));
      assertEquals(1, response.lines.size(), "the first block was answered before the second broke off");
      assertTrue(s.store.has(Block.raw(first).cid()).join());
      assertFalse(s.store.has(Block.raw(second).cid()).join());
      assertEquals(1, s.storedBlocks());
    }
  }

  @Test
  void putStreamRefusesBytesThatDoNotHashToTheCid() {
    try (RealStore s = new RealStore(Map.of())) {
      Block b = Block.raw(bytes(1000, 10));
      CompletionException e = assertThrows(CompletionException.class,
          () -> s.store.putStream(b.cid(), new ByteArrayInputStream(bytes(1000, 11))).join());
      assertTrue(e.getCause() instanceof CorruptBlockException, e.getCause().toString());
      assertEquals(0, s.storedBlocks());
    }
  }

  @Test
  void getStreamsTheBytesAndAMissingBlockIsKubosOfflineError() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      Block b = Block.raw(bytes(200_000, 12));
      s.store.put(b).join();
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(s.get(), new TestRpc.Request().arg(b.cid().toString()), response));
      assertArrayEquals(b.data(), response.stream.toByteArray());
      assertEquals("application/vnd.ipld.raw", response.streamType);
      TestRpc.Response viaPath = new TestRpc.Response();
      assertNull(run(s.get(), new TestRpc.Request().arg("/ipfs/" + b.cid()), viaPath));
      assertArrayEquals(b.data(), viaPath.stream.toByteArray());

      Cid missing = Block.raw(bytes(10, 13)).cid();
      RpcException e = run(s.get(), new TestRpc.Request().arg(missing.toString()), new TestRpc.Response());
      assertEquals(RpcException.Code.NORMAL, e.code());
      assertEquals("block was not found locally (offline): ipld: could not find " + missing, e.getMessage());
      assertClientError(run(s.get(), new TestRpc.Request().arg("notacid"), new TestRpc.Response()),
          "invalid CID \"notacid\"");
      assertClientError(run(s.get(), new TestRpc.Request(), new TestRpc.Response()), "\"cid\" is required");
    }
  }

  @Test
  void getOfACorruptBlockFailsInsteadOfServingIt() throws Exception {
    try (RealStore s = new RealStore(Map.of("hashOnRead", true))) {
      Block good = Block.raw(bytes(1000, 14));
      s.memory.put(new Block(good.cid(), bytes(1000, 15))).join();
      RpcException e = run(s.get(), new TestRpc.Request().arg(good.cid().toString()), new TestRpc.Response());
      assertNotNull(e);
      assertEquals(RpcException.Code.NORMAL, e.code());
      assertTrue(e.getMessage().contains("does not hash"), e.getMessage());
    }
  }

  @Test
  void statAnswersKeyAndSize() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      Block b = Block.raw(bytes(4321, 16));
      s.store.put(b).join();
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(new BlockCommands.Stat(s.store), new TestRpc.Request().arg(b.cid().toString()), response));
      assertEquals(Map.of("Key", b.cid().toString(), "Size", 4321L), toLongs(response.json));
      Cid missing = Block.raw(bytes(10, 17)).cid();
      RpcException e = run(new BlockCommands.Stat(s.store), new TestRpc.Request().arg(missing.toString()), new TestRpc.Response());
      assertTrue(e.getMessage().startsWith("block was not found locally (offline)"), e.getMessage());
    }
  }

  private static Map<?, ?> toLongs(Object json) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    ((Map<?, ?>) json).forEach((k, v) -> m.put((String) k, v instanceof Number n ? (Object) n.longValue() : v));
    return m;
  }

  @Test
  void rmRemovesAndReportsAsKubosRemovedBlock() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      Block a = Block.raw(bytes(100, 18));
      Block b = Block.raw(bytes(100, 19));
      Cid missing = Block.raw(bytes(100, 20)).cid();
      s.store.put(a).join();
      s.store.put(b).join();
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(new BlockCommands.Rm(s.store),
          new TestRpc.Request().arg(a.cid().toString()).arg(missing.toString()), response));
      assertEquals(List.of(Map.of("Hash", a.cid().toString()),
          Map.of("Hash", missing.toString(), "Error", "ipld: could not find " + missing)), response.lines);
      assertFalse(s.store.has(a.cid()).join());

      TestRpc.Response quietForce = new TestRpc.Response();
      assertNull(run(new BlockCommands.Rm(s.store), new TestRpc.Request().arg(b.cid().toString()).arg(missing.toString())
          .option("force", "true").option("quiet", "true"), quietForce));
      assertTrue(quietForce.linesStarted);
      assertEquals(List.of(), quietForce.lines);
      assertFalse(s.store.has(b.cid()).join());

      TestRpc.Response forced = new TestRpc.Response();
      assertNull(run(new BlockCommands.Rm(s.store), new TestRpc.Request().arg(missing.toString()).option("force", ""), forced));
      assertEquals(List.of(Map.of("Hash", missing.toString())), forced.lines);
    }
  }

  @Test
  void rmChecksEveryArgumentBeforeRemovingAnything() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      Block a = Block.raw(bytes(100, 21));
      s.store.put(a).join();
      TestRpc.Response response = new TestRpc.Response();
      assertClientError(run(new BlockCommands.Rm(s.store), new TestRpc.Request().arg(a.cid().toString()).arg("bogus"), response),
          "invalid CID \"bogus\"");
      assertTrue(s.store.has(a.cid()).join());
      assertClientError(run(new BlockCommands.Rm(s.store), new TestRpc.Request(), new TestRpc.Response()), "\"cid\" is required");
    }
  }

  @Test
  void repoStatAnswersKubosFields() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      s.store.put(Block.raw(bytes(1000, 22))).join();
      s.store.put(Block.raw(bytes(2000, 23))).join();
      s.settle();
      NodeInfo node = new NodeInfo() {
        @Override
        public Path home() {
          return Path.of("/var/lib/cairn");
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
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(new BlockCommands.RepoStat(s.store, node), new TestRpc.Request(), response));
      Map<?, ?> m = toLongs(response.json);
      assertEquals(List.of("RepoSize", "StorageMax", "NumObjects", "RepoPath", "Version"), List.copyOf(m.keySet()));
      assertEquals(2L, m.get("NumObjects"));
      assertEquals(3000L + 2 * 160, m.get("RepoSize"), "block bytes and the memory tier's overhead per entry");
      assertEquals(64L << 20, m.get("StorageMax"));
      assertEquals("/var/lib/cairn", m.get("RepoPath"));
      assertEquals(BlockCommands.REPO_VERSION, m.get("Version"));

      TestRpc.Response sizeOnly = new TestRpc.Response();
      assertNull(run(new BlockCommands.RepoStat(s.store, node), new TestRpc.Request().option("size-only", "true")
          .option("human", "true"), sizeOnly));
      Map<?, ?> so = toLongs(sizeOnly.json);
      assertEquals(0L, so.get("NumObjects"));
      assertEquals("", so.get("RepoPath"));
      assertEquals(64L << 20, so.get("StorageMax"));
    }
  }
}
