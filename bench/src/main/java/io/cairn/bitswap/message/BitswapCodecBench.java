package io.cairn.bitswap.message;

import io.cairn.bitswap.message.pb.BitswapProto.Message;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bitswap codec, hand-written ({@link BitswapCodec}), beside protobuf-java's generated code for the
 * same .proto ({@link ProtobufCodec}) and beside the ceiling, {@code System.arraycopy} of the encoded
 * bytes, in one run (ARCHITECTURE 2a: the faster codec stays). Bitswap 1.2.0, two shapes: a 64-entry
 * wantlist (want-have and want-block, CIDv1 raw sha2-256, boxo-style priorities near 2^31) and 16 payload
 * blocks of 1 KiB.
 *
 * <ul>
 * <li>{@code *Encode}: a {@link BitswapMessage} to a length-prefixed message in a pooled direct buffer,
 * as {@link BitswapMessageEncoder} does; {@code protobufSerialize} writes an already built protobuf
 * message only (the library's floor, without the conversion a node would need).</li>
 * <li>{@code *Decode}: one body in a pooled direct buffer to a {@link BitswapMessage};
 * {@code protobufParse} parses only.</li>
 * <li>{@code arraycopy}: the encoded message's bytes copied, array to array.</li>
 * </ul>
 * Setup checks that both codecs write the same bytes and read each other's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class BitswapCodecBench {
  private static final MessageLimits LIMITS = MessageLimits.DEFAULT;

  @Param({"WANTLIST_64", "BLOCKS_16_X_1KIB"})
  public String shape;

  private BitswapMessage message;
  private Message proto;
  private byte[] encoded;
  private byte[] copy;
  private ByteBuf out;
  private ByteBuf body;

  @Setup
  public void setup() {
    message = switch (shape) {
      case "WANTLIST_64" -> wantlist(64);
      case "BLOCKS_16_X_1KIB" -> blocks(16, 1024);
      default -> throw new IllegalArgumentException(shape);
    };
    proto = ProtobufCodec.toProto(message);
    out = PooledByteBufAllocator.DEFAULT.directBuffer(2 * (BitswapCodec.encodedSize(message, BitswapProtocol.V1_2_0) + 8));
    BitswapCodec.encode(message, BitswapProtocol.V1_2_0, out);
    encoded = ByteBufUtil.getBytes(out);
    copy = new byte[encoded.length];
    out.clear();
    ProtobufCodec.encode(message, out);
    if (!Arrays.equals(encoded, ByteBufUtil.getBytes(out))) {
      throw new IllegalStateException("the codecs write different bytes for " + shape);
    }
    body = PooledByteBufAllocator.DEFAULT.directBuffer(encoded.length);
    body.writeBytes(encoded, encoded.length - BitswapCodec.encodedSize(message, BitswapProtocol.V1_2_0),
        BitswapCodec.encodedSize(message, BitswapProtocol.V1_2_0));
    if (!message.equals(handDecode()) || !message.equals(protobufDecode())) {
      throw new IllegalStateException("a codec does not read back " + shape);
    }
  }

  @TearDown
  public void tearDown() {
    out.release();
    body.release();
  }

  static BitswapMessage wantlist(int entries) {
    List<WantlistEntry> wants = new ArrayList<>(entries);
    for (int i = 0; i < entries; i++) {
      Cid cid = Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, ByteBuffer.allocate(4).putInt(i).array()));
      int priority = Integer.MAX_VALUE - i;
      wants.add(i % 2 == 0 ? WantlistEntry.wantHave(cid, priority, true) : WantlistEntry.wantBlock(cid, priority, true));
    }
    return BitswapMessage.wants(wants);
  }

  static BitswapMessage blocks(int count, int size) {
    Random random = new Random(count);
    List<BlockPayload> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      blocks.add(BlockPayload.of(Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, data)), data));
    }
    return BitswapMessage.blocks(blocks);
  }

  @Benchmark
  public ByteBuf handEncode() {
    out.clear();
    BitswapCodec.encode(message, BitswapProtocol.V1_2_0, out);
    return out;
  }

  @Benchmark
  public ByteBuf protobufEncode() {
    out.clear();
    ProtobufCodec.encode(message, out);
    return out;
  }

  @Benchmark
  public ByteBuf protobufSerialize() {
    out.clear();
    ProtobufCodec.write(proto, out);
    return out;
  }

  @Benchmark
  public BitswapMessage handDecode() {
    body.readerIndex(0);
    return BitswapCodec.decode(body, LIMITS);
  }

  @Benchmark
  public BitswapMessage protobufDecode() {
    body.readerIndex(0);
    return ProtobufCodec.decode(body);
  }

  @Benchmark
  public Message protobufParse() {
    body.readerIndex(0);
    return ProtobufCodec.parse(body);
  }

  @Benchmark
  public byte[] arraycopy() {
    System.arraycopy(encoded, 0, copy, 0, encoded.length);
    return copy;
  }
}
