package io.cairn.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.libp2p.Connection;
import io.cairn.libp2p.Host;
import io.cairn.libp2p.PeerInfo;
import io.cairn.libp2p.StreamHandler;
import io.cairn.multiformats.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Cairn's libp2p stack against real js-libp2p 3 (TCP, @chainsafe/libp2p-noise, @chainsafe/libp2p-yamux,
 * identify, ping) from npm, both directions: identify, ping, 100 concurrent echo streams, and 64 MiB
 * through one stream, checksummed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Libp2pInteropIT {
  private static final long MIB = 1024 * 1024;

  @Inject BundleContext context;
  @Inject Host host;
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

  @Configuration
  public Option[] config() {
    return new Option[] {
        CairnOptions.node(CairnOptions.tempDir("cairn-interop"), CairnOptions.tempDir("cairn-interop-conf"), CairnOptions.freePort()),
        frameworkProperty("cairn.swarm.address").value("/ip4/127.0.0.1/tcp/0")};
  }

  @Before
  public void serveTestProtocols() {
    registrations.add(register(TestProtocols.ECHO, TestProtocols.ECHO_SERVER));
    registrations.add(register(TestProtocols.SINK, TestProtocols.SINK_SERVER));
  }

  @After
  public void withdrawTestProtocols() {
    registrations.forEach(ServiceRegistration::unregister);
  }

  private ServiceRegistration<?> register(String protocol, StreamHandler handler) {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(StreamHandler.PROTOCOL, protocol);
    return context.registerService(StreamHandler.class, handler, props);
  }

  private String cairnAddress() {
    return host.listenAddresses().get(0).withPeerId(host.peerId()).toString();
  }

  @Test
  public void jsDialsCairnIdentifiesPingsAndEchoes() throws Exception {
    try (JsPeer js = JsPeer.start("dial", cairnAddress(), "identify")) {
      JsonNode id = js.awaitEvent("identified", 60);
      int exit1 = js.awaitExit(30);
      assertEquals(js.describe(), 0, exit1);
      assertEquals(host.peerId().toString(), id.path("peerId").asText());
      assertTrue(id.toString(), id.path("agentVersion").asText().startsWith("cairn/"));
      String protocols = id.path("protocols").toString();
      for (String p : List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", TestProtocols.ECHO, TestProtocols.SINK)) {
        assertTrue(p + " in " + protocols, protocols.contains(p));
      }
    }
    try (JsPeer js = JsPeer.start("dial", cairnAddress(), "ping", "3")) {
      int exit2 = js.awaitExit(60);
      assertEquals(js.describe(), 0, exit2);
    }
    try (JsPeer js = JsPeer.start("dial", cairnAddress(), "echo-concurrent", "100", "65536")) {
      int exit3 = js.awaitExit(120);
      assertEquals(js.describe(), 0, exit3);
      assertTrue(js.awaitEvent("echo", 1).path("ok").asBoolean());
    }
  }

  @Test
  public void jsSends64MiBThroughOneStream() throws Exception {
    try (JsPeer js = JsPeer.start("dial", cairnAddress(), "sink", "64")) {
      int exit4 = js.awaitExit(300);
      assertEquals(js.describe(), 0, exit4);
      JsonNode result = js.awaitEvent("sink", 1);
      assertTrue(result.toString(), result.path("ok").asBoolean());
      assertEquals(64 * MIB, result.path("bytes").asLong());
      System.out.println("js -> cairn 64 MiB sink: " + result);
    }
  }

  @Test
  public void cairnDialsJsIdentifiesPingsEchoesAndSends64MiB() throws Exception {
    try (JsPeer js = JsPeer.start("listen")) {
      JsonNode listening = js.awaitEvent("listening", 60);
      Multiaddr jsAddress = Multiaddr.parse(listening.path("addrs").get(0).asText());
      Connection c = host.connect(jsAddress).get(30, TimeUnit.SECONDS);
      assertEquals(listening.path("peerId").asText(), c.remotePeer().toString());
      assertEquals("/noise", c.security());
      assertEquals("/yamux/1.0.0", c.muxer());

      PeerInfo info = awaitPeerInfo(c);
      assertTrue(info.toString(), info.agentVersion().startsWith("js-libp2p/"));
      assertTrue(info.toString(), info.protocols().containsAll(List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", TestProtocols.ECHO)));
      JsonNode jsSawUs = js.await(e -> "identified".equals(e.path("event").asText())
          && host.peerId().toString().equals(e.path("peerId").asText()), 30);
      assertTrue(jsSawUs.toString(), jsSawUs.path("protocols").toString().contains(TestProtocols.SINK));

      // A protocol registered now reaches the connected peer by identify push.
      registrations.add(register("/cairn/late/1.0.0", TestProtocols.ECHO_SERVER));
      JsonNode pushed = js.await(e -> "updated".equals(e.path("event").asText())
          && e.path("protocols").toString().contains("/cairn/late/1.0.0"), 30);
      assertEquals(host.peerId().toString(), pushed.path("peerId").asText());

      for (int i = 0; i < 3; i++) {
        Duration rtt = host.ping(c.remotePeer()).get(10, TimeUnit.SECONDS);
        assertTrue(rtt.toString(), rtt.toMillis() < 1000);
      }

      List<TestProtocols.Exchange> echoes = new ArrayList<>();
      List<CompletableFuture<?>> opened = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        TestProtocols.Exchange echo = new TestProtocols.Exchange(64 * 1024, i, false);
        echoes.add(echo);
        opened.add(c.openStream(List.of(TestProtocols.ECHO), echo));
      }
      CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      for (TestProtocols.Exchange echo : echoes) {
        assertArrayEquals(echo.sentDigest.digest(), echo.received.get(60, TimeUnit.SECONDS));
      }

      TestProtocols.Exchange sink = new TestProtocols.Exchange(64 * MIB, 42, true);
      long start = System.nanoTime();
      c.openStream(List.of(TestProtocols.SINK), sink).get(30, TimeUnit.SECONDS);
      String reply = new String(sink.received.get(300, TimeUnit.SECONDS), StandardCharsets.UTF_8).trim();
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(reply, reply.contains("\"bytes\":" + 64 * MIB));
      assertTrue(reply, reply.contains(HexFormat.of().formatHex(sink.sentDigest.digest())));
      System.out.printf("cairn -> js 64 MiB sink: %.1f MB/s%n", 64 * MIB / 1e6 / seconds);
    }
  }

  private PeerInfo awaitPeerInfo(Connection c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      var info = host.peerInfo(c.remotePeer());
      if (info.isPresent()) {
        return info.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("identify of " + c.remotePeer() + " did not complete");
  }
}
