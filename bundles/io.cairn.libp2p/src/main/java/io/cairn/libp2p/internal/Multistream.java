package io.cairn.libp2p.internal;

import io.cairn.libp2p.Libp2pException;
import io.cairn.libp2p.ProtocolNotSupportedException;
import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * multistream-select 1.0 (libp2p/specs connections): messages are an unsigned varint length, then
 * UTF-8 text ending in '\n'. Both sides send {@value #PROTOCOL_ID}; the dialer proposes protocols,
 * the listener echoes the one it takes or answers {@code na}.
 *
 * <p>Each side is a decoder that removes itself once a protocol is chosen, after the caller's
 * {@code onSelected} has set up the next stage: Netty then hands whatever bytes followed the
 * negotiation to that stage.
 */
final class Multistream {
  static final String PROTOCOL_ID = "/multistream/1.0.0";
  static final String NA = "na";

  private Multistream() {}

  /** One message: varint length, text, newline. The caller owns the returned buffer. */
  static ByteBuf encode(ByteBufAllocator alloc, String... lines) {
    ByteBuf out = alloc.buffer();
    for (String line : lines) {
      byte[] text = (line + "\n").getBytes(StandardCharsets.UTF_8);
      Varint.encode(text.length, out::writeByte);
      out.writeBytes(text);
    }
    return out;
  }

  /** Shared framing, limits and deadline of both sides. */
  abstract static class Negotiator extends ByteToMessageDecoder {
    final MultistreamLimits limits;
    final CompletableFuture<String> result = new CompletableFuture<>();
    private ScheduledFuture<?> deadline;
    private boolean headerSeen;
    private boolean begun;

    Negotiator(MultistreamLimits limits) {
      this.limits = limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      deadline = ctx.executor().schedule(
          () -> fail(ctx, new MultistreamException("negotiation took longer than " + limits.timeout().toMillis() + " ms")),
          limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (ctx.channel().isActive()) {
        begin(ctx);
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      begin(ctx);
      super.channelActive(ctx);
    }

    /** Added to a channel that becomes active during registration, both events come: start once. */
    private void begin(ChannelHandlerContext ctx) {
      if (!begun) {
        begun = true;
        started(ctx);
      }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
      if (deadline != null) {
        deadline.cancel(false);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      fail(ctx, new MultistreamException("the peer closed the stream during negotiation"));
      super.channelInactive(ctx);
    }

    /**
     * A peer failure ({@link Libp2pException#isPeerFailure}: a broken rule, {@link MultistreamException}, also
     * inside the decoder's {@link DecoderException}; the socket failing) fails the negotiation quietly,
     * reported through {@link #result}. Anything else is a bug of ours: it fails the negotiation too, and goes
     * on down the pipeline so that it is seen (Netty logs what reaches the tail; a test's EmbeddedChannel
     * throws it).
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, cause);
      if (!Libp2pException.isPeerFailure(unwrap(cause))) {
        ctx.fireExceptionCaught(cause);
      }
    }

    private static Throwable unwrap(Throwable cause) {
      return cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    }

    /** Called once when the channel is active with this handler in place. */
    abstract void started(ChannelHandlerContext ctx);

    /** One message after the header. */
    abstract void received(ChannelHandlerContext ctx, String message) throws MultistreamException;

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
      while (!result.isDone()) {
        String message = readMessage(in);
        if (message == null) {
          return;
        }
        if (!headerSeen) {
          if (!message.equals(PROTOCOL_ID)) {
            throw new MultistreamException("expected " + PROTOCOL_ID + ", got '" + printable(message) + "'");
          }
          headerSeen = true;
          continue;
        }
        received(ctx, message);
      }
    }

    /**
     * Reads one message if it is all there; checks the length before reading anything of it.
     * Returns null when more bytes are needed.
     */
    private String readMessage(ByteBuf in) throws MultistreamException {
      int start = in.readerIndex();
      long length;
      try {
        // An unsigned-varint (multiformats): at most 9 bytes, minimal, as go-multistream reads it.
        length = Varint.decode(() -> in.isReadable() ? in.readByte() & 0xff : -1, Varint.MAX_LENGTH, true,
            Long.MAX_VALUE);
      } catch (InvalidVarintException e) {
        throw new MultistreamException("message length " + e.getMessage());
      }
      int textStart = in.readerIndex();
      in.readerIndex(start);
      if (length == Varint.INCOMPLETE) {
        return null;
      }
      if (length > limits.maxMessageLength()) {
        throw new MultistreamException("message of " + length + " bytes is over the limit of " + limits.maxMessageLength());
      }
      if (length == 0) {
        throw new MultistreamException("empty message");
      }
      if (in.writerIndex() - textStart < length) {
        return null;
      }
      if (in.getByte(textStart + (int) length - 1) != '\n') {
        throw new MultistreamException("message does not end in a newline");
      }
      String text = in.toString(textStart, (int) length - 1, StandardCharsets.UTF_8);
      in.readerIndex(textStart + (int) length);
      return text;
    }

    /** Chooses: the next stage is set up by {@code onSelected}, then this handler leaves the pipeline. */
    void select(ChannelHandlerContext ctx, String protocol, Consumer<String> onSelected) {
      if (deadline != null) {
        deadline.cancel(false);
      }
      onSelected.accept(protocol);
      result.complete(protocol);
      ctx.pipeline().remove(this);
    }

    void fail(ChannelHandlerContext ctx, Throwable cause) {
      if (result.completeExceptionally(unwrap(cause))) {
        ctx.close();
      }
    }

    static String printable(String s) {
      String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
      return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
  }

  /** The side that accepted the connection or stream: answers proposals from {@code supported}. */
  static final class Listener extends Negotiator {
    private final java.util.function.Predicate<String> supported;
    private final Consumer<String> onSelected;
    private int proposals;

    Listener(MultistreamLimits limits, java.util.function.Predicate<String> supported, Consumer<String> onSelected) {
      super(limits);
      this.supported = supported;
      this.onSelected = onSelected;
    }

    @Override
    void started(ChannelHandlerContext ctx) {
      // The listener may send its header at once; go and js do the same.
      ctx.writeAndFlush(encode(ctx.alloc(), PROTOCOL_ID));
    }

    @Override
    void received(ChannelHandlerContext ctx, String proposal) throws MultistreamException {
      if (++proposals > limits.maxProposals()) {
        throw new MultistreamException("more than " + limits.maxProposals() + " proposals");
      }
      if (supported.test(proposal)) {
        ctx.writeAndFlush(encode(ctx.alloc(), proposal));
        select(ctx, proposal, onSelected);
      } else {
        ctx.writeAndFlush(encode(ctx.alloc(), NA));
      }
    }
  }

  /** The side that opened the connection or stream: proposes {@code protocols} in order. */
  static final class Dialer extends Negotiator {
    private final List<String> protocols;
    private final Consumer<String> onSelected;
    private int next;

    Dialer(MultistreamLimits limits, List<String> protocols, Consumer<String> onSelected) {
      super(limits);
      if (protocols.isEmpty()) {
        throw new IllegalArgumentException("no protocol to propose");
      }
      this.protocols = List.copyOf(protocols);
      this.onSelected = onSelected;
    }

    @Override
    void started(ChannelHandlerContext ctx) {
      // Header and first proposal in one write: one round trip saved, as go-multistream does.
      ctx.writeAndFlush(encode(ctx.alloc(), PROTOCOL_ID, protocols.get(next++)));
    }

    @Override
    void received(ChannelHandlerContext ctx, String answer) throws MultistreamException {
      String proposed = protocols.get(next - 1);
      if (answer.equals(proposed)) {
        select(ctx, proposed, onSelected);
      } else if (answer.equals(NA)) {
        if (next == protocols.size()) {
          fail(ctx, new ProtocolNotSupportedException(protocols));
          return;
        }
        ctx.writeAndFlush(encode(ctx.alloc(), protocols.get(next++)));
      } else {
        throw new MultistreamException("the peer answered '" + printable(answer) + "' to '" + proposed + "'");
      }
    }
  }
}
