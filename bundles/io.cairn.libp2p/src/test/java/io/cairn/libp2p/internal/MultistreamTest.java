package io.cairn.libp2p.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.ProtocolNotSupportedException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class MultistreamTest {
  private static final MultistreamLimits LIMITS = new MultistreamLimits(1024, 8, Duration.ofSeconds(10));

  /** Moves every outbound buffer of {@code from} into {@code to}; ownership passes to {@code to}. */
  private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
    for (ByteBuf b; (b = from.readOutbound()) != null; ) {
      if (to.isOpen()) {
        to.writeInbound(b);
      } else {
        b.release(); // the receiver closed mid-exchange: nobody else will
      }
    }
  }

  @Test
  void dialerAndListenerAgreeAndTheNextBytesReachTheNextStage() throws Exception {
    List<String> chosen = new ArrayList<>();
    EmbeddedChannel listener = new EmbeddedChannel();
    Multistream.Listener l = new Multistream.Listener(LIMITS, Set.of("/noise", "/yamux/1.0.0")::contains, chosen::add);
    listener.pipeline().addLast(l);
    EmbeddedChannel dialer = new EmbeddedChannel();
    Multistream.Dialer d = new Multistream.Dialer(LIMITS, List.of("/tls/1.0.0", "/noise"), chosen::add);
    dialer.pipeline().addLast(d);

    pump(dialer, listener);   // header + /tls/1.0.0
    pump(listener, dialer);   // header + na
    pump(dialer, listener);   // /noise
    // The listener's echo and the first bytes of the next protocol arrive in one read.
    ByteBuf echoAndMore = Unpooled.buffer();
    for (ByteBuf b; (b = listener.readOutbound()) != null; ) {
      echoAndMore.writeBytes(b);
      b.release();
    }
    echoAndMore.writeBytes("NEXT".getBytes(StandardCharsets.UTF_8));
    dialer.writeInbound(echoAndMore);

    assertEquals("/noise", d.result.get());
    assertEquals("/noise", l.result.get());
    assertEquals(List.of("/noise", "/noise"), chosen);
    assertTrue(dialer.pipeline().names().stream().noneMatch(n -> n.contains("Dialer")), "the dialer leaves the pipeline");
    ByteBuf next = dialer.readInbound();
    assertEquals("NEXT", next.toString(StandardCharsets.UTF_8));
    next.release();
    assertFalse(dialer.finish());
    assertFalse(listener.finish());
  }

  @Test
  void noSupportedProtocolFailsTheDialer() throws Exception {
    EmbeddedChannel listener = new EmbeddedChannel(new Multistream.Listener(LIMITS, p -> false, p -> {}));
    Multistream.Dialer d = new Multistream.Dialer(LIMITS, List.of("/a", "/b"), p -> {});
    EmbeddedChannel dialer = new EmbeddedChannel(d);
    for (int i = 0; i < 3 && !d.result.isDone(); i++) {
      pump(dialer, listener);
      pump(listener, dialer);
    }
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, d.result::get);
    assertInstanceOf(ProtocolNotSupportedException.class, e.getCause(), String.valueOf(e.getCause()));
    assertFalse(dialer.isOpen());
    listener.finishAndReleaseAll();
    dialer.finishAndReleaseAll();
  }

  private static Throwable listenerFailure(ByteBuf input, MultistreamLimits limits) {
    Multistream.Listener l = new Multistream.Listener(limits, p -> true, p -> {});
    EmbeddedChannel ch = new EmbeddedChannel(l);
    ch.writeInbound(input);
    assertTrue(l.result.isCompletedExceptionally(), "should have failed");
    assertFalse(ch.isOpen(), "a broken negotiation closes the channel");
    ch.finishAndReleaseAll();
    return l.result.handle((v, t) -> t).join();
  }

  @Test
  void overlongMessageIsRefusedBeforeItArrives() {
    ByteBuf in = Unpooled.buffer().writeByte(0xFF).writeByte(0xFF).writeByte(0x03); // 65535: only the varint is sent
    Throwable t = listenerFailure(in, LIMITS);
    assertTrue(t.getMessage().contains("over the limit"), t.getMessage());
  }

  @Test
  void garbageHeaderMissingNewlineNonMinimalVarintAndEndlessVarint() {
    assertTrue(listenerFailure(Multistream.encode(ByteBufAllocator.DEFAULT, "/multistream/2.0.0"), LIMITS).getMessage().contains("expected"));
    ByteBuf noNewline = Unpooled.buffer().writeByte(3).writeBytes("abc".getBytes(StandardCharsets.UTF_8));
    assertTrue(listenerFailure(noNewline, LIMITS).getMessage().contains("newline"));
    ByteBuf nonMinimal = Unpooled.buffer().writeByte(0x83).writeByte(0x00);
    assertTrue(listenerFailure(nonMinimal, LIMITS).getMessage().contains("minimally"));
    ByteBuf endless = Unpooled.buffer();
    for (int i = 0; i < 10; i++) {
      endless.writeByte(0x80);
    }
    assertTrue(listenerFailure(endless, LIMITS).getMessage().contains("varint"));
    assertTrue(listenerFailure(Unpooled.buffer().writeByte(0), LIMITS).getMessage().contains("empty"));
  }

  @Test
  void endlessProposalsAreCutOff() {
    String[] lines = new String[1 + 20];
    lines[0] = Multistream.PROTOCOL_ID;
    for (int i = 1; i < lines.length; i++) {
      lines[i] = "/nope/" + i;
    }
    Multistream.Listener l = new Multistream.Listener(LIMITS, p -> false, p -> {});
    EmbeddedChannel ch = new EmbeddedChannel(l);
    ch.writeInbound(Multistream.encode(ByteBufAllocator.DEFAULT, lines));
    assertTrue(l.result.isCompletedExceptionally());
    assertTrue(l.result.handle((v, t) -> t.getMessage()).join().contains("proposals"));
    ch.finishAndReleaseAll();
  }

  @Test
  void slowPeerHitsTheDeadline() {
    MultistreamLimits quick = new MultistreamLimits(1024, 8, Duration.ofMillis(1));
    Multistream.Listener l = new Multistream.Listener(quick, p -> true, p -> {});
    EmbeddedChannel ch = new EmbeddedChannel(l);
    ch.advanceTimeBy(5, java.util.concurrent.TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(l.result.isCompletedExceptionally());
    assertFalse(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  /**
   * Random bytes, alone or after a valid header and framed as messages of random length, fed in random
   * pieces. Each run ends one of three ways: still waiting for bytes (open, undecided), chose a protocol
   * (open, the listener gone from the pipeline), or failed with a {@link MultistreamException} and closed.
   * Any other exception is a bug: it reaches the pipeline's tail, which {@code checkException} throws here.
   */
  @Test
  void randomInputOnlyEverFailsCleanly() {
    java.util.Random random = new java.util.Random(7);
    int failed = 0;
    int waiting = 0;
    int chosen = 0;
    for (int i = 0; i < 2000; i++) {
      ByteBuf input = Unpooled.buffer();
      if (random.nextBoolean()) {
        ByteBuf header = Multistream.encode(ByteBufAllocator.DEFAULT, Multistream.PROTOCOL_ID);
        input.writeBytes(header);
        header.release();
        for (int m = random.nextInt(12); m > 0; m--) {
          byte[] body = new byte[random.nextInt(40)];
          random.nextBytes(body);
          if (random.nextInt(4) > 0) {
            input.writeByte(body.length + 1).writeBytes(body).writeByte('\n'); // well framed, any text
          } else {
            input.writeByte(random.nextInt(48)).writeBytes(body);
          }
        }
      } else {
        byte[] junk = new byte[random.nextInt(64)];
        random.nextBytes(junk);
        input.writeBytes(junk);
      }
      Multistream.Listener l = new Multistream.Listener(LIMITS, p -> p.hashCode() % 5 == 0, p -> {});
      EmbeddedChannel ch = new EmbeddedChannel(l);
      while (input.isReadable() && ch.isOpen()) {
        ch.writeInbound(input.readRetainedSlice(Math.min(input.readableBytes(), 1 + random.nextInt(16))));
        ch.checkException();
      }
      input.release();
      if (!l.result.isDone()) {
        assertTrue(ch.isOpen(), "undecided yet closed");
        waiting++;
      } else if (l.result.isCompletedExceptionally()) {
        Throwable t = l.result.handle((v, e) -> e).join();
        assertInstanceOf(MultistreamException.class, t, "only a broken rule fails a negotiation: " + t);
        assertFalse(ch.isOpen(), "a failed negotiation closes the channel: " + t.getMessage());
        failed++;
      } else {
        assertTrue(ch.isOpen());
        assertTrue(ch.pipeline().names().stream().noneMatch(n -> n.contains("Listener")), "a chosen listener leaves");
        chosen++;
      }
      ch.finishAndReleaseAll();
    }
    // The input is meant to reach every outcome, and with them the proposal and "na" paths.
    assertTrue(failed > 500 && waiting > 10 && chosen > 10, failed + " failed, " + waiting + " waiting, " + chosen + " chose");
  }

  @Test
  void anUnexpectedExceptionFailsTheNegotiationAndIsNotSwallowed() {
    Multistream.Listener l = new Multistream.Listener(LIMITS, p -> {
      throw new NullPointerException("a bug");
    }, p -> {});
    EmbeddedChannel ch = new EmbeddedChannel(l);
    ByteBuf proposal = Multistream.encode(ByteBufAllocator.DEFAULT, Multistream.PROTOCOL_ID, "/a");
    // EmbeddedChannel rethrows what reached the pipeline's tail.
    Throwable surfaced = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> ch.writeInbound(proposal));
    assertInstanceOf(NullPointerException.class, surfaced.getCause() == null ? surfaced : surfaced.getCause());
    assertFalse(ch.isOpen());
    assertInstanceOf(NullPointerException.class, l.result.handle((v, e) -> e).join());
    ch.finishAndReleaseAll();
  }
}
