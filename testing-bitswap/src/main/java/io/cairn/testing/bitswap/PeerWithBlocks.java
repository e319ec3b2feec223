package io.cairn.testing.bitswap;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.message.WantType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.PeerUnavailableException;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The client's whole network: one connected peer holding {@link #blocks}, in place of libp2p and another
 * node. It answers wants as a bitswap 1.2.0 engine does (the block for want-block, HAVE for want-have,
 * DONT_HAVE when asked for it), on its own thread as the network hands messages over, and keeps every
 * wantlist entry it was sent.
 */
public final class PeerWithBlocks implements BitswapNetwork, AutoCloseable {
  public final PeerId id = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  public final Map<Cid, Block> blocks = new ConcurrentHashMap<>();
  public final List<WantlistEntry> received = new CopyOnWriteArrayList<>();
  private final ExecutorService answers = Executors.newSingleThreadExecutor(
      r -> Thread.ofPlatform().daemon().name("peer-with-blocks").unstarted(r));
  private volatile BitswapReceiver client;

  public void connect(BitswapReceiver receiver) {
    client = receiver;
    receiver.peerConnected(id, BitswapProtocol.V1_2_0);
  }

  @Override
  public CompletableFuture<Void> send(PeerId peer, BitswapMessage message) {
    if (!peer.equals(id) || client == null) {
      return CompletableFuture.failedFuture(new PeerUnavailableException(peer, "not connected"));
    }
    received.addAll(message.wantlist());
    List<BlockPayload> payloads = new ArrayList<>();
    List<BlockPresence> presences = new ArrayList<>();
    for (WantlistEntry e : message.wantlist()) {
      Block block = blocks.get(e.cid());
      if (e.cancel()) {
        continue;
      } else if (block != null && e.type() == WantType.BLOCK) {
        payloads.add(BlockPayload.of(block.cid(), block.data()));
      } else if (block != null) {
        presences.add(new BlockPresence(e.cid(), PresenceType.HAVE));
      } else if (e.sendDontHave()) {
        presences.add(new BlockPresence(e.cid(), PresenceType.DONT_HAVE));
      }
    }
    BitswapMessage answer = new BitswapMessage(List.of(), false, payloads, presences, 0);
    if (!answer.isEmpty()) {
      answers.execute(() -> client.receive(id, answer));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Set<PeerId> peers() {
    return client == null ? Set.of() : Set.of(id);
  }

  @Override
  public Optional<BitswapProtocol> protocol(PeerId peer) {
    return peer.equals(id) && client != null ? Optional.of(BitswapProtocol.V1_2_0) : Optional.empty();
  }

  @Override
  public void addReceiver(BitswapReceiver receiver) {
    connect(receiver);
  }

  @Override
  public void removeReceiver(BitswapReceiver receiver) {
    if (client == receiver) {
      client = null;
    }
  }

  @Override
  public void disconnect(PeerId peer, String reason) {
    throw new AssertionError("the client disconnected " + peer + ": " + reason);
  }

  @Override
  public void close() {
    answers.shutdownNow();
  }
}
