package io.cairn.net.peering.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.internal.StandaloneHost;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.net.Peering;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.rpc.RpcException;
import io.cairn.testing.Components;
import io.cairn.testing.TestRpc;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.BundleContext;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeeringServiceTest {
  private static PeeringConfig config(Map<String, Object> values) {
    return (PeeringConfig) Components.config(PeeringConfig.class, values);
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(20);
    }
  }

  private static ConnManager connManager(StandaloneHost host) {
    // Outside a framework the manager's inbound gate has nowhere to register: a context that takes nothing.
    BundleContext none = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
        new Class<?>[] {BundleContext.class}, (p, m, a) -> null);
    return Components.createWith(ConnManager.class, "io.cairn.net.connmgr.internal.AdaptiveConnManager", Map.of(),
        none, host.host(), Components.logger());
  }

  /** A configured peer is dialled and protected; when its connection drops it is dialled again. */
  @Test
  void aConfiguredPeerIsDialledProtectedAndRedialledWhenItsConnectionDrops() throws Exception {
    try (StandaloneHost server = StandaloneHost.loopback(); StandaloneHost client = StandaloneHost.loopback()) {
      PeerId serverId = server.host().peerId();
      String address = server.host().listenAddresses().get(0).withPeerId(serverId).toString();
      ConnManager cm = connManager(client);
      List<String> log = new ArrayList<>();
      PeeringService peering = new PeeringService(client.host(), Components.logger(log),
          config(Map.of("peers", new String[] {address}, "initialBackoffSeconds", 1)), new SplittableRandom(1));
      peering.bindConnManager(cm);
      try {
        eventually("dialled at once", () -> client.host().connection(serverId).isPresent());
        assertTrue(cm.isProtected(serverId, Peering.PROTECT_TAG));
        assertEquals(Map.of(serverId, List.of(Multiaddr.parse(address).withoutPeerId())), peering.peers());

        // The server drops us (a restart, a trim on its side): we dial again after the backoff.
        server.host().connection(client.host().peerId()).orElseThrow().close().get(10, TimeUnit.SECONDS);
        eventually("the drop seen", () -> client.host().connection(serverId).isEmpty());
        long dropped = System.nanoTime();
        eventually("redialled", () -> client.host().connection(serverId).isPresent());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dropped);
        assertTrue(ms >= 500 && ms < 10_000, "redialled after " + ms + " ms (initial backoff 1 s)");

        // Removed from the configuration: no longer protected, no longer redialled.
        peering.modified(config(Map.of("peers", new String[0], "initialBackoffSeconds", 1)));
        assertTrue(peering.peers().isEmpty());
        assertTrue(!cm.isProtected(serverId, Peering.PROTECT_TAG));
        client.host().connection(serverId).orElseThrow().close().get(10, TimeUnit.SECONDS);
        Thread.sleep(2_500);
        assertTrue(client.host().connection(serverId).isEmpty(), "not redialled");
      } finally {
        peering.deactivate();
      }
    }
  }

  /** boxo's backoff: each delay 1.5 to 2.5 times the last, and past the maximum within its last 10%. */
  @Test
  void theBackoffGrowsByHalfAndARandomPartAndStaysUnderTheMaximum() {
    try (StandaloneHost host = StandaloneHost.loopback()) {
      PeeringService peering = new PeeringService(host.host(), Components.logger(), config(Map.of()), new SplittableRandom(3));
      try {
        Duration max = Duration.ofMinutes(10);
        Duration d = Duration.ofSeconds(5);
        for (int i = 0; i < 30; i++) {
          Duration next = peering.next(d, max);
          if (d.multipliedBy(5).dividedBy(2).compareTo(max) <= 0) {
            assertTrue(next.compareTo(d.multipliedBy(3).dividedBy(2)) >= 0 && next.compareTo(d.multipliedBy(5).dividedBy(2)) < 0,
                d + " -> " + next);
          }
          assertTrue(next.compareTo(max) <= 0 && (next.compareTo(max.multipliedBy(9).dividedBy(10)) >= 0
              || next.compareTo(d.multipliedBy(5).dividedBy(2)) < 0), d + " -> " + next);
          d = next;
        }
        assertTrue(d.compareTo(max.multipliedBy(9).dividedBy(10)) >= 0, "at the cap after 30 steps: " + d);
      } finally {
        peering.deactivate();
      }
    }
  }

  @Test
  void invalidPeersAreRefusedNamingTheKey() {
    InvalidConfigException noId = assertThrows(InvalidConfigException.class,
        () -> PeeringSettings.of(config(Map.of("peers", new String[] {"/ip4/127.0.0.1/tcp/4001"}))));
    assertEquals("peers", noId.key());
    InvalidConfigException garbage = assertThrows(InvalidConfigException.class,
        () -> PeeringSettings.of(config(Map.of("peers", new String[] {"not an address"}))));
    assertEquals("peers", garbage.key());
    InvalidConfigException backoff = assertThrows(InvalidConfigException.class,
        () -> PeeringSettings.of(config(Map.of("initialBackoffSeconds", 60, "maxBackoffSeconds", 30))));
    assertEquals("maxBackoffSeconds", backoff.key());
  }

  /** Kubo's swarm/peering/add, ls and rm shapes. */
  @Test
  void theRpcCommandsChangeTheRunningSet() throws Exception {
    try (StandaloneHost server = StandaloneHost.loopback(); StandaloneHost client = StandaloneHost.loopback()) {
      PeeringService peering = new PeeringService(client.host(), Components.logger(), config(Map.of()), new SplittableRandom(1));
      try {
        PeerId serverId = server.host().peerId();
        Multiaddr address = server.host().listenAddresses().get(0);
        TestRpc.Response added = new TestRpc.Response();
        assertEquals(null, TestRpc.run(new PeeringCommands.Add(peering),
            new TestRpc.Request().arg(address.withPeerId(serverId).toString()), added));
        assertEquals(List.of(Map.of("ID", serverId.toString(), "Status", "success")), added.lines);
        eventually("dialled", () -> client.host().connection(serverId).isPresent());
        assertEquals(Map.of("Peers", List.of(Map.of("ID", serverId.toString(), "Addrs", List.of(address.toString())))),
            TestRpc.json(new PeeringCommands.Ls(peering), new TestRpc.Request()));

        RpcException noPeer = TestRpc.error(new PeeringCommands.Add(peering), new TestRpc.Request().arg(address.toString()));
        assertEquals(RpcException.Code.CLIENT, noPeer.code());
        RpcException badId = TestRpc.error(new PeeringCommands.Rm(peering), new TestRpc.Request().arg("not-a-peer"));
        assertEquals(RpcException.Code.CLIENT, badId.code());

        TestRpc.Response removed = new TestRpc.Response();
        TestRpc.run(new PeeringCommands.Rm(peering), new TestRpc.Request().arg(serverId.toString()), removed);
        assertEquals(List.of(Map.of("ID", serverId.toString(), "Status", "success")), removed.lines);
        assertEquals(Map.of("Peers", List.of()), TestRpc.json(new PeeringCommands.Ls(peering), new TestRpc.Request()));
      } finally {
        peering.deactivate();
      }
    }
  }
}
