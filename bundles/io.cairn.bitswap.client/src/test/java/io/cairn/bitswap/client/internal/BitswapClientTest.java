package io.cairn.bitswap.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.BitswapSession;
import io.cairn.bitswap.BitswapTimeoutException;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.CidPrefix;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.Blockstore;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real client and engine on several nodes, linked by a {@link VirtualNetwork}. */
class BitswapClientTest {
  private final VirtualNetwork net = new VirtualNetwork();
  private final List<Object> components = new ArrayList<>();

  /** One node: a memory tier, an engine serving from it, and a client fetching into it. */
  private final class Node {
    final VirtualNetwork.Node network = net.node();
    final Blockstore blockstore;
    final BitswapEngine engine;
    final Bitswap client;

    Node(Map<String, Object> clientConfig) {
      this(clientConfig, track(Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier",
          Components.logger(), Map.of("capacityBytes", 256L << 20))));
    }

    Node(Map<String, Object> clientConfig, Blockstore store) {
      blockstore = store;
      engine = track(Components.createWith(BitswapEngine.class,
          "io.cairn.bitswap.server.internal.BitswapEngineComponent", Map.of(), network, blockstore, Components.logger()));
      client = track(Components.createWith(Bitswap.class, BitswapClientComponent.class.getName(), clientConfig,
          network, blockstore, Components.logger()));
      if (store instanceof MultiTierBlockstore tiered) {
        Components.call(engine, "bindStore", tiered);
      }
    }

