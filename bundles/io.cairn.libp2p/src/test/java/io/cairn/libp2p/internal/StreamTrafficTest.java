package io.cairn.libp2p.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.StreamInfo;
import io.cairn.libp2p.TrafficObserver;
import io.cairn.multiformats.Multiaddr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamTrafficTest {
  private static final String HELD = "/cairn/test/held/1.0.0";

  /** Bytes by "peer protocol in|out". */
  private static final class Recorder implements TrafficObserver {
    final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();

    @Override
    public Meter streamOpened(StreamInfo stream) {
      String key = stream.remotePeer() + " " + stream.protocol();
      return new Meter() {
        @Override
        public void received(int n) {
          bytes.computeIfAbsent(key + " in", k -> new AtomicLong()).addAndGet(n);
        }

        @Override
        public void sent(int n) {
          bytes.computeIfAbsent(key + " out", k -> new AtomicLong()).addAndGet(n);
        }
      };
    }

    long get(String key) {
      AtomicLong n = bytes.get(key);
      return n == null ? 0 : n.get();
    }
  }

  @Test
  void theCounterCountsPayloadBothWaysAndPassesItOnUntouched() {
    AtomicLong in = new AtomicLong();
    AtomicLong out = new AtomicLong();
    TrafficObserver.Meter meter = new TrafficObserver.Meter() {
      @Override
      public void received(int bytes) {
        in.addAndGet(bytes);
      }

      @Override
      public void sent(int bytes) {
        out.addAndGet(bytes);
      }
    };
    EmbeddedChannel ch = new EmbeddedChannel(new StreamTraffic.Counter(new TrafficObserver.Meter[] {meter}));
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
    ch.writeOutbound(Unpooled.wrappedBuffer(new byte[7]), "not bytes");
    assertEquals(100, in.get());
    assertEquals(7, out.get());
    ByteBuf read = ch.readInbound();
    assertEquals(100, read.readableBytes());
    read.release();
    ByteBuf written = ch.readOutbound();
    assertEquals(7, written.readableBytes());
    written.release();
    assertEquals("not bytes", ch.readOutbound());
    assertFalse(ch.finish());
  }

  /** Real hosts: a ping's 32 bytes each way are counted for its peer and protocol, on both sides. */
  @Test
  void negotiatedStreamsAreMeteredAndListedByProtocol() throws Exception {
    Map<String, Object> loopback = Map.of("listenAddresses", new String[] {"/ip4/127.0.0.1/tcp/0"});
    try (TestHost server = TestHost.peer(loopback); TestHost client = TestHost.peer(loopback)) {
      Recorder atServer = new Recorder();
      Recorder atClient = new Recorder();
      server.host.bindTrafficObserver(atServer);
      client.host.bindTrafficObserver(atClient);
      Multiaddr address = server.host.listenAddresses().get(0);
      Connection c = client.host.connect(address.withPeerId(server.host.peerId())).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        client.host.ping(server.host.peerId()).get(30, TimeUnit.SECONDS);
      }
      String serverKey = server.host.peerId() + " " + PingProtocol.ID;
      String clientKey = client.host.peerId() + " " + PingProtocol.ID;
      assertEquals(3 * PingProtocol.SIZE, atClient.get(serverKey + " out"));
      assertEquals(3 * PingProtocol.SIZE, atClient.get(serverKey + " in"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (atServer.get(clientKey + " out") < 3 * PingProtocol.SIZE && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(3 * PingProtocol.SIZE, atServer.get(clientKey + " in"));
      assertEquals(3 * PingProtocol.SIZE, atServer.get(clientKey + " out"));
      // Identify ran over its own streams before any observer could miss it: only streams after binding count.
      assertTrue(atClient.bytes.keySet().stream().allMatch(k -> k.startsWith(server.host.peerId().toString())),
          atClient.bytes.keySet().toString());
      // A stream held open is listed by its protocol on both sides until it closes.
      server.host.bindHandler((stream, info) -> { }, Map.of(StreamHandler.PROTOCOL, HELD, "service.id", 99_999L));
      StreamChannel held = c.openStream(List.of(HELD), (stream, info) -> { }).get(30, TimeUnit.SECONDS);
      assertTrue(c.streamProtocols().contains(HELD), c.streamProtocols().toString());
      Connection atServerSide = server.host.connection(client.host.peerId()).orElseThrow();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!atServerSide.streamProtocols().contains(HELD) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(atServerSide.streamProtocols().contains(HELD), atServerSide.streamProtocols().toString());
      held.close().sync();
      assertFalse(c.streamProtocols().contains(HELD), c.streamProtocols().toString());
      // The ping streams closed after their answers; none is listed once closed.
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (c.streamProtocols().contains(PingProtocol.ID) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertFalse(c.streamProtocols().contains(PingProtocol.ID), c.streamProtocols().toString());
    }
  }
}
