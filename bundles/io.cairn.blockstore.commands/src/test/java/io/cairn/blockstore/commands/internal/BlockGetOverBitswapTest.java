package io.cairn.blockstore.commands.internal;

import io.cairn.bitswap.client.internal.BitswapExchange;
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

    /** block/get with the client bound to the block service as its exchange, configured with {@code config}. */
    BlockCommands.Get get(Map<String, Object> config) {
      online();
      return s.get(config);
    }

    /** The client, as the block service's exchange (what DS binds when bitswap runs). */
    void online() {
      Components.call(s.blocks, "bindExchange", new BitswapExchange(client));
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
      BlockShellCommands shell = new BlockShellCommands(n.s.store, n.s.blocks);
      IOException offline = assertThrows(IOException.class, () -> shell.get(b.cid().toString(), dir.resolve("x").toString()));
      assertEquals("block was not found locally (offline): ipld: could not find " + b.cid(), offline.getMessage());

      n.peer.blocks.put(b.cid(), b);
      n.online();
      Path out = dir.resolve("out.bin");
      assertEquals("wrote 5000 bytes to " + out, shell.get(b.cid().toString(), out.toString()));
      assertArrayEquals(b.data(), Files.readAllBytes(out));
    }
  }

  /** The text of a raw CIDv1 whose identity multihash carries {@code length} bytes, made by hand (no Cid holds over 128), for 128 to 16383 bytes. */
  private static String identityCidText(int length) {
    java.io.ByteArrayOutputStream cid = new java.io.ByteArrayOutputStream();
    // CIDv1, raw, identity, then the digest length as a two-byte varint (128 to 16383).
    cid.writeBytes(new byte[] {0x01, 0x55, 0x00, (byte) (0x80 | (length & 0x7F)), (byte) (length >> 7)});
    cid.writeBytes(new byte[length]);
    return io.cairn.multiformats.Multibase.encode(io.cairn.multiformats.Multibase.Encoding.BASE32, cid.toByteArray());
  }

  /**
   * Identity CIDs carry their block: block/get and block/stat answer from the CID with the bitswap client
   * bound and no peer asked (before, block/get bafkqaaa waited on bitswap until its timeout and failed).
   */
  @Test
  void identityCidsAreAnsweredFromTheCidWithoutAskingPeers() throws Exception {
    try (Node n = new Node()) {
      BlockCommands.Get get = n.get(Map.of());
      TestRpc.Response empty = new TestRpc.Response();
      // The timeout only ends the test should the block be asked of peers: it is answered at once.
      assertNull(run(get, new TestRpc.Request().arg("bafkqaaa").timeout(Duration.ofSeconds(5)), empty));
      assertTrue(empty.started());
      assertArrayEquals(new byte[0], empty.stream.toByteArray());

      byte[] inline = "small enough to ride in its CID".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      io.cairn.multiformats.Cid small = io.cairn.multiformats.Cid.v1(io.cairn.multiformats.Multicodec.RAW,
          io.cairn.multiformats.Multihash.of(io.cairn.multiformats.Multicodec.IDENTITY.code(), inline));
      TestRpc.Response got = new TestRpc.Response();
      assertNull(run(get, new TestRpc.Request().arg("/ipfs/" + small).timeout(Duration.ofSeconds(5)), got));
      assertArrayEquals(inline, got.stream.toByteArray());

      BlockCommands.Stat stat = new BlockCommands.Stat(n.s.store);
      assertEquals(Map.of("Key", "bafkqaaa", "Size", 0L), TestRpc.json(stat, new TestRpc.Request().arg("bafkqaaa")));
      assertEquals(Map.of("Key", small.toString(), "Size", (long) inline.length),
          TestRpc.json(stat, new TestRpc.Request().arg(small.toString())));

      assertEquals(List.of(), n.peer.received, "no peer was asked");
      assertTrue(n.client.wantlist().isEmpty());
      assertEquals(0, n.s.storedBlocks(), "nothing was stored");
    }
  }

  /** Kubo's block put --mhtype=identity: the block is answered, and not stored; rm leaves it answered. */
  @Test
  void anIdentityBlockPutIsAnsweredAndNotStored() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      byte[] data = "inline".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      TestRpc.Response put = new TestRpc.Response();
      assertNull(run(new BlockCommands.Put(s.store), new TestRpc.Request().body(TestRpc.multipart(data, new byte[0]))
          .option("mhtype", "identity"), put));
      io.cairn.multiformats.Cid cid = io.cairn.multiformats.Cid.v1(io.cairn.multiformats.Multicodec.RAW,
          io.cairn.multiformats.Multihash.of(io.cairn.multiformats.Multicodec.IDENTITY.code(), data));
      assertEquals(List.of(Map.of("Key", cid.toString(), "Size", 6L), Map.of("Key", "bafkqaaa", "Size", 0L)), put.lines);
      assertEquals(0, s.storedBlocks(), "identity blocks are not stored");

      TestRpc.Response rm = new TestRpc.Response();
      assertNull(run(new BlockCommands.Rm(s.store), new TestRpc.Request().arg(cid.toString()), rm));
      assertEquals(List.of(Map.of("Hash", cid.toString())), rm.lines);
      TestRpc.Response again = new TestRpc.Response();
      assertNull(run(s.get(), new TestRpc.Request().arg(cid.toString()), again));
      assertArrayEquals(data, again.stream.toByteArray());
    }
  }

  /**
   * Identity digests are bounded at 128 bytes (Kubo's verifcid.DefaultMaxIdentityDigestSize): a longer one is
   * a client error naming the limit, never a lookup, a fetch or a stored block.
   */
  @Test
  void identityCidsOverTheDigestLimitAreRefusedClearly() throws Exception {
    try (Node n = new Node()) {
      TestRpc.Response fits = new TestRpc.Response();
      assertNull(run(n.get(Map.of()), new TestRpc.Request().arg(identityCidText(128)).timeout(Duration.ofSeconds(5)), fits));
      assertArrayEquals(new byte[128], fits.stream.toByteArray());

      for (RpcException e : List.of(
          run(n.get(Map.of()), new TestRpc.Request().arg(identityCidText(129)), new TestRpc.Response()),
          run(new BlockCommands.Stat(n.s.store), new TestRpc.Request().arg(identityCidText(129)), new TestRpc.Response()),
          run(new BlockCommands.Put(n.s.store), new TestRpc.Request().body(TestRpc.multipart(new byte[129]))
              .option("mhtype", "identity"), new TestRpc.Response()))) {
        assertNotNull(e);
        assertEquals(RpcException.Code.CLIENT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("identity digest of 129 bytes is over the limit of 128"), e.getMessage());
      }
      assertEquals(List.of(), n.peer.received, "no peer was asked");
      assertEquals(0, n.s.storedBlocks());
    }
  }
}
