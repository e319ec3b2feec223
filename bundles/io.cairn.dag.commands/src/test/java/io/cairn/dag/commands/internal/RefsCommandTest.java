package io.cairn.dag.commands.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagPb;
import io.cairn.dag.DagService;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.rpc.RpcException;
import io.cairn.blockstore.service.internal.BlockServiceComponent;
import io.cairn.testing.Components;
import io.cairn.testing.TestRpc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * refs and refs/local over the real DAG service and tiered store, on the directory tree of Kubo's own refs
 * test (test/sharness/t0095-refs.sh), built as {@code ipfs add -r} builds it: the CIDs and expected listings
 * are Kubo's.
 */
class RefsCommandTest {
  private static final String ONE = "QmdytmR4wULMd3SLo6ePF4s3WcRHWcpnJZ7bHhoj3QB13v";
  private static final String TWO = "QmSFxnK675wQ9Kc1uqWKyJUaNxvSc2BP5DbXCD3x93oq61";
  private static final String D = "QmSanP5DpxpqfDdS4yekHY1MqrVge47gtxQcp2e2yZ4UwS";
  private static final String B = "QmNkQvpiyAEtbeLviC7kqfifYoK1GXPcsSxTpP1yS3ykLa";
  private static final String C = "QmXXazTjeNCKFnpW1D65vTKsTs8fbgkCWTv8Em4pdK2coH";
  private static final String A = "QmU6xujRsYzcrkocuR3fhfnkZBB8eyUFFq4WKRGw2aS15h";

  private final Logger logger = Components.logger(new ArrayList<>());
  private BatchIOManager batchio;
  private MultiTierBlockstore store;
  private DagService dag;
  private RefsCommand refs;

  /** A block and the Tsize a link to it carries (the bytes of the DAG below it). */
  private record Node(Block block, long tsize) {
  }

