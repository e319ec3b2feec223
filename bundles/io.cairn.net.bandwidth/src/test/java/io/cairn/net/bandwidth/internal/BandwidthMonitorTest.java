package io.cairn.net.bandwidth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.Direction;
import io.cairn.libp2p.StreamInfo;
import io.cairn.libp2p.TrafficObserver;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.net.Bandwidth;
import io.cairn.rpc.RpcException;
import io.cairn.testing.Components;
import io.cairn.testing.TestRpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BandwidthMonitorTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final String BITSWAP = "/ipfs/bitswap/1.2.0";
  private static final String PING = "/ipfs/ping/1.0.0";

  private final AtomicLong now = new AtomicLong(1_000 * SECOND);
  private final BandwidthMonitorComponent monitor = new BandwidthMonitorComponent(Components.logger(),
      (BandwidthConfig) Components.config(BandwidthConfig.class, Map.of("forgetIdleSeconds", 60)), now::get);
  private final PeerId a = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  private final PeerId b = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());

  private TrafficObserver.Meter stream(PeerId peer, String protocol) {
    return monitor.streamOpened(new StreamInfo(protocol, peer, null, Direction.OUTBOUND));
  }

  private void tick() {
    now.addAndGet(SECOND);
    monitor.sweep(now.get());
  }

  @Test
  void bytesAreCountedInTotalPerPeerAndPerProtocol() {
    TrafficObserver.Meter aBitswap = stream(a, BITSWAP);
    TrafficObserver.Meter aPing = stream(a, PING);
    TrafficObserver.Meter bBitswap = stream(b, BITSWAP);
    aBitswap.received(1000);
    aBitswap.sent(10);
    aPing.received(32);
    aPing.sent(32);
    bBitswap.received(500);
    assertEquals(new Bandwidth(1532, 42, 0, 0), monitor.total());
    assertEquals(1032, monitor.peer(a).orElseThrow().totalIn());
    assertEquals(500, monitor.peer(b).orElseThrow().totalIn());
    assertEquals(1500, monitor.protocol(BITSWAP).orElseThrow().totalIn());
    assertEquals(32, monitor.protocol(PING).orElseThrow().totalOut());
    assertEquals(2, monitor.peers().size());
    assertEquals(2, monitor.protocols().size());
  }

  /** go-flow-metrics' rule: the first second's rate as measured, then a moving average with alpha 1 - 1/e. */
  @Test
  void ratesAreAMovingAverageOfPerSecondRates() {
    TrafficObserver.Meter s = stream(a, BITSWAP);
    s.received(1_000_000);
    tick();
    assertEquals(1_000_000, monitor.total().rateIn(), 1e-6);
    s.received(2_000_000);
    tick();
    double expected = 1_000_000 + FlowMeter.ALPHA * (2_000_000 - 1_000_000);
    assertEquals(expected, monitor.peer(a).orElseThrow().rateIn(), 1e-6);
    for (int i = 0; i < 60; i++) {
      tick();
    }
    assertEquals(0, monitor.total().rateIn(), "idle: the rate decays to 0");
    assertEquals(3_000_000, monitor.total().totalIn(), "the total stays");
  }

  @Test
  void anIdlePeerIsForgottenAndAStreamStillOpenCountsIntoAFreshMeter() {
    TrafficObserver.Meter s = stream(a, BITSWAP);
    s.received(100);
    TrafficObserver.Meter other = stream(b, PING);
    tick(); // the sweep that sees a's bytes: idle from here
    for (int i = 0; i < 59; i++) {
      other.received(1);
      tick();
    }
    assertTrue(monitor.peer(a).isPresent(), "not yet idle for 60 s");
    other.received(1);
    tick();
    assertTrue(monitor.peer(a).isEmpty(), "idle for 60 s: forgotten");
    assertTrue(monitor.protocol(BITSWAP).isEmpty());
    assertTrue(monitor.peer(b).isPresent(), "active: kept");
    s.received(7);
    assertEquals(7, monitor.peer(a).orElseThrow().totalIn(), "counted again, from the forgetting on");
    assertEquals(7, monitor.protocol(BITSWAP).orElseThrow().totalIn());
    assertEquals(167, monitor.total().totalIn(), "the total never forgets");
  }

  @Test
  void statsBwAnswersInKubosShape() throws Exception {
    StatsBwCommand command = new StatsBwCommand(monitor);
    stream(a, BITSWAP).received(1000);
    stream(b, PING).sent(32);
    assertEquals(Map.of("TotalIn", 1000L, "TotalOut", 32L, "RateIn", 0.0, "RateOut", 0.0),
        TestRpc.json(command, new TestRpc.Request()));
    assertEquals(Map.of("TotalIn", 1000L, "TotalOut", 0L, "RateIn", 0.0, "RateOut", 0.0),
        TestRpc.json(command, new TestRpc.Request().option("peer", a.toString())));
    assertEquals(Map.of("TotalIn", 0L, "TotalOut", 32L, "RateIn", 0.0, "RateOut", 0.0),
        TestRpc.json(command, new TestRpc.Request().option("proto", PING)));
    assertEquals(Map.of("TotalIn", 0L, "TotalOut", 0L, "RateIn", 0.0, "RateOut", 0.0),
        TestRpc.json(command, new TestRpc.Request().option("proto", "/unknown/1.0.0")), "unknown reads zero, as Kubo");

    RpcException both = TestRpc.error(command, new TestRpc.Request().option("peer", a.toString()).option("proto", PING));
    assertEquals(RpcException.Code.CLIENT, both.code());
    assertEquals("please only specify peer OR protocol", both.getMessage());
    RpcException badPeer = TestRpc.error(command, new TestRpc.Request().option("peer", "not-a-peer"));
    assertEquals(RpcException.Code.CLIENT, badPeer.code());
    RpcException badInterval = TestRpc.error(command, new TestRpc.Request().option("poll", "true").option("interval", "1x"));
    assertTrue(badInterval.getMessage().contains("interval"), badInterval.getMessage());
    RpcException tooShort = TestRpc.error(command, new TestRpc.Request().option("poll", "true").option("interval", "1ms"));
    assertTrue(tooShort.getMessage().contains("outside"), tooShort.getMessage());
  }

  /** A poll writes a line each interval until the request ends (here: the thread is interrupted, as at its deadline). */
  @Test
  void statsBwPollsUntilTheRequestEnds() throws Exception {
    StatsBwCommand command = new StatsBwCommand(monitor);
    TestRpc.Response response = new TestRpc.Response();
    Thread poller = new Thread(() -> {
      try {
        command.execute(new TestRpc.Request().option("poll", "true").option("interval", "20ms"), response);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    poller.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (response.lines.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    poller.interrupt();
    poller.join(5_000);
    assertTrue(!poller.isAlive(), "the poll ended with the request");
    List<Object> lines = List.copyOf(response.lines);
    assertTrue(lines.size() >= 3, lines.toString());
    assertEquals(Map.of("TotalIn", 0L, "TotalOut", 0L, "RateIn", 0.0, "RateOut", 0.0), lines.get(0));
    assertEquals(Duration.ofMillis(10), StatsBwCommand.MIN_INTERVAL);
  }
}
