package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.libp2p.Connection;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The muxer race of issue 5, repeated (issue 12): many connections, each with many concurrent echo
 * streams of random sizes written in random pieces, streams refused by multistream-select and streams
 * reset mid-write interleaved among them, every byte compared ({@link StreamStress},
 * itests/interop/muxer-stress.mjs). Between real hosts of this JVM (Cairn to Cairn, both directions at
 * once) and against js-libp2p both ways, for {@code -Dcairn.stress.rounds} rounds each (3 by default, of 2
 * connections x (30 echo + 4 refused + 4 reset streams); bench/muxer-stress.sh runs 1,000 rounds of 4 x
 * (50 + 5 + 5)), stopping at the first wrong byte. A wrong byte is reported with its offset and where
 * the bytes received were sent; a stall, with each side's flow-control state.
 */
class MuxerStressTest {
  // CI's short version; bench/muxer-stress.sh passes 1,000 rounds of 4 connections x (50 + 5 + 5) streams.
  private static final int ROUNDS = Integer.getInteger("cairn.stress.rounds", 3);
  private static final int CONNECTIONS = Integer.getInteger("cairn.stress.connections", 2);
  private static final StreamStress.Settings SETTINGS = new StreamStress.Settings(
      Integer.getInteger("cairn.stress.streams", 30), Integer.getInteger("cairn.stress.refusals", 4),
      Integer.getInteger("cairn.stress.resets", 4), Integer.getInteger("cairn.stress.maxBytes", 512 * 1024));
  private static final long SEED = Long.getLong("cairn.stress.seed", System.nanoTime());

  private final List<InJvmHost> hosts = new ArrayList<>();

  @AfterEach
  void closeHosts() {
    for (InJvmHost h : hosts) {
      h.problems.forEach(line -> System.out.println(h.host.peerId() + ": " + line));
    }
    hosts.forEach(InJvmHost::close);
  }

  private InJvmHost host() {
    InJvmHost h = InJvmHost.start(1);
    h.serve(TestProtocols.ECHO, TestProtocols.ECHO_SERVER);
    hosts.add(h);
    return h;
  }

  @Test
  void cairnToCairnBothDirectionsAtOnce() throws Exception {
    InJvmHost server = host();
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      InJvmHost client = host();
      Connection c = client.host.connect(server.address()).get(30, TimeUnit.SECONDS);
      connections.add(c);
      connections.add(awaitConnection(server, client.host.peerId()));
    }
    run(connections, "Cairn <-> Cairn");
    for (InJvmHost h : hosts) {
      assertEquals(List.of(), h.problems, "warnings or errors logged");
    }
  }

  @Test
  void cairnDialsJsLibp2p() throws Exception {
    InJvmHost cairn = host();
    try (InteropProcess js = InteropProcess.run("muxer-stress.mjs", "listen", "--nodes", Integer.toString(CONNECTIONS))) {
      JsonNode listening = js.awaitEvent("listening", 60);
      List<Connection> connections = new ArrayList<>();
      for (JsonNode node : listening.path("nodes")) {
        connections.add(cairn.host.connect(Multiaddr.parse(node.path("addrs").get(0).asText())).get(30, TimeUnit.SECONDS));
      }
      run(connections, "Cairn -> js-libp2p");
    }
    assertEquals(List.of(), cairn.problems, "warnings or errors logged");
  }

  @Test
  void jsLibp2pDialsCairn() throws Exception {
    InJvmHost cairn = host();
    try (InteropProcess js = InteropProcess.run("muxer-stress.mjs", "dial", cairn.address().toString(),
        "--connections", Integer.toString(CONNECTIONS), "--streams", Integer.toString(SETTINGS.streams()),
        "--refusals", Integer.toString(SETTINGS.refusals()), "--resets", Integer.toString(SETTINGS.resets()),
        "--max-bytes", Integer.toString(SETTINGS.maxBytes()), "--rounds", Integer.toString(ROUNDS),
        "--seed", Long.toString(SEED & 0xFFFFFFFFL), "--timeout", Integer.toString(60 + ROUNDS * 30))) {
      // The muxer's state every few seconds while js runs: a failure prints the last one before it.
      java.util.ArrayDeque<String> states = new java.util.ArrayDeque<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + ROUNDS * 30L);
      long reported = 0;
      while (!js.exited(3) && System.nanoTime() < deadline) {
        states.add(java.time.LocalTime.now() + "\n" + cairn.describeSessions());
        if (states.size() > 3) {
          states.poll();
        }
        long passed = js.events().stream().filter(e -> "round".equals(e.path("event").asText())).count();
        if (passed / 25 > reported / 25) {
          System.out.printf("js-libp2p -> Cairn: %d rounds passed so far%n", passed);
        }
        reported = passed;
      }
      int exit = js.awaitExit(1);
      List<JsonNode> rounds = js.events().stream().filter(e -> "round".equals(e.path("event").asText())).toList();
      System.out.printf("js-libp2p -> Cairn: %d of %d rounds passed (seed %d)%n", rounds.size(), ROUNDS, SEED & 0xFFFFFFFFL);
      if (exit != 0) {
        System.out.println("Cairn's sessions before js-libp2p failed:\n" + String.join("\n", states));
      }
      assertEquals(0, exit, js.describe());
      assertTrue(js.events().stream().anyMatch(e -> "done".equals(e.path("event").asText())), js.describe());
    }
    assertEquals(List.of(), cairn.problems, "warnings or errors logged");
  }

  /** Rounds on every connection at once, until a wrong byte or {@link #ROUNDS} rounds. */
  private static void run(List<Connection> connections, String what) throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    long streams = 0;
    long bytes = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      List<CompletableFuture<StreamStress.Outcome>> outcomes = new ArrayList<>();
      for (Connection c : connections) {
        outcomes.add(StreamStress.round(c, SETTINGS, random.split()));
      }
      for (CompletableFuture<StreamStress.Outcome> f : outcomes) {
        StreamStress.Outcome outcome;
        try {
          outcome = f.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
          long failed = outcomes.stream().filter(CompletableFuture::isCompletedExceptionally).count();
          throw new AssertionError(what + ": round " + round + " failed on " + failed + " of " + outcomes.size()
              + " connections (seed " + SEED + ")", e);
        }
        if (outcome.mismatch() != null) {
          fail(what + ": round " + round + " (seed " + SEED + "): " + outcome.mismatch());
        }
        streams += outcome.streams();
        bytes += outcome.bytes();
      }
      if (round % 25 == 0 && round < ROUNDS) {
        System.out.printf("%s: %d rounds passed so far%n", what, round);
      }
    }
    System.out.printf("%s: %d rounds passed, %d connections, %d streams echoed, %.1f MB (seed %d)%n", what, ROUNDS,
        connections.size(), streams, bytes / 1e6, SEED);
  }

  private static Connection awaitConnection(InJvmHost host, PeerId peer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var c = host.host.connection(peer);
      if (c.isPresent()) {
        return c.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server did not register the connection from " + peer);
  }
}
