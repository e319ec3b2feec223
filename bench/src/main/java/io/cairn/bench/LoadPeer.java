package io.cairn.bench;

import io.cairn.bitswap.message.BitswapFrameDecoder;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapMessageDecoder;
import io.cairn.bitswap.message.BitswapMessageEncoder;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.MessageLimits;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.PeerInfo;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.StreamInfo;
import io.cairn.libp2p.internal.StandaloneHost;
import io.cairn.libp2p.noise.internal.StandaloneNoise;
import io.cairn.libp2p.yamux.internal.StandaloneYamux;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One peer identity of the load tool: its own libp2p host (TCP + Noise + yamux, identify and ping, and
 * bitswap served so the server can open its stream to us), one connection to the server, one outbound
 * bitswap stream for our wants, and the wants it has in flight.
 *
 * <p>Wants are queued from any thread and written by one drain task on the stream's event loop, all
 * that is queued in one flush (as a real peer batches its wantlist changes). Blocks and presences
 * arrive on whichever stream the server sends on and are handled on that stream's event loop: each
 * block is re-hashed and must be the CID of a want in flight on this peer. The hash runs on the event
 * loop, which is this peer's alone (one host per identity), so it holds up nobody else.
 */
final class LoadPeer implements StreamHandler, ConnectionListener, AutoCloseable {
  /** What we accept from the server: its largest message may carry one 2 MiB block and then some. */
  private static final MessageLimits LIMITS = new MessageLimits(16 << 20, 100_000, 10_000, 100_000, 168);
  private static final List<String> PROTOCOLS = List.of(BitswapProtocol.V1_2_0.id(), BitswapProtocol.V1_1_0.id());
  private static final int MAX_ENTRIES_PER_MESSAGE = 512;
  private static final AttributeKey<String> NEGOTIATED = AttributeKey.valueOf("cairn.bench.bitswap.protocol");

  /** The round under way: each round of a run is a new one, over the same connections. */
  private volatile LoadRun run;
  private final StandaloneHost host;
  private final PeerId server;
  /** CID of each want in flight on this peer → its index in the run. */
  private final Map<Cid, Integer> pending = new ConcurrentHashMap<>();
  private final Queue<WantlistEntry> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private volatile Connection connection;
  private volatile StreamChannel out;
  private CompletableFuture<StreamChannel> opening;
  private volatile boolean dead;
  private final Consumer<LoadRun> onDeath;

  /**
   * @param key this peer's identity
   * @param onDeath told (once, with the round under way) when this peer's connection is gone
   */
  LoadPeer(Multiaddr target, PrivateKey key, int ioThreads, Consumer<LoadRun> onDeath) {
    this.server = target.peerId().orElseThrow(() -> new IllegalArgumentException("the target needs /p2p/<peer id>: " + target));
    this.onDeath = onDeath;
    this.host = StandaloneHost.start("/ip4/127.0.0.1/tcp/0", key, StandaloneNoise::create, StandaloneYamux.create(StandaloneHost.silentLogger()),
        ioThreads, 8);
    host.serve(BitswapProtocol.ids(), this);
    host.host().addConnectionListener(this);
  }

  /** Connects and opens the outbound bitswap stream. */
  CompletableFuture<Void> connect(Multiaddr target) {
    return host.host().connect(target).thenCompose(c -> {
      connection = c;
      return c.openStream(PROTOCOLS, this);
    }).thenAccept(s -> out = s);
  }

  /** @return what the server said of itself in identify, once identify has run */
  Optional<PeerInfo> serverInfo() {
    return host.host().peerInfo(server);
  }

  /** @return the protocol our outbound stream negotiated */
  String protocol() {
    StreamChannel s = out;
    return s == null ? "" : s.attr(NEGOTIATED).get();
  }

  boolean alive() {
    return !dead;
  }

  /** Starts a round: what arrives from now on is measured against {@code next} (the last one is resolved). */
  void begin(LoadRun next) {
    run = next;
  }

  // ---- wants

  /**
   * Flat out: sends the next want of {@code r}, if any is left. {@code r} is the round whose want freed
   * the slot, not the one under way now: an answer that ends a round must not take a want of the next,
   * which the new round hands out itself (it would put one more than the concurrency's share in flight on
   * this peer, past a server's wantlist cap).
   */
  void sendNext(LoadRun r) {
    int i = r.takeNext();
    if (i >= 0) {
      send(r, i, System.nanoTime());
    }
  }

  /** Sends want {@code i} of {@code r}; its latency counts from {@code since} (when it was sent, or due). */
  void send(LoadRun r, int i, long since) {
    Cid cid = r.cids.get(i);
    r.sent[i] = since;
    pending.put(cid, i);
    if (dead) {
      // The connection went while this want was being made: it never left.
      if (pending.remove(cid, i)) {
        r.disconnects.increment();
        r.failed(i, System.nanoTime());
      }
      return;
    }
    // Earlier wants first, as boxo's priorities count down.
    outbox.add(r.wantHave ? WantlistEntry.wantHave(cid, Integer.MAX_VALUE - i, true)
        : WantlistEntry.wantBlock(cid, Integer.MAX_VALUE - i, true));
    scheduleDrain();
  }

