package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.spi.BatchRequestProcessor;
import io.cairn.bitswap.spi.BitswapLimits;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.Blockstore;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An engine on an in-memory network that records what it sends (optionally holding each send until the
 * test lets it go, so a test decides when a worker moves on) and a map blockstore.
 */
final class EngineHarness implements AutoCloseable {
  /** One message the engine sent. */
  record Sent(PeerId peer, BitswapMessage message) {
    List<Cid> blockCids() {
      return message.blocks().stream().map(b -> Block.raw(b.data()).cid()).toList();
    }

    List<BlockPresence> presences() {
      return message.presences();
    }
  }

  final List<String> logLines = new CopyOnWriteArrayList<>();
  final Network network = new Network();
  final MapStore store = new MapStore();
  final BitswapEngineComponent engine;
  private static final AtomicLong SERVICE_IDS = new AtomicLong(1000);

  EngineHarness(Map<String, Object> config) {
    engine = (BitswapEngineComponent) Components.createWith(Object.class, BitswapEngineComponent.class.getName(), config,
        network, store, Components.logger(logLines));
  }

  static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  }

  static Block block(String name) {
    return Block.raw(name.getBytes());
  }

  static Map<String, Object> props(String name, int ranking) {
    return Map.of(PriorityRequestManager.STRATEGY, name, "service.ranking", ranking, "service.id", SERVICE_IDS.incrementAndGet());
  }

  void bindPriority(PriorityRequestManager p, String name, int ranking) {
    Components.call(engine, "bindPriority", p, props(name, ranking));
  }

  void unbindPriority(PriorityRequestManager p) {
    Components.call(engine, "unbindPriority", p);
  }

  void bindLimits(BitswapLimits l, String name, int ranking) {
    Components.call(engine, "bindLimits", l, props(name, ranking));
  }

  void unbindLimits(BitswapLimits l) {
    Components.call(engine, "unbindLimits", l);
  }

  void bindBatch(BatchRequestProcessor b, String name, int ranking) {
    Components.call(engine, "bindBatch", b, props(name, ranking));
  }

  void unbindBatch(BatchRequestProcessor b) {
    Components.call(engine, "unbindBatch", b);
  }

  void connect(PeerId peer) {
    network.receivers.forEach(r -> r.peerConnected(peer, BitswapProtocol.V1_2_0));
  }

  void receive(PeerId from, BitswapMessage message) {
    network.receivers.forEach(r -> r.receive(from, message));
  }

  /** The next message sent, waiting up to 10 s (a deadlock guard, not a timing assertion). */
  Sent next() throws InterruptedException {
    Sent s = network.sent.poll(10, TimeUnit.SECONDS);
    if (s == null) {
      throw new AssertionError("the engine sent nothing within 10 s");
    }
    return s;
  }

  @Override
  public void close() {
    network.release(1_000_000);
    Components.deactivate(engine);
  }

  /** Records sends; while {@link #hold} is on, each send waits for a permit ({@link #release}) on the worker's thread. */
  static final class Network implements BitswapNetwork {
    final List<BitswapReceiver> receivers = new CopyOnWriteArrayList<>();
    final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    private final Semaphore permits = new Semaphore(0);
    volatile boolean hold;
    /** Sends entered (a worker is in {@link #send}), whether or not released yet. */
    final Semaphore entered = new Semaphore(0);
    /** The round trip the connection to every peer measured; null: not measured. */
    volatile Duration roundTrip;

    void release(int n) {
      permits.release(n);
    }

    @Override
    public CompletableFuture<Void> send(PeerId peer, BitswapMessage message) {
      entered.release();
      if (hold) {
        permits.acquireUninterruptibly();
      }
      sent.add(new Sent(peer, message));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<PeerId> peers() {
      return Set.of();
    }

    @Override
    public Optional<BitswapProtocol> protocol(PeerId peer) {
      return Optional.of(BitswapProtocol.V1_2_0);
    }

    @Override
    public Optional<Duration> roundTrip(PeerId peer) {
      return Optional.ofNullable(roundTrip);
    }

    @Override
    public void addReceiver(BitswapReceiver receiver) {
      receivers.add(receiver);
    }

    @Override
    public void removeReceiver(BitswapReceiver receiver) {
      receivers.remove(receiver);
    }

    @Override
    public void disconnect(PeerId peer, String reason) {}
  }

  /** Blocks in a map; every call completes at once, except reads of gated blocks, which wait for {@link #open}. */
  static final class MapStore implements Blockstore {
    final Map<Cid, Block> blocks = new ConcurrentHashMap<>();
    /** The CIDs of each getMany call, in call order. */
    final List<List<Cid>> getManyCalls = new CopyOnWriteArrayList<>();
    final AtomicLong getSizesCalls = new AtomicLong();
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private final Set<Cid> gated = ConcurrentHashMap.newKeySet();

    void add(Block b) {
      blocks.put(b.cid(), b);
    }

    /** Adds a block whose reads complete only once the gate opens: a slow tier the test controls. */
    void addGated(Block b) {
      gated.add(b.cid());
      add(b);
    }

    void open() {
      gate.complete(null);
    }

    @Override
    public CompletableFuture<Boolean> has(Cid cid) {
      return CompletableFuture.completedFuture(blocks.containsKey(cid));
    }

    @Override
    public CompletableFuture<Block> get(Cid cid) {
      Block b = blocks.get(cid);
      if (b != null && gated.contains(cid)) {
        return gate.thenApply(v -> b);
      }
      return b != null ? CompletableFuture.completedFuture(b)
          : CompletableFuture.failedFuture(new BlockNotFoundException(cid, "not here"));
    }

    @Override
    public CompletableFuture<Integer> getSize(Cid cid) {
      return get(cid).thenApply(Block::size);
    }

    @Override
    public CompletableFuture<List<Block>> getMany(List<Cid> cids) {
      getManyCalls.add(List.copyOf(cids));
      return Blockstore.super.getMany(cids);
    }

    @Override
    public CompletableFuture<List<Integer>> getSizes(List<Cid> cids) {
      getSizesCalls.incrementAndGet();
      return Blockstore.super.getSizes(cids);
    }

    @Override
    public CompletableFuture<Void> put(Block block) {
      add(block);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> putMany(List<Block> list) {
      list.forEach(this::add);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> delete(Cid cid) {
      return CompletableFuture.completedFuture(blocks.remove(cid) != null);
    }

    @Override
    public Stream<Cid> keys() {
      return new ArrayList<>(blocks.keySet()).stream();
    }
  }

  static List<Cid> cids(List<BlockPayload> blocks) {
    return blocks.stream().map(b -> Block.raw(b.data()).cid()).toList();
  }
}
