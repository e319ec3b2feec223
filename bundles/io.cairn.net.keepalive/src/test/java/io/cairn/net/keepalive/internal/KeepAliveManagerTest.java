package io.cairn.net.keepalive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.internal.StandaloneHost;
import io.cairn.multiformats.Multiaddr;
import io.cairn.testing.Components;
import io.cairn.testing.net.Blackhole;
import io.cairn.testing.net.FaultProxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real hosts, one connection through the fault proxy: kept while the peer answers, closed once it vanishes. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KeepAliveManagerTest {
  @Test
  void aPeerThatVanishesWithoutClosingIsLetGoWithinIntervalPlusTimeout() throws Exception {
    List<String> log = new ArrayList<>();
    try (StandaloneHost server = StandaloneHost.loopback(); StandaloneHost client = StandaloneHost.loopback()) {
      Multiaddr serverAddress = server.host().listenAddresses().get(0);
      try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", serverAddress.tcpPort().orElseThrow()))) {
        KeepAliveManager manager = new KeepAliveManager(client.host(), Components.logger(log),
            (KeepAliveConfig) Components.config(KeepAliveConfig.class, Map.of("intervalSeconds", 1, "timeoutSeconds", 1)));
        try {
          Connection c = client.host().connect(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + proxy.port() + "/p2p/"
              + server.host().peerId())).get(30, TimeUnit.SECONDS);
          // Answered rounds keep it: three seconds, at least two pings.
          Thread.sleep(3_000);
          assertTrue(c.isOpen());
          assertTrue(manager.status().pings() >= 2, manager.status().toString());
          assertEquals(1, manager.status().connections());
          assertEquals(0, manager.status().closed());

          // The peer vanishes: nothing goes through any more, and nobody closes the TCP connection.
          proxy.both(d -> d.blackhole(Blackhole.SILENT));
          long vanished = System.nanoTime();
          while (c.isOpen()) {
            assertTrue(System.nanoTime() - vanished < TimeUnit.SECONDS.toNanos(10), "still open 10 s after the peer vanished");
            Thread.sleep(20);
          }
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - vanished);
          assertTrue(ms <= 2_000 + 500, "let go after " + ms + " ms (interval 1 s + timeout 1 s)");
          assertEquals(1, manager.status().closed());
          assertTrue(client.host().connection(server.host().peerId()).isEmpty(), "the host let it go");
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (manager.status().connections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          assertEquals(0, manager.status().connections(), "no round left for it");
        } finally {
          manager.deactivate();
        }
      }
    }
  }
}
