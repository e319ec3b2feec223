package io.cairn.bitswap.network.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapMessageEncoder;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.node.breaker.BreakerHolder;
import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.bitswap.spi.PeerUnavailableException;
import io.cairn.libp2p.StreamChannel;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import io.cairn.testing.net.NetworkCalls;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, test 5 (the peer half): a peer that never reads, seen from our side as yamux shows it: once
 * its window is spent nothing written to it completes. The sender, the network's guard layer and the
 * real resilience4j strategy: each message to it fails within the send timeout (nothing waits on it
 * longer), the peer is then paused (nothing attempted, no stream opened, held up to the bound), probed
 * after the wait, and resumes when it reads again, or is paused again and what was held fails.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeerBreakerTest {
  private static final String R4J = "io.cairn.bitswap.breaker.internal.Resilience4jPeerBreakers";
  private static final long SEND_TIMEOUT_MS = 300;
  private static final long WAIT_MS = 500;
  /** Scheduling slack on a loaded two-core machine. */
  private static final long SLACK_MS = 400;
  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  private final DefaultEventLoopGroup loop = new DefaultEventLoopGroup(1);
  private final LocalAddress address = new LocalAddress("peer-breaker-test-" + ADDRESSES.incrementAndGet());
  private final List<String> log = new ArrayList<>();
  /** Whether the remote peer reads: while false, nothing written to any of its streams completes. */
  private volatile boolean peerReads = true;
  private final AtomicInteger streamsOpened = new AtomicInteger();
  private final AtomicInteger writesAttempted = new AtomicInteger();
  private final AtomicLong bytesRead = new AtomicLong();
  private final Channel server;
  private final PeerId peer = PeerId.fromMultihash(Multihash.digest(Multicodec.SHA2_256, new byte[] {1}));
  private BreakerHolder<PeerId> guards;
  private PeerSender sender;

  PeerBreakerTest() throws InterruptedException {
    server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
        .childHandler(new ChannelInitializer<LocalChannel>() {
          @Override
          protected void initChannel(LocalChannel ch) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytesRead.addAndGet(((ByteBuf) msg).readableBytes());
                ReferenceCountUtil.release(msg);
              }
            });
          }
        }).bind(address).sync().channel();
  }

  @AfterEach
  void close() throws InterruptedException {
    if (sender != null) {
      sender.close();
    }
    server.close().sync();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  /** A bitswap stream over Netty's local transport; reset is an abortive close. */
  private static final class TestStream extends LocalChannel implements StreamChannel {
    @Override
    public ChannelFuture closeWrite() {
      return newSucceededFuture();
    }

    @Override
    public void reset() {
      close();
    }

    @Override
    public boolean isInputShutdown() {
      return false;
    }

    @Override
    public long streamId() {
      return 1;
    }
  }

  /**
   * Our end of a stream to a peer that may stop reading: while it does not read, writes are held
   * (their promises never complete, as when its yamux window is spent); a reset fails and releases them.
   */
  private final class Window extends ChannelDuplexHandler {
    private final List<Object> held = new ArrayList<>();
    private final List<ChannelPromise> promises = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      writesAttempted.incrementAndGet();
      if (peerReads) {
        ctx.write(msg, promise);
      } else {
        held.add(msg);
        promises.add(promise);
      }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
      held.forEach(ReferenceCountUtil::release);
      held.clear();
      promises.forEach(p -> p.tryFailure(new ClosedChannelException()));
      promises.clear();
      ctx.close(promise);
    }
  }

  private CompletableFuture<StreamChannel> open(PeerId to) {
    streamsOpened.incrementAndGet();
    CompletableFuture<StreamChannel> opened = new CompletableFuture<>();
    new Bootstrap().group(loop).channelFactory(TestStream::new).handler(new ChannelInitializer<TestStream>() {
      @Override
      protected void initChannel(TestStream ch) {
        ch.pipeline().addLast(new Window(), new BitswapMessageEncoder(BitswapProtocol.V1_2_0));
      }
    }).connect(address).addListener((ChannelFuture f) -> {
      if (f.isSuccess()) {
        opened.complete((StreamChannel) f.channel());
      } else {
        opened.completeExceptionally(f.cause());
      }
    });
    return opened;
  }

  /** How the sends went, as connection quality hears them. */
  private final NetworkCalls outcomes = new NetworkCalls();

  /** The sender to the peer, guarded by {@code guard} (null: no strategy) as the network component wires it. */
  private void start(CircuitBreakers guard, long maxHeldBytes) {
    guards = new BreakerHolder<>(Components.logger(log), CircuitBreakers.SCOPE_PEER, "bitswap sends", (p, fromTo) -> {
      if (fromTo[1] == CircuitBreakers.State.OPEN) {
        sender.pausedNow();
      }
    });
    if (guard != null) {
      guards.bind(guard, Map.of(CircuitBreakers.STRATEGY, "resilience4j", "service.ranking", 10, "service.id", 1L));
    }
    sender = new PeerSender(peer, this::open, size -> TimeUnit.MILLISECONDS.toNanos(SEND_TIMEOUT_MS),
        () -> guards.breaker(peer), () -> maxHeldBytes, () -> outcomes);
  }

  private static CircuitBreakers resilience4j() {
    return Components.create(CircuitBreakers.class, R4J, Components.logger(), Map.of("minimumNumberOfCalls", 4,
        "slidingWindowSize", 4, "waitDurationInOpenStateMillis", WAIT_MS, "permittedCallsInHalfOpenState", 1));
  }

  private static BitswapMessage message(int i) {
    byte[] data = new byte[1000];
    data[0] = (byte) i;
    return BitswapMessage.blocks(List.of(BlockPayload.of(Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, data)), data)));
  }

  private static Throwable failure(CompletableFuture<?> f, long withinMs) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(withinMs, TimeUnit.MILLISECONDS));
    return e.getCause();
  }

  /** Blackholes the peer and sends 4 messages: each fails within the send timeout, and the peer is paused. */
  private void timeOutFourMessages() throws Exception {
    peerReads = false;
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      sends.add(sender.send(message(100 + i)));
    }
    for (CompletableFuture<Void> send : sends) {
      Throwable t = failure(send, SEND_TIMEOUT_MS + SLACK_MS);
      assertInstanceOf(PeerUnavailableException.class, t);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms <= SEND_TIMEOUT_MS + SLACK_MS, "the sends to a blackholed peer ended after " + ms + " ms");
    assertEquals(CircuitBreakers.State.OPEN, guards.breaker(peer).state(), "paused after four timeouts");
  }

  @Test
  void aPeerThatNeverReadsFreesItsSendersWithinTheSendTimeoutIsPausedAndResumesWhenItReadsAgain() throws Exception {
    BitswapMessage probe = message(5);
    start(resilience4j(), 3000);
    for (int i = 0; i < 3; i++) {
      sender.send(message(i)).get(2, TimeUnit.SECONDS);
    }
    timeOutFourMessages();
    assertEquals(List.of("succeeded", "succeeded", "succeeded", "failed TIMEOUT", "failed TIMEOUT", "failed TIMEOUT",
        "failed TIMEOUT"), outcomes.calls,
        "connection quality hears every written message and every timeout");

    // Paused: nothing is attempted, no stream opened; held up to the bound, beyond it refused at once.
    int opened = streamsOpened.get();
    int attempted = writesAttempted.get();
    CompletableFuture<Void> held = sender.send(probe);
    CompletableFuture<Void> alsoHeld = sender.send(message(6));
    Throwable refused = failure(sender.send(message(7)), 100);
    assertTrue(refused.getMessage().contains("paused"), refused.getMessage());
    Thread.sleep(WAIT_MS / 2);
    assertFalse(held.isDone(), "held while paused");
    assertEquals(opened, streamsOpened.get(), "no stream opened to a paused peer");
    assertEquals(attempted, writesAttempted.get(), "nothing attempted");

    // It reads again: after the wait the first held message goes as a probe; the rest follow.
    peerReads = true;
    held.get(WAIT_MS + SLACK_MS, TimeUnit.MILLISECONDS);
    alsoHeld.get(SLACK_MS, TimeUnit.MILLISECONDS);
    assertEquals(CircuitBreakers.State.CLOSED, guards.breaker(peer).state());
    sender.send(message(8)).get(2, TimeUnit.SECONDS);
    assertEquals(opened + 1, streamsOpened.get(), "one stream for the probe and what followed");
  }

  @Test
  void aPeerStillSilentAtTheProbeIsPausedAgainAndWhatWasHeldFails() throws Exception {
    start(resilience4j(), 1 << 20);
    timeOutFourMessages();
    long since = System.nanoTime();
    CompletableFuture<Void> probe = sender.send(message(5));
    CompletableFuture<Void> behind = sender.send(message(6));
    assertInstanceOf(PeerUnavailableException.class, failure(probe, WAIT_MS + SEND_TIMEOUT_MS + SLACK_MS));
    assertInstanceOf(PeerUnavailableException.class, failure(behind, SLACK_MS));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    assertTrue(ms <= WAIT_MS + SEND_TIMEOUT_MS + SLACK_MS, "held " + ms + " ms");
    assertEquals(CircuitBreakers.State.OPEN, guards.breaker(peer).state(), "paused again");
  }

  @Test
  void withoutAStrategyEveryMessageIsAttemptedAndEachWaitsOutTheSendTimeout() throws Exception {
    start(null, 0);
    timeOutFourMessagesUnguarded();
  }

  private void timeOutFourMessagesUnguarded() throws Exception {
    peerReads = false;
    for (int round = 0; round < 2; round++) {
      int opened = streamsOpened.get();
      CompletableFuture<Void> send = sender.send(message(round));
      assertInstanceOf(PeerUnavailableException.class, failure(send, SEND_TIMEOUT_MS + SLACK_MS));
      assertTrue(streamsOpened.get() > opened || round == 0, "the baseline opens a stream and waits again");
    }
    assertEquals(CircuitBreakers.State.CLOSED, guards.breaker(peer).state(), "never opens");
  }

  @Test
  void aStrategyThatThrowsIsDroppedOnceAndSendsGoOn() throws Exception {
    CircuitBreakers broken = new CircuitBreakers() {
      @Override
      public Breaker breaker(String p, java.util.function.BiConsumer<State, State> transitions) {
        throw new IllegalStateException("bug in a strategy");
      }

      @Override
      public void forget(String p) {}
    };
    start(broken, 0);
    for (int i = 0; i < 3; i++) {
      sender.send(message(i)).get(2, TimeUnit.SECONDS);
    }
    assertEquals("none", guards.inUse());
    assertEquals(1, log.stream().filter(l -> l.startsWith("ERROR peer guard strategy")).count(), log.toString());
  }
}