  private void scheduleDrain() {
    StreamChannel s = out;
    if (s != null && drainScheduled.compareAndSet(false, true)) {
      s.eventLoop().execute(this::drain);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    StreamChannel s = out;
    if (dead || outbox.isEmpty()) {
      return;
    }
    if (!s.isActive()) {
      reopen();
      return;
    }
    List<WantlistEntry> batch = new ArrayList<>();
    WantlistEntry e;
    while ((e = outbox.poll()) != null) {
      batch.add(e);
      if (batch.size() == MAX_ENTRIES_PER_MESSAGE) {
        write(s, batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      write(s, batch);
    }
    s.flush();
  }

  private void write(StreamChannel s, List<WantlistEntry> entries) {
    LoadRun r = run;
    r.messagesSent.increment();
    s.write(BitswapMessage.wants(entries)).addListener(f -> {
      if (!f.isSuccess() && !r.closing) {
        // The wants in it are lost; each will time out and count there.
        r.sendFailures.increment();
      }
    });
  }

  /** Our stream went (reset or closed by the server): a new one carries what is queued. */
  private synchronized void reopen() {
    Connection c = connection;
    if (dead || opening != null || c == null || !c.isOpen()) {
      return;
    }
    run.streamReopens.increment();
    opening = c.openStream(PROTOCOLS, this);
    opening.whenComplete((s, error) -> {
      synchronized (this) {
        opening = null;
      }
      if (error == null) {
        out = s;
        scheduleDrain();
      }
    });
  }

  /** Gives up the wants sent longer ago than the run's timeout; flat out, each freed slot takes the next want. */
  void expire(long now) {
    LoadRun r = run;
    if (r == null) {
      return;
    }
    for (Map.Entry<Cid, Integer> e : pending.entrySet()) {
      int i = e.getValue();
      if (now - r.sent[i] > r.wantTimeoutNanos && pending.remove(e.getKey(), i)) {
        r.timeouts.increment();
        r.failed(i, now);
        outbox.add(WantlistEntry.cancel(e.getKey()));
        if (r.flatOut()) {
          sendNext(r);
        } else {
          scheduleDrain();
        }
      }
    }
  }

  // ---- answers

  private void onMessage(BitswapMessage message) {
    LoadRun r = run;
    if (r == null) {
      System.err.println("the server sent a message before we asked for anything: " + message);
      return;
    }
    long now = System.nanoTime();
    r.messagesReceived.increment();
    int freed = 0;
    for (BlockPayload payload : message.blocks()) {
      Cid cid;
      try {
        cid = payload.cid();
      } catch (RuntimeException e) {
        r.hashMismatches.increment(); // a prefix whose hash cannot be computed proves nothing
        continue;
      }
      Integer i = pending.remove(cid);
      if (i == null) {
        // In the set: sent twice, or after we gave up on it. Outside it: the data is not what any CID names.
        (r.inSet(cid) ? r.unexpectedBlocks : r.hashMismatches).increment();
        continue;
      }
      r.received(i, now);
      // As boxo does once a block arrives: the want is done, so say so.
      outbox.add(WantlistEntry.cancel(cid));
      freed++;
    }
    for (BlockPresence presence : message.presences()) {
      boolean have = presence.type() == PresenceType.HAVE;
      if (have) {
        r.haves.increment();
        if (!r.wantHave) {
          continue;
        }
      }
      Integer i = pending.remove(presence.cid());
      if (i == null) {
        continue;
      }
      if (have) {
        r.received(i, now);
        outbox.add(WantlistEntry.cancel(presence.cid()));
      } else {
        (r.dontHaveIsShed ? r.shed : r.dontHave).increment();
        r.failed(i, now);
      }
      freed++;
    }
    if (r.flatOut()) {
      for (int k = 0; k < freed; k++) {
        sendNext(r);
      }
    }
    scheduleDrain();
  }

  @Override
  public void initStream(StreamChannel stream, StreamInfo info) {
    BitswapProtocol protocol = BitswapProtocol.of(info.protocol()).orElseThrow();
    stream.attr(NEGOTIATED).set(info.protocol());
    stream.pipeline().addLast(
        new BitswapFrameDecoder(LIMITS.maxMessageBytes()),
        new BitswapMessageDecoder(LIMITS),
        new BitswapMessageEncoder(protocol),
        new Inbound());
  }

  private final class Inbound extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      onMessage((BitswapMessage) msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent && ctx.channel() != out) {
        // The server is done with a stream it opened: close our side so its state goes.
        ctx.close();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LoadRun r = run;
      if (r != null && !r.closing && cause instanceof DecoderException) {
        r.malformedMessages.increment();
        System.err.println("malformed bitswap message from the server: " + cause);
      }
      ((StreamChannel) ctx.channel()).reset();
    }
  }

  // ---- the connection

  @Override
  public void disconnected(Connection c) {
    LoadRun r = run;
    if (!c.remotePeer().equals(server) || c != connection || r != null && r.closing) {
      return;
    }
    dead = true;
    if (r == null) {
      return;
    }
    long now = System.nanoTime();
    for (Map.Entry<Cid, Integer> e : pending.entrySet()) {
      if (pending.remove(e.getKey(), e.getValue())) {
        r.disconnects.increment();
        r.failed(e.getValue(), now);
      }
    }
    onDeath.accept(r);
  }

  @Override
  public void close() {
    host.close();
  }

  static void awaitAll(List<CompletableFuture<Void>> futures, long seconds) throws Exception {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(seconds, TimeUnit.SECONDS);
  }
}
