package io.cairn.blockstore.service.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import io.cairn.testing.bitswap.MemoryNetwork;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that asked us for a block we lacked gets it as soon as it is stored here, by whatever path, without
 * sending its want again (Helia never repeats one). The real bitswap engine over the real tiered store, as DS
 * binds them; the peer is a bare receiver on a memory network that sends one want and only listens after.
 */
class LocalPutWakesWantsTest {
  private final Store store = new Store();
  private final BlockServiceComponent service = new BlockServiceComponent(store.store, store.logger);
  private final MemoryNetwork node = new MemoryNetwork(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()));
  private final MemoryNetwork peer = new MemoryNetwork(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()));
  private final BitswapEngine engine = Components.createWith(BitswapEngine.class,
      "io.cairn.bitswap.server.internal.BitswapEngineComponent", Map.of(), node, store.store, store.logger);
  private final LinkedBlockingQueue<BitswapMessage> received = new LinkedBlockingQueue<>();
  private final AtomicInteger sent = new AtomicInteger();

  LocalPutWakesWantsTest() {
    Components.call(engine, "bindStore", store.store);
    peer.addReceiver(new BitswapReceiver() {
      @Override
      public void receive(PeerId from, BitswapMessage message) {
        received.add(message);
      }

      @Override
      public void peerConnected(PeerId p, BitswapProtocol protocol) {}

      @Override
      public void peerDisconnected(PeerId p) {}
    });
    MemoryNetwork.connect(node, peer);
  }

  @AfterEach
  void close() {
    Components.deactivate(engine);
    node.close();
    peer.close();
    store.close();
  }

  /** The peer wants {@code block}; the node answers DONT_HAVE, so the want now waits in its ledger. */
  private void wantAndHearDontHave(Block block) throws Exception {
    peer.send(node.self, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(block.cid(), 1, true))))
        .get(10, TimeUnit.SECONDS);
    sent.incrementAndGet();
    BitswapMessage answer = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(answer, "no DONT_HAVE for " + block.cid());
    assertEquals(List.of(new BlockPresence(block.cid(), PresenceType.DONT_HAVE)), answer.presences());
  }

  private void receives(Block block) throws Exception {
    BitswapMessage answer = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(answer, "the waiting peer never got " + block.cid() + " after it was stored here");
    assertEquals(1, answer.blocks().size());
    BlockPayload payload = answer.blocks().get(0);
    assertEquals(block.cid(), payload.cid());
    assertArrayEquals(block.data(), payload.data());
  }

  @Test
  void aBlockPutThroughTheBlockServiceReachesThePeerWaitingForIt() throws Exception {
    Block block = Block.raw("put after the want".getBytes(StandardCharsets.UTF_8));
    wantAndHearDontHave(block);
    service.put(block).get(10, TimeUnit.SECONDS);
    receives(block);
    assertEquals(1, sent.get(), "the peer sent its want once");
  }

  /** dag/import and add write batches straight to the store: the engine hears of those too. */
  @Test
  void aBatchWrittenStraightToTheStoreReachesThePeersWaitingForIt() throws Exception {
    Block a = Block.raw("imported a".getBytes(StandardCharsets.UTF_8));
    Block b = Block.raw("imported b".getBytes(StandardCharsets.UTF_8));
    wantAndHearDontHave(a);
    store.store.putBatch(List.of(a, b)).get(10, TimeUnit.SECONDS);
    receives(a);
  }
}