  @BeforeEach
  void start() throws Exception {
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", logger,
        Map.of());
    store = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", logger,
        Map.of());
    Components.call(store, "bindBatchIO", batchio);
    BlockTier memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", logger,
        Map.of("capacityBytes", 64L << 20));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id",
        1L), null);
    dag = Components.createWith(DagService.class, "io.cairn.dag.internal.DagServiceComponent", Map.of(), store,
        new BlockServiceComponent(store, logger), logger);
    refs = new RefsCommand(dag, logger, (RefsConfig) Components.config(RefsConfig.class, Map.of()));
  }

  @AfterEach
  void stop() {
    Components.deactivate(dag);
    Components.deactivate(store);
    Components.deactivate(batchio);
  }

  private Node put(List<PbLink> links, byte[] data) throws Exception {
    byte[] bytes = DagPb.encode(new PbNode(links, data));
    Block block = new Block(Cid.v0(Multihash.digest(Multicodec.SHA2_256, bytes)), bytes);
    store.put(block).get();
    long tsize = bytes.length + links.stream().mapToLong(PbLink::tsize).sum();
    return new Node(block, tsize);
  }

  /** A UnixFS file of one small chunk, as Kubo adds "1\n": Type File, Data, filesize. */
  private Node file(String content) throws Exception {
    byte[] text = content.getBytes();
    byte[] data = new byte[6 + text.length];
    data[0] = 0x08;
    data[1] = 0x02;
    data[2] = 0x12;
    data[3] = (byte) text.length;
    System.arraycopy(text, 0, data, 4, text.length);
    data[4 + text.length] = 0x18;
    data[5 + text.length] = (byte) text.length;
    return put(List.of(), data);
  }

  /** A UnixFS directory, its entries in name order as Kubo writes them. */
  private Node dir(Object... namesAndNodes) throws Exception {
    List<PbLink> links = new ArrayList<>();
    for (int i = 0; i < namesAndNodes.length; i += 2) {
      Node n = (Node) namesAndNodes[i + 1];
      links.add(new PbLink(n.block().cid(), (String) namesAndNodes[i], n.tsize()));
    }
    return put(links, new byte[] {0x08, 0x01});
  }

  /** Kubo's tree: A/{1.txt, B/{1.txt, D/2.txt}, C/B, D}. */
  private Cid kuboTree() throws Exception {
    Node one = file("1\n");
    Node two = file("2\n");
    Node d = dir("2.txt", two);
    Node b = dir("1.txt", one, "D", d);
    Node c = dir("B", b);
    return dir("1.txt", one, "B", b, "C", c, "D", d).block().cid();
  }

  private List<String> refs(TestRpc.Request request) throws Exception {
    TestRpc.Response response = new TestRpc.Response();
    RpcException e = TestRpc.run(refs, request, response);
    if (e != null) {
      throw e;
    }
    List<String> out = new ArrayList<>();
    for (Object line : response.lines) {
      Map<?, ?> m = (Map<?, ?>) line;
      assertEquals(List.of("Ref", "Err"), new ArrayList<>(m.keySet()), "Kubo's RefWrapper fields");
      out.add(m.get("Err").equals("") ? (String) m.get("Ref") : "ERR " + m.get("Err"));
    }
    return out;
  }

  private static TestRpc.Request req(String arg, String... options) {
    TestRpc.Request r = new TestRpc.Request().arg(arg);
    for (int i = 0; i < options.length; i += 2) {
      r.option(options[i], options[i + 1]);
    }
    return r;
  }

  @Test
  void theTreeHasKubosCids() throws Exception {
    assertEquals(A, kuboTree().toString());
  }

  @Test
  void recursiveListsEveryEdgeAsKuboDoes() throws Exception {
    kuboTree();
    assertEquals(List.of(ONE, B, ONE, D, TWO, C, B, ONE, D, TWO, D, TWO), refs(req(A, "recursive", "true")));
  }

  @Test
  void uniqueListsEachRefOnce() throws Exception {
    kuboTree();
    assertEquals(List.of(ONE, B, D, TWO, C), refs(req(A, "recursive", "true", "unique", "true")));
  }

  @Test
  void withoutRecursiveTheDirectLinks() throws Exception {
    kuboTree();
    assertEquals(List.of(ONE, B, C, D), refs(req(A)));
    assertEquals(refs(req(A)), refs(req(A, "recursive", "true", "max-depth", "1")));
    assertEquals(List.of(), refs(req(A, "recursive", "true", "max-depth", "0")));
  }

  @Test
  void maxDepthTwoAsKubo() throws Exception {
    kuboTree();
    assertEquals(List.of(ONE, B, ONE, D, C, B, D, TWO), refs(req(A, "recursive", "true", "max-depth", "2")));
  }

  @Test
  void edgesAndFormat() throws Exception {
    kuboTree();
    assertEquals(List.of(A + " -> " + ONE, A + " -> " + B, A + " -> " + C, A + " -> " + D),
        refs(req(A, "edges", "true")));
    assertEquals(List.of(D + " 2.txt " + TWO), refs(req(D, "format", "<src> <linkname> <dst>")));
    RpcException e = TestRpc.error(refs, req(A, "edges", "true", "format", "<src>"));
    assertEquals("using format argument with edges is not allowed", e.getMessage());
  }

  @Test
  void aDagThatCannotBeListedGetsAnErrLineAndTheNextIsListed() throws Exception {
    kuboTree();
    assertTrue(store.delete(Cid.parse(TWO)).get());
    List<String> out = refs(req(B, "recursive", "true").arg(D));
    assertEquals(List.of(ONE, D), out.subList(0, 2));
    assertTrue(out.get(2).startsWith("ERR ") && out.get(2).contains(TWO), out.toString());
    assertTrue(out.get(3).startsWith("ERR ") && out.get(3).contains(TWO), out.toString());
    assertEquals(4, out.size());
  }

  @Test
  void badArgumentsAreRefused() throws Exception {
    assertEquals(RpcException.Code.CLIENT, TestRpc.error(refs, new TestRpc.Request()).code());
    assertTrue(TestRpc.error(refs, req("not-a-cid")).getMessage().contains("not-a-cid"));
    kuboTree();
    assertEquals(List.of(ONE, D), refs(req("/ipfs/" + B)));
  }

  @Test
  void refsLocalListsEveryStoredBlock() throws Exception {
    kuboTree();
    TestRpc.Response response = new TestRpc.Response();
    assertEquals(null, TestRpc.run(new RefsLocalCommand(store), new TestRpc.Request(), response));
    List<Map<?, ?>> lines = new ArrayList<>();
    response.lines.forEach(l -> lines.add((Map<?, ?>) l));
    assertEquals(new HashSet<>(List.of(A, B, C, D, ONE, TWO)),
        lines.stream().map(m -> (String) m.get("Ref")).collect(Collectors.toSet()));
    assertTrue(lines.stream().allMatch(m -> "".equals(m.get("Err"))));
  }
}
