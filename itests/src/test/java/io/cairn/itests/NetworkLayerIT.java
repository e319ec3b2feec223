package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.libp2p.Connection;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.net.BandwidthMonitor;
import io.cairn.net.ConnManager;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.KeepAlive;
import io.cairn.net.Peering;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * The network layer in a node (this OSGi framework) with three {@code bin/cairn daemon} peers: Kubo's
 * {@code swarm/peers} verbose fields and {@code stats/bw} on a peer; connection quality of the peers; and
 * the connection manager retuned through ConfigAdmin, trimming the least valuable peer at once and never
 * the protected one; the keep-alive manager and peering retuned live; an invalid value of every network
 * PID refused naming its key.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NetworkLayerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject BundleContext context;
  @Inject Host host;
  @Inject ConnManager connManager;
  @Inject ConnectionQualities qualities;
  @Inject BandwidthMonitor bandwidth;
  @Inject ConfigurationAdmin configAdmin;
  @Inject KeepAlive keepAlive;
  @Inject Peering peering;
  @Inject LogReaderService logReader;

  @Configuration
  public Option[] config() {
    return new Option[] {
        CairnOptions.node(CairnOptions.tempDir("cairn-net"), CairnOptions.tempDir("cairn-net-conf"), CairnOptions.freePort()),
        frameworkProperty("cairn.swarm.address").value("/ip4/127.0.0.1/tcp/0")};
  }

  private record Peer(CairnProcess process, Multiaddr address, Rpc rpc) {
    PeerId id() throws InterruptedException {
      return PeerId.parse(process.peerId());
    }
  }

  @Test
  public void kuboShapesQualityAndALiveRetuneOfTheConnectionManager() throws Exception {
    List<CairnProcess> processes = new ArrayList<>();
    try {
      List<Integer> ports = List.of(CairnOptions.freePort(), CairnOptions.freePort(), CairnOptions.freePort());
      for (int i = 0; i < 3; i++) {
        processes.add(CairnProcess.daemon(CairnOptions.tempDir("cairn-net-" + i), "--swarm-address",
            "/ip4/127.0.0.1/tcp/" + ports.get(i)));
      }
      List<Peer> peers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        CairnProcess p = processes.get(i);
        String rpcBase = p.awaitRpcBase(90);
        assertFalse(p.output(), rpcBase.isEmpty());
        peers.add(new Peer(p, Multiaddr.parse("/ip4/127.0.0.1/tcp/" + ports.get(i) + "/p2p/" + p.peerId()), new Rpc(rpcBase)));
      }
      Peer b = peers.get(0);
      Peer c = peers.get(1);
      Peer d = peers.get(2);
      for (Peer p : peers) {
        host.connect(p.address()).get(30, TimeUnit.SECONDS);
      }
      host.ping(b.id()).get(10, TimeUnit.SECONDS);

      // Kubo's shapes, as B answers about us.
      eventually("identify and the muxer's first round trip", () -> verbosePeer(b).path("Latency").asText().endsWith("s"));
      JsonNode us = verbosePeer(b);
      assertEquals(1, us.path("Direction").asInt()); // we dialled B: inbound there
      assertEquals(host.peerId().toString(), us.path("Identify").path("ID").asText());
      assertTrue(us.toString(), us.path("Identify").path("Protocols").toString().contains("/ipfs/bitswap/1.2.0"));
      assertTrue(us.toString(), us.path("Streams").isArray());
      JsonNode plain = JSON.readTree(b.rpc().post("/api/v0/swarm/peers").body()).path("Peers").get(0);
      assertTrue(plain.toString(), plain.path("Latency").isMissingNode() && plain.path("Direction").isMissingNode());
      JsonNode bw = JSON.readTree(b.rpc().post("/api/v0/stats/bw").body());
      assertTrue(bw.toString(), bw.path("TotalIn").asLong() >= 32 && bw.has("RateOut"));
      JsonNode ping = JSON.readTree(b.rpc().post("/api/v0/stats/bw?proto=/ipfs/ping/1.0.0").body());
      assertTrue(ping.toString(), ping.path("TotalIn").asLong() >= 32 && ping.path("TotalOut").asLong() >= 32);
      assertEquals(400, b.rpc().post("/api/v0/stats/bw?proto=/ipfs/ping/1.0.0&peer=" + host.peerId()).statusCode());

      // Our side: the peers' quality, and the bytes we exchanged with B.
      eventually("B's latency measured", () -> qualities.connectionQuality(idOf(b)).flatMap(q -> q.latency()).isPresent());
      assertTrue(bandwidth.peer(idOf(b)).orElseThrow().totalOut() >= 32);

      // SetDynamicLimits: high water under the count trims at once; C is protected, B tagged, D goes.
      connManager.protect(idOf(c), "itest");
      connManager.tagPeer(idOf(b), "itest", 100);
      assertEquals(3, connManager.info().connections());
      update("io.cairn.net.connmgr", "highWater", 2, "lowWater", 1, "gracePeriodSeconds", 0);
      eventually("trimmed to B and C", () -> connected().equals(Set.of(idOf(b), idOf(c))));
      assertEquals(1, connManager.info().trimmed());

      // Every other part retuned live, its effect seen through its service.
      update("io.cairn.net.keepalive", "intervalSeconds", 5, "timeoutSeconds", 2);
      eventually("keep-alive retuned", () -> keepAlive.status().interval().toSeconds() == 5);
      assertEquals("the trim's victim is no longer kept alive", 2, keepAlive.status().connections());
      update("io.cairn.net.peering", "peers", new String[] {d.address().toString()}, "initialBackoffSeconds", 1);
      eventually("D peered again: redialled and protected", () -> connected().contains(idOf(d))
          && connManager.isProtected(idOf(d), Peering.PROTECT_TAG));

      // An invalid value of each is refused naming its PID and key; the previous value stays.
      BlockingQueue<String> warnings = new LinkedBlockingQueue<>();
      LogListener listener = entry -> {
        if (entry.getLogLevel() == LogLevel.WARN && entry.getMessage().startsWith("Rejected configuration")) {
          warnings.add(entry.getMessage());
        }
      };
      logReader.addLogListener(listener);
      try {
        refused(warnings, "io.cairn.net.connmgr", "lowWater", "highWater", 2, "lowWater", 5, "gracePeriodSeconds", 0);
        assertEquals("the previous value stays", 1, connManager.info().lowWater());
        refused(warnings, "io.cairn.net.keepalive", "timeoutSeconds", "intervalSeconds", 5, "timeoutSeconds", 0);
        assertEquals(2, keepAlive.status().timeout().toSeconds());
        refused(warnings, "io.cairn.net.peering", "peers", "peers", new String[] {"/ip4/127.0.0.1/tcp/1"});
        assertTrue(peering.peers().containsKey(idOf(d)));
        refused(warnings, "io.cairn.net.routing", "errorRateThreshold", "errorRateThreshold", 1.5);
        refused(warnings, "io.cairn.net.quality", "latencySmoothing", "latencySmoothing", 0.0);
        refused(warnings, "io.cairn.net.bandwidth", "forgetIdleSeconds", "forgetIdleSeconds", 1);
      } finally {
        logReader.removeLogListener(listener);
      }
    } finally {
      processes.forEach(CairnProcess::close);
      for (String pid : List.of("io.cairn.net.connmgr", "io.cairn.net.keepalive", "io.cairn.net.peering",
          "io.cairn.net.routing", "io.cairn.net.quality", "io.cairn.net.bandwidth")) {
        configAdmin.getConfiguration(pid, "?").delete();
      }
    }
  }

  /** Updates {@code pid} with {@code keyValues} and waits for its rejection naming {@code key}. */
  private void refused(BlockingQueue<String> warnings, String pid, String key, Object... keyValues) throws Exception {
    warnings.clear();
    update(pid, keyValues);
    String rejection = warnings.poll(20, TimeUnit.SECONDS);
    assertTrue("no rejection logged for " + pid + " " + key, rejection != null);
    assertTrue(rejection, rejection.contains(pid) && rejection.contains(key));
  }

  private static PeerId idOf(Peer p) {
    try {
      return p.id();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private Set<PeerId> connected() {
    return host.connections().stream().filter(Connection::isOpen).map(Connection::remotePeer).collect(Collectors.toSet());
  }

  /** What {@code p} answers about us in {@code swarm/peers?verbose=true}. */
  private JsonNode verbosePeer(Peer p) {
    try {
      for (JsonNode n : JSON.readTree(p.rpc().post("/api/v0/swarm/peers?verbose=true").body()).path("Peers")) {
        if (n.path("Peer").asText().equals(host.peerId().toString())) {
          return n;
        }
      }
      return JSON.createObjectNode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void update(String pid, Object... keyValues) throws Exception {
    org.osgi.service.cm.Configuration cfg = configAdmin.getConfiguration(pid, "?");
    Dictionary<String, Object> props = new Hashtable<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put((String) keyValues[i], keyValues[i + 1]);
    }
    cfg.update(props);
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(what, System.nanoTime() < deadline);
      Thread.sleep(50);
    }
  }
}
