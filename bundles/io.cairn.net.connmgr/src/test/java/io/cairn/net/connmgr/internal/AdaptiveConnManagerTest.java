package io.cairn.net.connmgr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.internal.StandaloneHost;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.net.spi.TrimCandidate;
import io.cairn.net.spi.TrimOrder;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.testing.Components;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The manager on a real host, peers dialling it over Noise and yamux on loopback. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AdaptiveConnManagerTest {
  private final List<StandaloneHost> hosts = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final StandaloneHost server = host();
  private AdaptiveConnManager manager;

  private StandaloneHost host() {
    StandaloneHost h = StandaloneHost.loopback();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void close() {
    if (manager != null) {
      manager.deactivate();
    }
    hosts.forEach(StandaloneHost::close);
  }

  private static ConnManagerConfig config(Map<String, Object> values) {
    Map<String, Object> all = new HashMap<>(Map.of("gracePeriodSeconds", 0, "silencePeriodSeconds", 1));
    all.putAll(values);
    return (ConnManagerConfig) Components.config(ConnManagerConfig.class, all);
  }

  private AdaptiveConnManager manager(Map<String, Object> values, AtomicLong clock) {
    manager = new AdaptiveConnManager(server.host(), Components.logger(log), config(values),
        clock == null ? System::nanoTime : clock::get, Clock.systemUTC());
    return manager;
  }

  private List<StandaloneHost> connectClients(int count) throws Exception {
    Multiaddr address = server.host().listenAddresses().get(0).withPeerId(server.host().peerId());
    List<StandaloneHost> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StandaloneHost c = host();
      c.host().connect(address).get(30, TimeUnit.SECONDS);
      clients.add(c);
    }
    eventually("the server sees " + count + " connections", () -> server.host().connections().size() >= count);
    return clients;
  }

  private Set<PeerId> connectedAtServer() {
    return server.host().connections().stream().filter(Connection::isOpen).map(Connection::remotePeer)
        .collect(Collectors.toSet());
  }

  private static PeerId id(StandaloneHost h) {
    return h.host().peerId();
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(10);
    }
  }

  /**
   * Lowering high water under the count trims at once (the seed's SetDynamicLimits): protected peers and
   * the most valuable stay, down to low water besides the protected.
   */
  @Test
  void aLiveRetuneTrimsToLowWaterLowestValueFirstAndNeverAProtectedPeer() throws Exception {
    manager(Map.of("highWater", 100, "lowWater", 50), null);
    List<StandaloneHost> clients = connectClients(12);
    manager.protect(id(clients.get(0)), "peering");
    manager.protect(id(clients.get(1)), "peering");
    for (int i = 2; i < 5; i++) {
      manager.tagPeer(id(clients.get(i)), "bitswap", 100);
    }
    manager.tagPeer(id(clients.get(5)), "bitswap", 1);
    assertEquals(12, manager.info().connections());
    assertEquals(2, manager.info().protectedPeers());

    manager.modified(config(Map.of("highWater", 10, "lowWater", 5)));
    // 10 candidates (12 less 2 protected): the 5 least valuable go, 5 stay beside the protected.
    eventually("trimmed to 7", () -> connectedAtServer().size() == 7 && manager.info().connections() == 7);
    Set<PeerId> kept = connectedAtServer();
    for (int i = 0; i < 6; i++) {
      assertTrue(kept.contains(id(clients.get(i))), "client " + i + " kept");
    }
    assertEquals(5, manager.info().trimmed());
    assertTrue(manager.info().lastTrim().isPresent());
    assertTrue(log.stream().noneMatch(l -> l.startsWith("ERROR")), log.toString());
  }

  @Test
  void peersInTheirGracePeriodAreNotTrimmedUntilItEnds() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    manager(Map.of("highWater", 3, "lowWater", 2, "gracePeriodSeconds", 60), clock);
    connectClients(5);
    // Over high water, but every peer is in its grace period: nothing to trim.
    assertEquals(0, manager.trim().get(10, TimeUnit.SECONDS));
    assertEquals(5, connectedAtServer().size());
    clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
    assertEquals(3, manager.trim().get(10, TimeUnit.SECONDS));
    eventually("trimmed to low water", () -> connectedAtServer().size() == 2);
  }

  @Test
  void inboundConnectionsPastTheCeilingAreRefusedAtAccept() throws Exception {
    manager(Map.of("highWater", 4, "lowWater", 2, "gracePeriodSeconds", 3600, "maxInboundConnections", 4), null);
    server.gate(manager);
    List<StandaloneHost> clients = connectClients(4);
    Multiaddr address = server.host().listenAddresses().get(0).withPeerId(server.host().peerId());
    StandaloneHost fifth = host();
    assertThrows(Exception.class, () -> fifth.host().connect(address).get(30, TimeUnit.SECONDS));
    clients.get(0).host().connections().iterator().next().close().get(10, TimeUnit.SECONDS);
    eventually("one connection fewer", () -> manager.info().connections() == 3);
    assertEquals(id(server), fifth.host().connect(address).get(30, TimeUnit.SECONDS).remotePeer());
  }

  /** A trim order strategy decides who goes; one that throws is dropped for go-libp2p's order. */
  @Test
  void theTrimOrderStrategyDecidesAndAThrowingOneFallsBack() throws Exception {
    manager(Map.of("highWater", 100, "lowWater", 50), null);
    List<StandaloneHost> clients = connectClients(6);
    for (int i = 0; i < 3; i++) {
      manager.tagPeer(id(clients.get(i)), "bitswap", 100);
    }
    // Most valuable first: the opposite of go-libp2p's.
    TrimOrder mostValuableFirst = () -> Comparator.comparingInt(TrimCandidate::value).reversed();
    manager.bindTrimOrder(mostValuableFirst, Map.of(TrimOrder.STRATEGY, "reversed", "service.id", 1L, "service.ranking", 10));
    assertEquals("reversed", manager.trimOrderInUse());
    manager.modified(config(Map.of("highWater", 5, "lowWater", 3)));
    eventually("trimmed to 3", () -> connectedAtServer().size() == 3);
    for (int i = 3; i < 6; i++) {
      assertTrue(connectedAtServer().contains(id(clients.get(i))), "untagged client " + i + " kept by the reversed order");
    }

    TrimOrder broken = () -> {
      throw new IllegalStateException("broken strategy");
    };
    manager.bindTrimOrder(broken, Map.of(TrimOrder.STRATEGY, "broken", "service.id", 2L, "service.ranking", 20));
    manager.unbindTrimOrder(mostValuableFirst);
    manager.modified(config(Map.of("highWater", 100, "lowWater", 50)));
    List<StandaloneHost> more = connectClients(3);
    manager.tagPeer(id(more.get(0)), "bitswap", 100);
    manager.modified(config(Map.of("highWater", 3, "lowWater", 1)));
    eventually("trimmed to 1", () -> connectedAtServer().size() == 1);
    assertEquals(Set.of(id(more.get(0))), connectedAtServer(), "go-libp2p's order: the one tagged peer stays");
    assertTrue(log.stream().anyMatch(l -> l.contains("broken") && l.contains("threw")), log.toString());
  }

  @Test
  void invalidWatermarksAreRefusedNamingTheKey() {
    InvalidConfigException low = assertThrows(InvalidConfigException.class,
        () -> ConnManagerSettings.of(config(Map.of("highWater", 10, "lowWater", 10))));
    assertEquals("lowWater", low.key());
    InvalidConfigException inbound = assertThrows(InvalidConfigException.class,
        () -> ConnManagerSettings.of(config(Map.of("highWater", 10, "lowWater", 5, "maxInboundConnections", 9))));
    assertEquals("maxInboundConnections", inbound.key());
    assertEquals(20, ConnManagerSettings.of(config(Map.of("highWater", 10, "lowWater", 5))).maxInbound(),
        "0: twice high water");
    assertEquals(Duration.ofSeconds(30), ConnManagerSettings.of(config(Map.of("gracePeriodSeconds", 30))).gracePeriod());
  }
}