    Node() {
      this(Map.of());
    }
  }

  /**
   * The store as the node binds it to the client: the real tiered store (which answers identity CIDs from
   * the CID) over a memory tier, with the real batch I/O manager.
   */
  private MultiTierBlockstore tieredStore() {
    BatchIOManager batchio = track(Components.create(BatchIOManager.class,
        "io.cairn.blockstore.batchio.internal.BatchIOComponent", Components.logger(), Map.of()));
    MultiTierBlockstore store = track(Components.create(MultiTierBlockstore.class,
        "io.cairn.blockstore.tiered.internal.TieredBlockstore", Components.logger(), Map.of()));
    Components.call(store, "bindBatchIO", batchio);
    BlockTier memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier",
        Components.logger(), Map.of("capacityBytes", 64L << 20));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0,
        "service.id", 1L), null);
    return store;
  }

  private <T> T track(T component) {
    components.add(component);
    return component;
  }

  @AfterEach
  void stop() {
    for (int i = components.size() - 1; i >= 0; i--) {
      try {
        Components.deactivate(components.get(i));
      } catch (RuntimeException noDeactivate) {
        // the memory tier has none
      }
    }
    net.close();
  }

  private static List<Block> blocks(long seed, int count, int size) {
    Random random = new Random(seed);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      blocks.add(Block.raw(data));
    }
    return blocks;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void fetchesFromThePeerThatHasItStoresItAndCancelsEverywhere() throws Exception {
    Node holder = new Node();
    Node empty = new Node();
    Node fetcher = new Node();
    List<Block> blocks = blocks(1, 200, 1024);
    blocks.addAll(blocks(2, 4, 1 << 20));
    holder.blockstore.putMany(blocks).get();
    net.link(fetcher.network, holder.network);
    net.link(fetcher.network, empty.network);

    List<CompletableFuture<Block>> got = fetcher.client.getMany(blocks.stream().map(Block::cid).toList(),
        Duration.ofSeconds(30));
    for (int i = 0; i < blocks.size(); i++) {
      Block b = got.get(i).get(30, TimeUnit.SECONDS);
      assertEquals(blocks.get(i).cid(), b.cid());
      assertArrayEquals(blocks.get(i).data(), b.data());
    }
    for (Block b : blocks) {
      assertTrue(fetcher.blockstore.has(b.cid()).get(10, TimeUnit.SECONDS), "fetched blocks are stored");
    }
    assertEquals(blocks.size(), fetcher.client.stats().blocksReceived());
    assertTrue(fetcher.client.wantlist().isEmpty());
    await("the peers' ledgers hold no wants of the fetcher",
        () -> holder.engine.wantlist(fetcher.network.peer).isEmpty() && empty.engine.wantlist(fetcher.network.peer).isEmpty());
    assertEquals(blocks.size(), holder.engine.ledger(fetcher.network.peer).orElseThrow().blocksSent());
    assertEquals(0, empty.engine.ledger(fetcher.network.peer).orElseThrow().blocksSent());
  }

  /** A store whose disk has failed: reads work, every put fails (fault injection over the real memory tier). */
  private static Blockstore failingPuts(Blockstore real, Exception failure) {
    return (Blockstore) java.lang.reflect.Proxy.newProxyInstance(Blockstore.class.getClassLoader(),
        new Class<?>[] {Blockstore.class}, (proxy, method, args) -> method.getName().startsWith("put")
            ? CompletableFuture.failedFuture(failure) : method.invoke(real, args));
  }

  @Test
  void aBlockThatCannotBeStoredIsNotHandedOut() throws Exception {
    Node holder = new Node();
    Exception diskFull = new io.cairn.blockstore.DiskSpaceLowException("the disk is full");
    Node fetcher = new Node(Map.of(), failingPuts(track(Components.create(BlockTier.class,
        "io.cairn.blockstore.memory.internal.MemoryTier", Components.logger(), Map.of("capacityBytes", 1L << 20))), diskFull));
    Block b = blocks(9, 1, 2048).get(0);
    holder.blockstore.put(b).get();
    net.link(fetcher.network, holder.network);
    java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> fetcher.client.get(b.cid(), Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS));
    assertEquals(diskFull, e.getCause() instanceof java.util.concurrent.CompletionException ? e.getCause().getCause() : e.getCause());
  }

  @Test
  void aLocalBlockIsAnsweredWithoutTheNetwork() throws Exception {
    Node node = new Node();
    Block b = blocks(3, 1, 100).get(0);
    node.blockstore.put(b).get();
    assertArrayEquals(b.data(), node.client.get(b.cid(), Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS).data());
    assertEquals(0, node.client.stats().blocksReceived());
  }

  @Test
  void aWantNobodySatisfiesTimesOutAndIsWithdrawn() throws Exception {
    Node other = new Node();
    Node fetcher = new Node();
    net.link(fetcher.network, other.network);
    Block missing = blocks(4, 1, 10).get(0);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> fetcher.client.get(missing.cid(), Duration.ofMillis(300)).get(10, TimeUnit.SECONDS));
    assertInstanceOf(BitswapTimeoutException.class, e.getCause());
    await("the want is withdrawn", () -> fetcher.client.wantlist().isEmpty()
        && other.engine.wantlist(fetcher.network.peer).isEmpty());
  }

  @Test
  void cancellingAGetCancelsTheWantAtThePeers() throws Exception {
    Node other = new Node();
    Node fetcher = new Node();
    net.link(fetcher.network, other.network);
    Block missing = blocks(5, 1, 10).get(0);
    CompletableFuture<Block> get = fetcher.client.get(missing.cid(), Duration.ofSeconds(30));
    await("the peer holds the want", () -> !other.engine.wantlist(fetcher.network.peer).isEmpty());
    get.cancel(false);
    await("the peer dropped the want", () -> other.engine.wantlist(fetcher.network.peer).isEmpty());
    assertTrue(fetcher.client.wantlist().isEmpty());
  }

  @Test
  void aPeerThatConnectsLaterHearsTheOpenWants() throws Exception {
    Node fetcher = new Node();
    Node late = new Node();
    Block b = blocks(6, 1, 2048).get(0);
    late.blockstore.put(b).get();
    CompletableFuture<Block> get = fetcher.client.get(b.cid(), Duration.ofSeconds(30));
    Thread.sleep(50);
    assertFalse(get.isDone());
    net.link(fetcher.network, late.network);
    assertArrayEquals(b.data(), get.get(10, TimeUnit.SECONDS).data());
  }

  @Test
  void aSessionMovesOnWhenAPeerLeaves() throws Exception {
    Node a = new Node();
    Node b = new Node();
    Node fetcher = new Node();
    List<Block> blocks = blocks(7, 50, 4096);
    a.blockstore.putMany(blocks).get();
    b.blockstore.putMany(blocks).get();
    net.link(fetcher.network, a.network);
    net.link(fetcher.network, b.network);
    try (BitswapSession session = fetcher.client.newSession()) {
      session.get(blocks.get(0).cid(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
      net.unlink(fetcher.network, a.network);
      List<CompletableFuture<Block>> rest = session.getMany(blocks.stream().skip(1).map(Block::cid).toList(),
          Duration.ofSeconds(30));
      for (CompletableFuture<Block> f : rest) {
        assertTrue(f.get(30, TimeUnit.SECONDS).verify());
      }
    }
  }

  @Test
  void unrequestedBlocksAreDroppedAndBadPrefixesCounted() throws Exception {
    Node node = new Node();
    PeerId stranger = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    Block unwanted = blocks(8, 1, 512).get(0);
    net.inject(stranger, node.network, new BitswapMessage(List.of(), false,
        List.of(BlockPayload.of(unwanted.cid(), unwanted.data())), List.of(), 0));
    // sha2-512 digests are 64 bytes: a prefix claiming 32 cannot name any block.
    BlockPayload badPrefix = new BlockPayload(new CidPrefix(1, 0x55, 0x13, 32), new byte[] {1, 2, 3});
    net.inject(stranger, node.network, new BitswapMessage(List.of(), false, List.of(badPrefix), List.of(), 0));
    await("both counted", () -> node.client.stats().unwantedBlocks() == 1 && node.client.stats().invalidBlocks() == 1);
    assertFalse(node.blockstore.has(unwanted.cid()).get(5, TimeUnit.SECONDS));
    assertEquals(0, node.client.stats().blocksReceived());
  }

  /** A receiver that keeps every message it is handed. */
  private static BitswapReceiver keeping(List<BitswapMessage> messages) {
    return new BitswapReceiver() {
      @Override
      public void receive(PeerId from, BitswapMessage message) {
        messages.add(message);
      }

      @Override
      public void peerConnected(PeerId peer, BitswapProtocol protocol) {}

      @Override
      public void peerDisconnected(PeerId peer) {}
    };
  }

  private static boolean isIdentity(Cid cid) {
    return cid.multihash().code() == Multicodec.IDENTITY.code();
  }

  /**
   * Identity CIDs carry their block: over the node's tiered store, which answers them from the CID, the
   * client returns them and never asks a peer (as Kubo).
   */
  @Test
  void identityCidsAreAnsweredFromTheCidAndNeverWanted() throws Exception {
    Node holder = new Node(Map.of(), tieredStore());
    Node fetcher = new Node(Map.of(), tieredStore());
    List<BitswapMessage> heard = new CopyOnWriteArrayList<>();
    holder.network.receivers.add(keeping(heard));
    net.link(fetcher.network, holder.network);
    Cid empty = Cid.parse("bafkqaaa");
    byte[] inline = "inline bytes".getBytes(StandardCharsets.UTF_8);
    Cid small = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), inline));

    assertArrayEquals(new byte[0], fetcher.client.get(empty, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).data());
    List<CompletableFuture<Block>> many = fetcher.client.getMany(List.of(small, empty), Duration.ofSeconds(5));
    assertArrayEquals(inline, many.get(0).get(10, TimeUnit.SECONDS).data());
    assertArrayEquals(new byte[0], many.get(1).get(10, TimeUnit.SECONDS).data());
    try (BitswapSession session = fetcher.client.newSession()) {
      assertEquals(new Block(small, inline), session.get(small, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS));
    }

    // A real want after them: the network delivers in order, so a want for an identity CID would come first.
    Block b = blocks(10, 1, 100).get(0);
    holder.blockstore.put(b).get();
    fetcher.client.get(b.cid(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
    List<WantlistEntry> wants = heard.stream().flatMap(m -> m.wantlist().stream()).toList();
    assertTrue(wants.stream().anyMatch(e -> e.cid().equals(b.cid())), wants.toString());
    assertTrue(wants.stream().noneMatch(e -> isIdentity(e.cid())), wants.toString());
    assertEquals(1, fetcher.client.stats().blocksReceived());
  }

  /**
   * The engine skips identity CIDs in a peer's wantlist (LIMITS.md; boxo's TestIgnoresIdentityCid): no block,
   * no presence, no want kept, while the other wants of the same message are served.
   */
  @Test
  void theEngineIgnoresWantsForIdentityCids() throws Exception {
    Node holder = new Node();
    VirtualNetwork.Node peer = net.node();
    List<BitswapMessage> answers = new CopyOnWriteArrayList<>();
    peer.receivers.add(keeping(answers));
    net.link(peer, holder.network);
    await("linked", () -> peer.links.contains(holder.network.peer));
    Block had = blocks(11, 1, 100).get(0);
    Block lacked = blocks(12, 1, 100).get(0);
    holder.blockstore.put(had).get();
    Cid empty = Cid.parse("bafkqaaa");
    Cid small = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), "inline".getBytes(StandardCharsets.UTF_8)));
    peer.send(holder.network.peer, new BitswapMessage(List.of(
        WantlistEntry.wantBlock(empty, 100, true), WantlistEntry.wantHave(small, 99, true),
        WantlistEntry.wantBlock(had.cid(), 1, true), WantlistEntry.wantHave(lacked.cid(), 1, true)),
        false, List.of(), List.of(), 0)).get(10, TimeUnit.SECONDS);

    await("the block and the DONT_HAVE", () -> answers.stream().anyMatch(m -> m.blocks().stream()
        .anyMatch(p -> p.cid().equals(had.cid()))) && answers.stream().anyMatch(m -> m.presences().stream()
        .anyMatch(p -> p.cid().equals(lacked.cid()) && p.type() == PresenceType.DONT_HAVE)));
    assertTrue(answers.stream().flatMap(m -> m.blocks().stream()).noneMatch(p -> isIdentity(p.cid())), answers.toString());
    assertTrue(answers.stream().flatMap(m -> m.presences().stream()).noneMatch(p -> isIdentity(p.cid())),
        answers.toString());
    assertTrue(holder.engine.wantlist(peer.peer).stream().noneMatch(w -> isIdentity(w.cid())));
  }
}
