package io.cairn.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.cairn.bitswap.Bitswap;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.itests.TestBlocks.BlockSet;
import io.cairn.itests.TestBlocks.Kind;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multiaddr;
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
 * Cairn and Helia 7 (from npm, itests/interop) swapping blocks over bitswap 1.2.0, both ways: raw
 * CIDv1 and dag-pb CIDv0 blocks of 1 KiB and 1 MiB, 1,000 blocks each way, each re-hashed by its
 * receiver (Cairn's client computes every CID from the bytes; helia-peer.mjs re-hashes each block
 * itself) and compared with the shared test blocks.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BitswapHeliaIT {
  /** 1,000 blocks: 450 + 450 of 1 KiB, 50 + 50 of 1 MiB. */
  private static final List<BlockSet> SETS = List.of(
      new BlockSet(Kind.RAW, 1024, 450), new BlockSet(Kind.DAG_PB, 1024, 450),
      new BlockSet(Kind.RAW, 1 << 20, 50), new BlockSet(Kind.DAG_PB, 1 << 20, 50));

  @Inject Host host;
  @Inject Bitswap bitswap;
  @Inject MultiTierBlockstore blockstore;

  @Configuration
  public Option[] config() {
    return new Option[] {
        CairnOptions.node(CairnOptions.tempDir("cairn-helia"), CairnOptions.tempDir("cairn-helia-conf"), CairnOptions.freePort()),
        frameworkProperty("cairn.swarm.address").value("/ip4/127.0.0.1/tcp/0")};
  }

  @Test
  public void cairnFetchesAThousandBlocksFromHelia() throws Exception {
    try (HeliaPeer helia = HeliaPeer.serve(SETS, "--quiet")) {
      HeliaPeer.Listening listening = helia.awaitListening(120);
      List<Cid> cids = TestBlocks.cids(SETS);
      assertEquals("Helia holds the same blocks", TestBlocks.cidsSha256(cids), listening.cidsSha256());
      host.connect(Multiaddr.parse(listening.address())).get(30, TimeUnit.SECONDS);

      List<CompletableFuture<Block>> fetched = bitswap.getMany(cids, Duration.ofSeconds(180));
      int i = 0;
      for (BlockSet set : SETS) {
        for (int index = 0; index < set.count(); index++, i++) {
          Block got = fetched.get(i).get(240, TimeUnit.SECONDS);
          Block expected = TestBlocks.block(set, index);
          assertEquals(expected.cid(), got.cid());
          assertTrue("re-hashed by the receiver", got.verify());
          assertArrayEquals(expected.data(), got.data());
        }
      }
      assertEquals(0, bitswap.stats().invalidBlocks());
      assertTrue(bitswap.wantlist().isEmpty());
      // Stored as they arrived: the node now serves them itself.
      assertTrue(blockstore.has(cids.get(cids.size() - 1)).get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  public void heliaFetchesAThousandBlocksFromCairn() throws Exception {
    for (BlockSet set : SETS) {
      List<Block> batch = new ArrayList<>();
      set.forEach(batch::add);
      blockstore.putBatch(batch).get(120, TimeUnit.SECONDS);
    }
    String address = host.listenAddresses().get(0) + "/p2p/" + host.peerId();
    try (HeliaPeer helia = HeliaPeer.fetch(address, SETS, 32)) {
      HeliaPeer.Fetched fetched = helia.awaitFetched(300);
      assertEquals(fetched.json().toString(), 0, fetched.exitCode());
      assertTrue(fetched.json().toString(), fetched.ok());
      assertEquals(1000, fetched.fetched());
      assertEquals(0, fetched.failureCount());
      System.out.println("Helia fetched from Cairn: " + fetched.json());
    }
  }
}
