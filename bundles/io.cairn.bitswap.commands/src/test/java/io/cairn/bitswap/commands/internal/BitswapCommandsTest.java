package io.cairn.bitswap.commands.internal;

import io.cairn.testing.bitswap.MemoryNetwork;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.rpc.RpcException;
import io.cairn.testing.TestRpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BitswapCommandsTest {
  static Block block(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Block.raw(b);
  }

  static BitswapCommands.Stat stat(Node n) {
    BitswapCommands.Stat c = new BitswapCommands.Stat();
    c.client = n.client;
    c.engine = n.engine;
    return c;
  }

  static BitswapCommands.Wantlist wantlist(Node n) {
    BitswapCommands.Wantlist c = new BitswapCommands.Wantlist();
    c.client = n.client;
    c.engine = n.engine;
    return c;
  }

  static BitswapCommands.Ledger ledger(Node n) {
    BitswapCommands.Ledger c = new BitswapCommands.Ledger();
    c.engine = n.engine;
    return c;
  }

  /** Node a fetches a block of {@code size} bytes that only b has, and b has counted it sent. */
  static Block fetched(Node a, Node b, int size) throws Exception {
    MemoryNetwork.connect(a.network, b.network);
    Block block = block(size, size);
    b.store.put(block).join();
    assertArrayEquals(block.data(), a.client.get(block.cid(), Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS).data());
    Node.eventually("b counts the block sent", () -> b.engine.stats().blocksSent() == 1);
    return block;
  }

  static Map<String, Object> keys(Cid... cids) {
    return Map.of("Keys", List.of(cids).stream().map(c -> Map.of("/", c.toString())).toList());
  }

  static void assertError(RpcException e, RpcException.Code code, String message) {
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void statAnswersBoxosStatFromBothSidesOfAnExchange() throws Exception {
    try (Node a = new Node(); Node b = new Node()) {
      fetched(a, b, 5000);
      Node.eventually("a's want is gone", () -> a.client.wantlist().isEmpty());

      Map<?, ?> onA = (Map<?, ?>) TestRpc.json(stat(a), new TestRpc.Request());
      assertEquals(List.of("ProvideBufLen", "Wantlist", "Peers", "BlocksReceived", "DataReceived", "BlocksSent", "DataSent",
          "DupBlksReceived", "DupDataReceived", "MessagesReceived", "Strategies", "Limits", "Classes", "Degradation"),
          List.copyOf(onA.keySet()), "boxo's Stat, in its field order, then the engine's additions");
      assertEquals(0, onA.get("ProvideBufLen"));
      assertEquals(List.of(), onA.get("Wantlist"));
      assertEquals(List.of(b.id.toString()), onA.get("Peers"));
      assertEquals(1L, onA.get("BlocksReceived"));
      assertEquals(5000L, onA.get("DataReceived"));
      assertEquals(0L, onA.get("BlocksSent"));
      assertEquals(0L, onA.get("DataSent"));
      assertEquals(0L, onA.get("DupBlksReceived"));
      assertEquals(0L, onA.get("DupDataReceived"));
      assertTrue((Long) onA.get("MessagesReceived") >= 1, "b's block came in a message");

      // verbose and human change only Kubo's text output: the JSON is the same.
      Map<?, ?> onB = (Map<?, ?>) TestRpc.json(stat(b), new TestRpc.Request().option("verbose", "").option("human", "true"));
      assertEquals(List.of(a.id.toString()), onB.get("Peers"));
      assertEquals(0L, onB.get("BlocksReceived"));
      assertEquals(1L, onB.get("BlocksSent"));
      assertEquals(5000L, onB.get("DataSent"));
      assertTrue((Long) onB.get("MessagesReceived") >= 1, "a's want came in a message");
    }
  }

  @Test
  void statAddsTheEnginesStrategiesLimitsAndClasses() throws Exception {
    try (Node a = new Node(); Node b = new Node()) {
      fetched(a, b, 5000);
      // The answer counts once its send completes, just after a has the block.
      Node.eventually("b's answer counted", () -> b.engine.status().classes().get(2).answered() == 1);
      Map<?, ?> onB = (Map<?, ?>) TestRpc.json(stat(b), new TestRpc.Request());
      // An engine with no strategy service bound runs boxo's fixed behaviour.
      assertEquals(Map.of("Priority", "static (built-in)", "Limits", "static (built-in)", "Batch", "static (built-in)"),
          onB.get("Strategies"));
      Map<?, ?> limits = (Map<?, ?>) onB.get("Limits");
      assertEquals(List.of("GlobalOutstandingBytes", "OutstandingBytes", "LookupConcurrency", "LookupsInFlight",
          "PeerOutstandingBytesMin", "PeerOutstandingBytesMax"), List.copyOf(limits.keySet()));
      assertEquals(-1L, ((Number) limits.get("GlobalOutstandingBytes")).longValue(), "boxo has no global budget");
      assertEquals(128L, ((Number) limits.get("LookupConcurrency")).longValue());
      assertEquals(1L << 20, ((Number) limits.get("PeerOutstandingBytesMax")).longValue());
      List<?> classes = (List<?>) onB.get("Classes");
      assertEquals(List.of("critical", "high", "normal"), classes.stream().map(c -> ((Map<?, ?>) c).get("Name")).toList());
      Map<?, ?> normal = (Map<?, ?>) classes.get(2);
      assertEquals(-1L, ((Number) normal.get("TargetMs")).longValue());
      assertEquals(1L, ((Number) normal.get("Answered")).longValue(), "a's want-block, answered in the normal class");
      assertEquals(10L, ((Number) ((Map<?, ?>) classes.get(0)).get("TargetMs")).longValue());
      assertEquals(List.of("Promoted", "Shed", "Deferred", "MemoryPressure"),
          List.copyOf(((Map<?, ?>) onB.get("Degradation")).keySet()));
    }
  }

  @Test
  void statWithoutTheClientOrTheEngineSaysWhichIsMissing() throws Exception {
    try (Node a = new Node()) {
      BitswapCommands.Stat noClient = stat(a);
      noClient.client = null;
      RpcException e = TestRpc.error(noClient, new TestRpc.Request());
      assertError(e, RpcException.Code.NORMAL, "the bitswap client is not running (no io.cairn.bitswap.Bitswap service)");
      BitswapCommands.Stat noEngine = stat(a);
      noEngine.engine = null;
      assertError(TestRpc.error(noEngine, new TestRpc.Request()), RpcException.Code.NORMAL,
          "the bitswap engine is not running (no io.cairn.bitswap.BitswapEngine service)");
      assertError(TestRpc.error(stat(a), new TestRpc.Request().option("verbose", "maybe")), RpcException.Code.CLIENT,
          "option \"verbose\": \"maybe\" is not a boolean");
    }
  }

  @Test
  void wantlistAnswersOurWantsAndWithPeerWhatThatPeerWantsFromUs() throws Exception {
    try (Node a = new Node(); Node b = new Node()) {
      MemoryNetwork.connect(a.network, b.network);
      Cid nobodyHasIt = block(100, 7).cid();
      CompletableFuture<Block> pending = a.client.get(nobodyHasIt, Duration.ofMinutes(5));
      Node.eventually("a wants it", () -> a.client.wantlist().contains(nobodyHasIt));
      Node.eventually("b holds a's want", () -> !b.engine.wantlist(a.id).isEmpty());

      assertEquals(keys(nobodyHasIt), TestRpc.json(wantlist(a), new TestRpc.Request()));
      assertEquals(keys(nobodyHasIt), TestRpc.json(wantlist(b), new TestRpc.Request().option("peer", a.id.toString())));
      assertEquals(keys(), TestRpc.json(wantlist(b), new TestRpc.Request()), "b itself wants nothing");
      assertEquals(keys(), TestRpc.json(wantlist(a), new TestRpc.Request().option("peer", b.id.toString())));
      PeerId stranger = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
      assertEquals(keys(), TestRpc.json(wantlist(b), new TestRpc.Request().option("peer", stranger.toString())));

      pending.cancel(true);
      Node.eventually("a's want is withdrawn", () -> a.client.wantlist().isEmpty());
      Node.eventually("b got a's cancel", () -> b.engine.wantlist(a.id).isEmpty());
      assertEquals(keys(), TestRpc.json(wantlist(a), new TestRpc.Request()));
      assertEquals(keys(), TestRpc.json(wantlist(b), new TestRpc.Request().option("peer", a.id.toString())));
    }
  }

  @Test
  void wantlistRefusesABadPeerAndNamesTheMissingService() throws Exception {
    try (Node a = new Node()) {
      assertError(TestRpc.error(wantlist(a), new TestRpc.Request().option("peer", "notapeer")), RpcException.Code.CLIENT,
          "invalid peer id \"notapeer\"");
      assertError(TestRpc.error(wantlist(a), new TestRpc.Request().option("peer", "")), RpcException.Code.CLIENT,
          "invalid peer id \"\"");
      BitswapCommands.Wantlist clientOnly = wantlist(a);
      clientOnly.engine = null;
      assertEquals(keys(), TestRpc.json(clientOnly, new TestRpc.Request()), "our own wantlist needs only the client");
      assertError(TestRpc.error(clientOnly, new TestRpc.Request().option("peer", a.id.toString())), RpcException.Code.NORMAL,
          BitswapReport.NO_ENGINE);
      BitswapCommands.Wantlist engineOnly = wantlist(a);
      engineOnly.client = null;
      assertEquals(keys(), TestRpc.json(engineOnly, new TestRpc.Request().option("peer", a.id.toString())));
      assertError(TestRpc.error(engineOnly, new TestRpc.Request()), RpcException.Code.NORMAL, BitswapReport.NO_CLIENT);
    }
  }

  @Test
  void ledgerAnswersTheEnginesReceiptForAPeer() throws Exception {
    try (Node a = new Node(); Node b = new Node()) {
      fetched(a, b, 3000);
      Map<String, Object> served = new java.util.LinkedHashMap<>();
      served.put("Peer", a.id.toString());
      served.put("Value", 3000.0);
      served.put("Sent", 3000L);
      served.put("Recv", 0L);
      served.put("Exchanged", 1L);
      Map<?, ?> onB = (Map<?, ?>) TestRpc.json(ledger(b), new TestRpc.Request().arg(a.id.toString()));
      assertEquals(served, onB);
      assertEquals(List.copyOf(served.keySet()), List.copyOf(onB.keySet()), "the Receipt's field order");

      Map<?, ?> onA = (Map<?, ?>) TestRpc.json(ledger(a), new TestRpc.Request().arg(b.id.toString()));
      assertEquals(Map.of("Peer", b.id.toString(), "Value", 0.0, "Sent", 0L, "Recv", 3000L, "Exchanged", 1L), onA);

      PeerId stranger = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
      assertEquals(Map.of("Peer", stranger.toString(), "Value", 0.0, "Sent", 0L, "Recv", 0L, "Exchanged", 0L),
          TestRpc.json(ledger(b), new TestRpc.Request().arg(stranger.toString())), "Kubo answers zeros for a peer without a ledger");
    }
  }

  @Test
  void ledgerRefusesAMissingOrBadPeerAndNamesTheMissingEngine() throws Exception {
    try (Node a = new Node()) {
      assertError(TestRpc.error(ledger(a), new TestRpc.Request()), RpcException.Code.CLIENT, "argument \"peer\" is required");
      assertError(TestRpc.error(ledger(a), new TestRpc.Request().arg("QmNotAPeer")), RpcException.Code.CLIENT,
          "invalid peer id \"QmNotAPeer\"");
      assertError(TestRpc.error(new BitswapCommands.Ledger(), new TestRpc.Request().arg(a.id.toString())),
          RpcException.Code.NORMAL, BitswapReport.NO_ENGINE);
    }
  }
}
