package io.cairn.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.BitswapSession;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Three Cairn nodes swapping blocks over bitswap: this OSGi test framework (A) and two
 * {@code bin/cairn daemon} processes (B, C). Blocks put on C are fetched by A, which is connected to
 * both and must find out that only C has them; then A's engine serves them to B. A peer that
 * vanishes in the middle of a fetch does not stall the session: the other peer that has the blocks
 * delivers the rest.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BitswapCairnIT {
  @Inject Host host;
  @Inject Bitswap bitswap;
  @Inject BitswapEngine engine;
  @Inject MultiTierBlockstore blockstore;

  @Configuration
  public Option[] config() {
    return new Option[] {
        CairnOptions.node(CairnOptions.tempDir("cairn-a"), CairnOptions.tempDir("cairn-a-conf"), CairnOptions.freePort()),
        frameworkProperty("cairn.swarm.address").value("/ip4/127.0.0.1/tcp/0")};
  }

  private record Node(CairnProcess process, Rpc rpc, Multiaddr address, PeerId peer) {}

  private static Node start(String name) throws Exception {
    int swarmPort = CairnOptions.freePort();
    CairnProcess p = CairnProcess.daemon(CairnOptions.tempDir(name), "--swarm-address", "/ip4/127.0.0.1/tcp/" + swarmPort);
    String rpcBase = p.awaitRpcBase(60);
    assertFalse(p.output(), rpcBase.isEmpty());
    return new Node(p, new Rpc(rpcBase), Multiaddr.parse("/ip4/127.0.0.1/tcp/" + swarmPort + "/p2p/" + p.peerId()),
        PeerId.parse(p.peerId()));
  }

  private static void put(Node node, List<Block> blocks) throws Exception {
    for (Block b : blocks) {
      HttpResponse<String> r = node.rpc.putBlock(b.data(), "?cid-codec=raw");
      assertEquals(r.body(), 200, r.statusCode());
      assertTrue(r.body(), r.body().contains(b.cid().toString()));
    }
  }

  @Test
  public void aBlockOnOneNodeIsFoundThroughTheConnectionSetAndServedOn() throws Exception {
    Node nodeB = start("cairn-b");
    Node nodeC = start("cairn-c");
    try {
      List<Block> blocks = new ArrayList<>(TestBlocks.raw(1024, 50));
      blocks.addAll(TestBlocks.raw(1 << 20, 3));
      put(nodeC, blocks);
      host.connect(nodeB.address).get(30, TimeUnit.SECONDS);
      host.connect(nodeC.address).get(30, TimeUnit.SECONDS);

      List<Cid> cids = blocks.stream().map(Block::cid).toList();
      List<CompletableFuture<Block>> fetched = bitswap.getMany(cids, Duration.ofSeconds(60));
      for (int i = 0; i < blocks.size(); i++) {
        Block got = fetched.get(i).get(90, TimeUnit.SECONDS);
        assertEquals(cids.get(i), got.cid());
        assertArrayEquals(blocks.get(i).data(), got.data());
        assertTrue(got.verify());
      }
      // Fetched blocks are stored, so A now serves them: B gets them from A's engine.
      for (Block block : blocks) {
        assertTrue(blockstore.has(block.cid()).get(10, TimeUnit.SECONDS));
      }
      assertTrue(bitswap.stats().blocksReceived() >= blocks.size());
      assertEquals(0, bitswap.stats().invalidBlocks());
      assertTrue(bitswap.wantlist().isEmpty());
      HttpResponse<byte[]> fromB = nodeB.rpc.postForBytes("/api/v0/block/get?arg=" + blocks.get(0).cid() + "&timeout=30s");
      assertEquals(new String(fromB.body()), 200, fromB.statusCode());
      assertArrayEquals(blocks.get(0).data(), fromB.body());
      assertTrue(engine.ledger(nodeB.peer).orElseThrow().blocksSent() >= 1);
    } finally {
      nodeB.process.close();
      nodeC.process.close();
    }
  }

  @Test
  public void aPeerThatVanishesMidFetchDoesNotStallTheSession() throws Exception {
    Node nodeB = start("cairn-vb");
    Node nodeC = start("cairn-vc");
    try {
      List<Block> blocks = TestBlocks.raw(256 * 1024, 60);
      put(nodeB, blocks);
      put(nodeC, blocks);
      host.connect(nodeB.address).get(30, TimeUnit.SECONDS);
      host.connect(nodeC.address).get(30, TimeUnit.SECONDS);
      try (BitswapSession session = bitswap.newSession()) {
        List<CompletableFuture<Block>> fetched = session.getMany(blocks.stream().map(Block::cid).toList(),
            Duration.ofSeconds(60));
        fetched.get(0).get(60, TimeUnit.SECONDS);
        nodeC.process.close();
        for (int i = 0; i < blocks.size(); i++) {
          assertArrayEquals(blocks.get(i).data(), fetched.get(i).get(60, TimeUnit.SECONDS).data());
        }
      }
    } finally {
      nodeB.process.close();
      nodeC.process.close();
    }
  }
}
