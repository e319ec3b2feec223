package io.cairn.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapMessageEncoder;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.blockstore.Block;
import io.cairn.libp2p.Host;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * A Cairn daemon (B) attacked over raw bitswap streams by this test framework (A): a wantlist flood
 * of 108,000 entries, blocks it never asked for, and garbage. Meanwhile a second daemon (C), connected
 * to B, keeps fetching blocks from it over bitswap through its RPC: every fetch must succeed, B keeps
 * at most 1,024 of A's wants, stores nothing unrequested, and cuts A off for the garbage. The fetch
 * latencies C saw are printed (the latency bar itself is the load tool's to measure). A peer that
 * asks for 40 MiB and never reads holds back only itself: C is served, and B stops writing to it
 * near its byte budget instead of buffering the rest.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BitswapBadPeerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BITSWAP = BitswapProtocol.V1_2_0.id();
  @Inject Host host;
  @Inject Bitswap bitswap;
  @Inject BundleContext context;

  @Configuration
  public Option[] config() {
    return new Option[] {
        CairnOptions.node(CairnOptions.tempDir("cairn-a"), CairnOptions.tempDir("cairn-a-conf"), CairnOptions.freePort()),
        frameworkProperty("cairn.swarm.address").value("/ip4/127.0.0.1/tcp/0")};
  }

  /** A raw bitswap stream from A to B: only an encoder, so what goes out is exactly what the test writes. */
  private StreamChannel rawStream(PeerId peer) throws Exception {
    return host.newStream(peer, List.of(BITSWAP),
        (stream, info) -> stream.pipeline().addLast(new BitswapMessageEncoder(BitswapProtocol.V1_2_0)))
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  public void floodsUnrequestedBlocksAndGarbageDoNotStopServingOthers() throws Exception {
    int swarmB = CairnOptions.freePort();
    int swarmC = CairnOptions.freePort();
    try (CairnProcess b = CairnProcess.daemon(CairnOptions.tempDir("cairn-bad-b"), "--swarm-address", "/ip4/127.0.0.1/tcp/" + swarmB);
         CairnProcess c = CairnProcess.daemon(CairnOptions.tempDir("cairn-bad-c"), "--swarm-address", "/ip4/127.0.0.1/tcp/" + swarmC)) {
      Rpc rpcB = new Rpc(b.awaitRpcBase(60));
      Rpc rpcC = new Rpc(c.awaitRpcBase(60));
      PeerId peerB = PeerId.parse(b.peerId());
      Multiaddr addressB = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + swarmB + "/p2p/" + peerB);
      List<Block> served = TestBlocks.raw(4096, 300);
      for (Block block : served) {
        assertEquals(200, rpcB.putBlock(block.data(), "?cid-codec=raw").statusCode());
      }
      HttpResponse<String> connect = rpcC.post("/api/v0/swarm/connect?arg=" + addressB);
      assertEquals(connect.body(), 200, connect.statusCode());

      // C fetches B's blocks one by one for as long as the attacks last.
      AtomicBoolean attacking = new AtomicBoolean(true);
      AtomicReference<Throwable> fetchFailure = new AtomicReference<>();
      List<Long> latenciesMicros = new ArrayList<>();
      Thread fetcher = new Thread(() -> {
        int i = 0;
        while (attacking.get() || i < served.size()) {
          Block want = served.get(i % served.size());
          i++;
          try {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = rpcC.postForBytes("/api/v0/block/get?arg=" + want.cid() + "&timeout=30s");
            latenciesMicros.add((System.nanoTime() - start) / 1000);
            assertEquals(new String(r.body()), 200, r.statusCode());
            assertArrayEquals(want.data(), r.body());
          } catch (Throwable t) {
            fetchFailure.compareAndSet(null, t);
            return;
          }
        }
      }, "fetcher-c");
      fetcher.start();

      host.connect(addressB).get(30, TimeUnit.SECONDS);
      // 1. A wantlist flood: 12 messages of 9,000 want-haves for blocks nobody has.
      StreamChannel flood = rawStream(peerB);
      Random random = new Random(12);
      for (int m = 0; m < 12; m++) {
        List<WantlistEntry> entries = new ArrayList<>();
        for (int i = 0; i < 9_000; i++) {
          byte[] junk = new byte[16];
          random.nextBytes(junk);
          entries.add(WantlistEntry.wantBlock(Block.raw(junk).cid(), 1, false));
        }
        flood.writeAndFlush(BitswapMessage.wants(entries)).sync();
      }
      String wantsOfA = "/api/v0/bitswap/wantlist?peer=" + host.peerId();
      JsonNode kept = awaitJson(rpcB, wantsOfA, n -> n.path("Keys").size() > 0);
      assertTrue("B keeps at most 1,024 of A's wants, not " + kept.path("Keys").size(), kept.path("Keys").size() <= 1024);

      // 2. Blocks B never asked for: dropped, not stored.
      List<Block> unrequested = TestBlocks.raw(2048, 5);
      List<BlockPayload> payloads = unrequested.stream().map(u -> BlockPayload.of(u.cid(), u.data())).toList();
      flood.writeAndFlush(new BitswapMessage(List.of(), false, payloads, List.of(), 0)).sync();
      awaitJson(rpcB, "/api/v0/bitswap/stat", n -> n.path("MessagesReceived").asLong() >= 13);
      for (Block u : unrequested) {
        HttpResponse<String> stat = rpcB.post("/api/v0/block/stat?arg=" + u.cid());
        assertEquals(stat.body(), 500, stat.statusCode());
      }

      // 3. Garbage: a message whose body is not protobuf. B resets the stream and drops A.
      StreamChannel garbage = rawStream(peerB);
      byte[] bytes = new byte[64];
      Arrays.fill(bytes, (byte) 0xff);
      bytes[0] = 63;
      garbage.writeAndFlush(garbage.alloc().buffer().writeBytes(bytes)).sync();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (host.connection(peerB).isPresent()) {
        assertTrue("B did not disconnect the peer that sent garbage", System.nanoTime() < deadline);
        Thread.sleep(20);
      }

      // A may come back and is served like anyone.
      host.connect(addressB).get(30, TimeUnit.SECONDS);
      Block again = served.get(7);
      assertArrayEquals(again.data(), bitswap.get(again.cid(), Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS).data());

      attacking.set(false);
      fetcher.join(120_000);
      assertFalse("the fetcher is stuck", fetcher.isAlive());
      if (fetchFailure.get() != null) {
        throw new AssertionError("C's fetch from B failed during the attacks", fetchFailure.get());
      }
      List<Long> sorted = new ArrayList<>(latenciesMicros);
      sorted.sort(null);
      System.out.printf("C fetched %d blocks from B during the attacks: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
          sorted.size(), sorted.get(sorted.size() / 2) / 1000.0, sorted.get(sorted.size() * 95 / 100) / 1000.0,
          sorted.get(sorted.size() - 1) / 1000.0);
    }
  }

  @Test
  public void aPeerThatNeverReadsHoldsBackOnlyItself() throws Exception {
    int swarmB = CairnOptions.freePort();
    int swarmC = CairnOptions.freePort();
    // A's bitswap streams from now on land here: taken, never read (yamux returns no window).
    StreamHandler neverReads = (stream, info) -> stream.config().setAutoRead(false);
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(StreamHandler.PROTOCOL, BITSWAP);
    props.put(Constants.SERVICE_RANKING, 100);
    ServiceRegistration<StreamHandler> registration = context.registerService(StreamHandler.class, neverReads, props);
    try (CairnProcess b = CairnProcess.daemon(CairnOptions.tempDir("cairn-slow-b"), "--swarm-address", "/ip4/127.0.0.1/tcp/" + swarmB);
         CairnProcess c = CairnProcess.daemon(CairnOptions.tempDir("cairn-slow-c"), "--swarm-address", "/ip4/127.0.0.1/tcp/" + swarmC)) {
      Rpc rpcB = new Rpc(b.awaitRpcBase(60));
      Rpc rpcC = new Rpc(c.awaitRpcBase(60));
      PeerId peerB = PeerId.parse(b.peerId());
      Multiaddr addressB = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + swarmB + "/p2p/" + peerB);
      List<Block> large = TestBlocks.raw(1 << 20, 40);
      List<Block> small = TestBlocks.raw(4096, 100);
      for (Block block : large) {
        assertEquals(200, rpcB.putBlock(block.data(), "?cid-codec=raw").statusCode());
      }
      for (Block block : small) {
        assertEquals(200, rpcB.putBlock(block.data(), "?cid-codec=raw").statusCode());
      }
      assertEquals(200, rpcC.post("/api/v0/swarm/connect?arg=" + addressB).statusCode());

      host.connect(addressB).get(30, TimeUnit.SECONDS);
      StreamChannel wants = rawStream(peerB);
      List<WantlistEntry> entries = large.stream().map(l -> WantlistEntry.wantBlock(l.cid(), 1, false)).toList();
      wants.writeAndFlush(BitswapMessage.wants(entries)).sync();

      // B keeps serving C while A reads nothing of the 40 MiB it asked for.
      for (Block want : small) {
        HttpResponse<byte[]> r = rpcC.postForBytes("/api/v0/block/get?arg=" + want.cid() + "&timeout=30s");
        assertEquals(new String(r.body()), 200, r.statusCode());
        assertArrayEquals(want.data(), r.body());
      }
      JsonNode ledger = awaitJson(rpcB, "/api/v0/bitswap/ledger?arg=" + host.peerId(), n -> true);
      long sent = ledger.path("Sent").asLong();
      assertTrue("B wrote " + sent + " bytes to a peer that reads nothing: it must stop near its 1 MiB budget "
          + "plus the stream's window", sent <= 4L << 20);
    } finally {
      registration.unregister();
    }
  }

  private static JsonNode awaitJson(Rpc rpc, String path, java.util.function.Predicate<JsonNode> test) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<String> r = rpc.post(path);
      assertEquals(r.body(), 200, r.statusCode());
      JsonNode node = JSON.readTree(r.body());
      if (test.test(node) || System.nanoTime() > deadline) {
        return node;
      }
      Thread.sleep(50);
    }
  }
}
