package io.cairn.blockstore.commands.internal;

import io.cairn.testing.bitswap.PeerWithBlocks;
import static io.cairn.testing.TestRpc.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.Bitswap;
import io.cairn.blockstore.Block;
import io.cairn.rpc.RpcException;
import io.cairn.testing.Components;
import io.cairn.testing.TestRpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** block/get (and Gogo block:get) with the real bitswap client over a network of one peer. */
class BlockGetOverBitswapTest {
  @TempDir
  Path dir;

  private static Block block(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Block.raw(b);
  }

  /** A real store, and the real bitswap client over it (it registers itself) whose network is one peer. */
  private static final class Node implements AutoCloseable {
    final RealStore s = new RealStore(Map.of());
    final PeerWithBlocks peer = new PeerWithBlocks();
    final Bitswap client = Components.createWith(Bitswap.class, "io.cairn.bitswap.client.internal.BitswapClientComponent",
        Map.of(), peer, s.store, s.logger);

    /** block/get bound to the client, configured with {@code config}. */
    BlockCommands.Get get(Map<String, Object> config) {
      BlockCommands.Get get = s.get(config);
      get.bitswap = client;
      return get;
    }

    @Override
    public void close() {
      Components.deactivate(client);
      peer.close();
      s.close();
    }
  }

  /** Waits for what other threads settle; fails the test if it never comes. */
  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aBlockTheStoreLacksIsFetchedFromAPeerAndKept() throws Exception {
    try (Node n = new Node()) {
      Block b = block(300_000, 1);
      n.peer.blocks.put(b.cid(), b);
      BlockCommands.Get get = n.get(Map.of());
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(get, new TestRpc.Request().arg(b.cid().toString()), response));
      assertArrayEquals(b.data(), response.stream.toByteArray());
      assertEquals("application/vnd.ipld.raw", response.streamType);
      eventually("the fetched block is stored", () -> n.s.store.has(b.cid()).join());

      n.peer.blocks.clear();
      // Only wants count: the cancel that follows a delivered block may arrive at any time.
      long asked = n.peer.received.stream().filter(e -> !e.cancel()).count();
      TestRpc.Response again = new TestRpc.Response();
      assertNull(run(get, new TestRpc.Request().arg(b.cid().toString()), again));
      assertArrayEquals(b.data(), again.stream.toByteArray());
      assertEquals(asked, n.peer.received.stream().filter(e -> !e.cancel()).count(), "the second get is answered locally");
    }
  }

  @Test
  void aLocalBlockIsServedWithoutAskingPeers() throws Exception {
    try (Node n = new Node()) {
      Block b = block(1000, 2);
      n.s.store.put(b).join();
      BlockCommands.Get get = n.get(Map.of());
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(get, new TestRpc.Request().arg(b.cid().toString()), response));
      assertArrayEquals(b.data(), response.stream.toByteArray());
      assertEquals(List.of(), n.peer.received);
    }
  }

  @Test
  void aBlockNoPeerSendsFailsClearlyAtTheRequestsTimeoutAndIsNoLongerWanted() throws Exception {
    try (Node n = new Node()) {
      Block b = block(1000, 3);
      BlockCommands.Get get = n.get(Map.of());
      TestRpc.Response response = new TestRpc.Response();
      RpcException e = run(get, new TestRpc.Request().arg(b.cid().toString()).timeout(Duration.ofMillis(300)), response);
      assertNotNull(e);
      assertEquals(RpcException.Code.NORMAL, e.code());
      assertTrue(e.getMessage().matches("block " + b.cid() + " is not local and no peer sent it within \\d+ ms"),
          e.getMessage());
      assertFalse(response.started());
      assertFalse(n.peer.received.isEmpty(), "the peer was asked");
      eventually("the want is withdrawn", () -> n.client.wantlist().isEmpty());
      assertFalse(n.s.store.has(b.cid()).join());
    }
  }

  @Test
  void withoutARequestTimeoutTheConfiguredFetchTimeoutApplies() throws Exception {
    try (Node n = new Node()) {
      Block b = block(1000, 4);
      BlockCommands.Get get = n.get(Map.of("fetchTimeoutMillis", 200L));
      RpcException e = run(get, new TestRpc.Request().arg(b.cid().toString()), new TestRpc.Response());
      assertNotNull(e);
      assertEquals("block " + b.cid() + " is not local and no peer sent it within 200 ms", e.getMessage());
    }
  }

  @Test
  void aBadFetchTimeoutIsRejectedNamingTheKeyAndTheOldValueStays() {
    try (RealStore s = new RealStore(Map.of())) {
      BlockCommands.Get get = s.get(Map.of("fetchTimeoutMillis", 0L));
      assertEquals(Duration.ofSeconds(60), get.settings().fetchTimeout(), "the default");
      assertTrue(s.log.contains("WARN Rejected configuration io.cairn.blockstore.commands.get: key fetchTimeoutMillis: "
          + "0 is outside [1, 86400000]; keeping the previous values"), s.log.toString());
      get.modified((BlockGetConfig) Components.config(BlockGetConfig.class, Map.of("fetchTimeoutMillis", 5_000L)));
      assertEquals(Duration.ofSeconds(5), get.settings().fetchTimeout());
      get.modified((BlockGetConfig) Components.config(BlockGetConfig.class, Map.of("fetchTimeoutMillis", 86_400_001L)));
      assertEquals(Duration.ofSeconds(5), get.settings().fetchTimeout());
    }
  }

  @Test
  void theConsoleGetFetchesTooAndWithoutAClientSaysOffline() throws Exception {
    try (Node n = new Node()) {
      Block b = block(5000, 5);
      BlockShellCommands shell = new BlockShellCommands(n.s.store);
      IOException offline = assertThrows(IOException.class, () -> shell.get(b.cid().toString(), dir.resolve("x").toString()));
      assertEquals("block was not found locally (offline): ipld: could not find " + b.cid(), offline.getMessage());

      n.peer.blocks.put(b.cid(), b);
      shell.bitswap = n.client;
      Path out = dir.resolve("out.bin");
      assertEquals("wrote 5000 bytes to " + out, shell.get(b.cid().toString(), out.toString()));
      assertArrayEquals(b.data(), Files.readAllBytes(out));
    }
  }
}
