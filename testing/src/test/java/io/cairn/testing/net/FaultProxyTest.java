package io.cairn.testing.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy over real loopback sockets. Timings are lower bounds (a delay adds at least its time) or
 * upper bounds of what may pass (a cap lets no more through than rate × time + buffer), never speeds.
 */
class FaultProxyTest {
  private TestServer server;
  private FaultProxy proxy;

  private void start(TestServer.Mode mode) throws IOException {
    server = new TestServer(mode);
    proxy = FaultProxy.start(server.address());
  }

  @AfterEach
  void stop() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(proxy.address().getAddress(), proxy.port());
    s.setSoTimeout(10_000);
    s.setTcpNoDelay(true);
    return s;
  }

  @Test
  void bytesArriveIntactAndInOrderWithDelayAndCapOnThenTheFinFollows() throws Exception {
    start(TestServer.Mode.ECHO);
    proxy.both(d -> d.delay(Duration.ofMillis(5)).rate(20_000_000).buffer(64 * 1024));
    byte[] sent = new byte[4 << 20];
    new Random(42).nextBytes(sent);
    try (Socket s = connect()) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          OutputStream out = s.getOutputStream();
          for (int off = 0; off < sent.length; off += 10_000) {
            out.write(sent, off, Math.min(10_000, sent.length - off)); // many small writes: many reads and slices
          }
          s.shutdownOutput();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      byte[] back = s.getInputStream().readNBytes(sent.length);
      assertArrayEquals(sent, back);
      assertEquals(-1, s.getInputStream().read(), "the echo server's FIN, after the data");
      writer.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDelayAddsAtLeastItsTimeEachWay() throws Exception {
    start(TestServer.Mode.ECHO);
    proxy.both(d -> d.delay(Duration.ofMillis(40)));
    try (Socket s = connect()) {
      for (int i = 0; i < 3; i++) {
        assertTrue(roundTripNanos(s) >= TimeUnit.MILLISECONDS.toNanos(80));
      }
    }
  }

  @Test
  void aCapLetsNoMoreThroughThanRateTimesTimePlusBuffer() throws Exception {
    start(TestServer.Mode.COUNT);
    long rate = 2_000_000;
    long buffer = 32 * 1024;
    proxy.toTarget().rate(rate).buffer(buffer);
    try (Socket s = connect()) {
      long start = System.nanoTime();
      CompletableFuture<Void> writer = flood(s);
      for (int i = 0; i < 20; i++) {
        Thread.sleep(50);
        long through = server.received();
        long elapsed = System.nanoTime() - start;
        assertTrue(through <= rate * elapsed / 1_000_000_000L + buffer,
            through + " bytes passed in " + elapsed / 1e6 + " ms at a cap of " + rate + " B/s with a " + buffer + " B buffer");
        // The link is bounded: it stops reading from the client when full (plus one read of at most 64 KiB).
        assertTrue(proxy.heldBytes() <= buffer + 65536, "held " + proxy.heldBytes());
      }
      assertTrue(server.received() > 0, "bytes do pass");
      s.close();
      writer.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReceiverThatDoesNotReadStopsTheProxyReadingItsSender() throws Exception {
    start(TestServer.Mode.IGNORE);
    long buffer = 256 * 1024;
    proxy.toTarget().buffer(buffer);
    try (Socket s = connect()) {
      CompletableFuture<Void> writer = flood(s);
      Thread.sleep(1000);
      assertTrue(!writer.isDone(), "the client's writes block");
      // The proxy queues at most the buffer (plus one read) however long the client writes.
      assertTrue(proxy.heldBytes() <= buffer + 65536, "held " + proxy.heldBytes());
      s.close();
      writer.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void resetAllGivesTheClientAConnectionReset() throws Exception {
    start(TestServer.Mode.ECHO);
    try (Socket s = connect()) {
      roundTripNanos(s);
      proxy.resetAll();
      SocketException e = assertThrows(SocketException.class, () -> readToEnd(s.getInputStream()));
      assertTrue(e.getMessage().contains("reset"), e.getMessage());
    }
  }

  @Test
  void resetAfterBytesDeliversNoMoreThanThoseThenResets() throws Exception {
    start(TestServer.Mode.ECHO);
    proxy.toClient().resetAfter(1000);
    try (Socket s = connect()) {
      s.getOutputStream().write(new byte[10_000]);
      long[] total = new long[1];
      SocketException e = assertThrows(SocketException.class, () -> {
        byte[] buf = new byte[4096];
        for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
          total[0] += n;
        }
      });
      assertTrue(e.getMessage().contains("reset"), e.getMessage());
      assertTrue(total[0] <= 1000, total[0] + " bytes before the reset");
    }
  }

  @Test
  void aSilentBlackholeDropsBytesAndKeepsTheConnectionOpen() throws Exception {
    start(TestServer.Mode.ECHO);
    try (Socket s = connect()) {
      roundTripNanos(s);
      proxy.toTarget().blackhole(Blackhole.SILENT);
      s.getOutputStream().write("lost".getBytes());
      s.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "no bytes and no FIN come back");
      s.setSoTimeout(10_000);
      proxy.toTarget().blackhole(Blackhole.OFF);
      s.getOutputStream().write('x');
      assertEquals('x', s.getInputStream().read(), "what the blackhole took is gone; what follows it passes");
    }
  }

  @Test
  void aStuckBlackholeHoldsBytesUntilLifted() throws Exception {
    start(TestServer.Mode.ECHO);
    proxy.toTarget().blackhole(Blackhole.STUCK);
    try (Socket s = connect()) {
      s.getOutputStream().write("held".getBytes());
      s.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "no bytes and no FIN come back");
      s.setSoTimeout(10_000);
      proxy.toTarget().blackhole(Blackhole.OFF);
      assertArrayEquals("held".getBytes(), s.getInputStream().readNBytes(4));
    }
  }

  @Test
  void aStallHoldsForwardingForItsDuration() throws Exception {
    start(TestServer.Mode.ECHO);
    try (Socket s = connect()) {
      roundTripNanos(s);
      long start = System.nanoTime();
      proxy.toClient().stall(Duration.ofMillis(300));
      roundTripNanos(s);
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
    }
  }

  @Test
  void settingsChangeOnOpenConnections() throws Exception {
    start(TestServer.Mode.ECHO);
    try (Socket s = connect()) {
      roundTripNanos(s);
      proxy.both(d -> d.delay(Duration.ofMillis(60)));
      assertTrue(roundTripNanos(s) >= TimeUnit.MILLISECONDS.toNanos(120));
      proxy.both(d -> d.delay(Duration.ZERO).rate(1_000_000).buffer(4096));
      roundTripNanos(s);
      assertEquals(1, proxy.openConnections());
    }
  }

  @Test
  void closeEndsConnectionsAndReleasesWhatTheLinksHeld() throws Exception {
    start(TestServer.Mode.ECHO);
    proxy.toClient().delay(Duration.ofSeconds(30));
    try (Socket s = connect()) {
      s.getOutputStream().write(new byte[100_000]);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (proxy.heldBytes() < 100_000 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(100_000, proxy.heldBytes(), "the echo waits out the delay in the link");
      int port = proxy.port();
      proxy.close();
      assertEquals(0, proxy.heldBytes());
      assertEquals(0, proxy.openConnections());
      try {
        assertEquals(-1, s.getInputStream().read(), "the connection ends without the held bytes");
      } catch (SocketException reset) {
        // as good an end
      }
      assertThrows(ConnectException.class, () -> new Socket(proxy.address().getAddress(), port).close());
    }
    // NettyLeakCheck (after each test) fails the test if a held buffer was not released.
  }

  @Test
  void launchTakesTheScriptOptions() throws Exception {
    server = new TestServer(TestServer.Mode.ECHO);
    proxy = FaultProxy.launch("--listen", "127.0.0.1:0", "--target", "127.0.0.1:" + server.address().getPort(),
        "--delay-ms", "25", "--rate-bytes-per-sec", "100000000", "--buffer-bytes", "1048576");
    for (Direction d : new Direction[] {proxy.toTarget(), proxy.toClient()}) {
      assertEquals(Duration.ofMillis(25), d.delay());
      assertEquals(100_000_000, d.rate());
      assertEquals(1_048_576, d.buffer());
    }
    try (Socket s = connect()) {
      assertTrue(roundTripNanos(s) >= TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  @Test
  void badOptionsAreRefusedNamingTheOption() {
    assertMessage("--target", () -> FaultProxy.launch("--delay-ms", "5"));
    assertMessage("--delay-ms", () -> FaultProxy.launch("--target", "127.0.0.1:1", "--delay-ms", "soon"));
    assertMessage("--bogus", () -> FaultProxy.launch("--target", "127.0.0.1:1", "--bogus", "1"));
    assertMessage("--target", () -> FaultProxy.launch("--target", "nowhere"));
    assertMessage("buffer", () -> FaultProxy.launch("--target", "127.0.0.1:1", "--buffer-bytes", "0"));
    Direction d = new Direction("to target", () -> {});
    assertMessage("rate", () -> d.rate(-1));
    assertMessage("delay", () -> d.delay(Duration.ofMillis(-1)));
    assertMessage("resetAfter", () -> d.resetAfter(-5));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  /** One byte there and back (the echo server); @return the nanoseconds it took */
  private static long roundTripNanos(Socket s) throws IOException {
    long start = System.nanoTime();
    s.getOutputStream().write(7);
    assertEquals(7, s.getInputStream().read());
    return System.nanoTime() - start;
  }

  /** Writes 64 KiB chunks until the socket fails (closed by the test). */
  private static CompletableFuture<Void> flood(Socket s) {
    return CompletableFuture.runAsync(() -> {
      byte[] chunk = new byte[65536];
      Arrays.fill(chunk, (byte) 1);
      try {
        OutputStream out = s.getOutputStream();
        while (true) {
          out.write(chunk);
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
  }

  private static void readToEnd(InputStream in) throws IOException {
    byte[] buf = new byte[4096];
    while (in.read(buf) >= 0) {
      // until the end or the reset
    }
  }
}
