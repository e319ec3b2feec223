package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.Multiaddr;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Two Cairn platforms: this OSGi test framework and a {@code bin/cairn daemon} process. They connect,
 * identify and ping each other, then 1,000 connections are opened and closed in a loop: afterwards no
 * connection, channel or thread is left over.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Libp2pCairnIT {
  @Inject BundleContext context;
  @Inject Host host;

  @Configuration
  public Option[] config() {
    return new Option[] {
        CairnOptions.node(CairnOptions.tempDir("cairn-a"), CairnOptions.tempDir("cairn-a-conf"), CairnOptions.freePort()),
        frameworkProperty("cairn.swarm.address").value("/ip4/127.0.0.1/tcp/0")};
  }

  @Test
  public void twoNodesConnectIdentifyPingAndCycleAThousandConnections() throws Exception {
    Path home = CairnOptions.tempDir("cairn-b");
    int swarmPort = CairnOptions.freePort();
    try (CairnProcess other = CairnProcess.daemon(home, "--swarm-address", "/ip4/127.0.0.1/tcp/" + swarmPort)) {
      String rpcBase = other.awaitRpcBase(60);
      assertFalse(other.output(), rpcBase.isEmpty());
      Multiaddr otherAddress = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + swarmPort + "/p2p/" + other.peerId());

      Connection c = host.connect(otherAddress).get(30, TimeUnit.SECONDS);
      assertEquals(other.peerId(), c.remotePeer().toString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (host.peerInfo(c.remotePeer()).isEmpty()) {
        assertTrue("identify did not complete", System.nanoTime() < deadline);
        Thread.sleep(20);
      }
      assertTrue(host.peerInfo(c.remotePeer()).get().agentVersion().startsWith("cairn/"));
      host.ping(c.remotePeer()).get(10, TimeUnit.SECONDS);

      // The other node sees us through its RPC, in Kubo's shape, and pings us back.
      Rpc rpc = new Rpc(rpcBase);
      HttpResponse<String> peers = rpc.post("/api/v0/swarm/peers");
      assertTrue(peers.body(), peers.body().contains("\"Peer\":\"" + host.peerId() + "\""));
      HttpResponse<String> ping = rpc.post("/api/v0/ping?arg=" + host.peerId() + "&count=2");
      assertEquals(ping.body(), 200, ping.statusCode());
      assertTrue(ping.body(), ping.body().contains("Average latency"));
      HttpResponse<String> id = rpc.post("/api/v0/id");
      assertTrue(id.body(), id.body().contains("/ip4/127.0.0.1/tcp/" + swarmPort + "/p2p/" + other.peerId()));
      assertTrue(id.body(), id.body().contains("/ipfs/id/1.0.0"));

      c.close().get(10, TimeUnit.SECONDS);
      awaitNoConnections();
      int threadsBefore = Thread.activeCount();
      for (int i = 0; i < 1000; i++) {
        Connection next = host.connect(otherAddress).get(30, TimeUnit.SECONDS);
        next.close().get(10, TimeUnit.SECONDS);
      }
      awaitNoConnections();
      HttpResponse<String> after = rpc.post("/api/v0/swarm/peers");
      long peersDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!after.body().contains("\"Peers\":null")) {
        assertTrue("the other node still lists connections: " + after.body(), System.nanoTime() < peersDeadline);
        Thread.sleep(50);
        after = rpc.post("/api/v0/swarm/peers");
      }
      assertTrue("threads grew from " + threadsBefore + " to " + Thread.activeCount(), Thread.activeCount() <= threadsBefore + 4);
    }
  }

  private void awaitNoConnections() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!host.connections().isEmpty()) {
      assertTrue("connections left: " + host.connections(), System.nanoTime() < deadline);
      Thread.sleep(20);
    }
  }
}
