package io.cairn.bitswap.message;

import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one {@link Varint} against the inline copies it replaced (issue 12), in one run: each {@code old*}
 * method is the copy as it stood before, kept here verbatim and nowhere else; each {@code new*} method is
 * the call the code makes now (the bitswap codec's own {@link Wire} and {@link WireReader}, or, where the
 * caller's reader is private, the same lambda over the same fields). Time per varint, over 1,024 values:
 *
 * <ul>
 * <li>{@code SMALL}: what protobuf messages mostly carry (tags, lengths, flags, priorities under 2^21):
 * 75% one byte, 20% two, 5% three.</li>
 * <li>{@code WIDE}: every bit length alike, 1 to 64 (so 1 to 10 bytes, negatives included); length
 * prefixes 1 to 22 bits (bitswap's 4 MiB).</li>
 * </ul>
 *
 * <p>Pairs: {@code wireWrite} (bitswap's writer into a pooled direct buffer; the old one had 1- and 2-byte
 * fast paths), {@code wireRead} (bitswap's reader, by absolute index), {@code frameLength} (the bitswap
 * stream's length prefix), {@code arrayRead} (dag-pb and UnixFS readers over a {@code byte[]}, with
 * dag-pb's 64-bit overflow check), {@code arrayWrite} (dag-pb's writer), {@code streamWrite} (UnixFS and
 * the Noise payload into a {@link ByteArrayOutputStream}). Setup checks that both sides of each pair read
 * and write the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(VarintBench.COUNT)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class VarintBench {
  static final int COUNT = 1024;
  private static final int MAX_FRAME = MessageLimits.MAX_MESSAGE_BYTES;

  @Param({"SMALL", "WIDE"})
  public String values;

  private long[] numbers;
  private long[] lengths;
  private ByteBuf wire;
  private int wireEnd;
  private ByteBuf frames;
  private byte[] array;
  private ByteBuf out;
  private byte[] arrayOut;
  private final ByteArrayOutputStream stream = new ByteArrayOutputStream(COUNT * Varint.MAX_PROTOBUF_LENGTH);

  @Setup
  public void setup() {
    Random random = new Random(12);
    numbers = new long[COUNT];
    lengths = new long[COUNT];
    for (int i = 0; i < COUNT; i++) {
      if (values.equals("SMALL")) {
        int p = random.nextInt(100);
        int bits = p < 75 ? 7 : p < 95 ? 14 : 21;
        numbers[i] = random.nextLong() >>> (64 - bits);
        lengths[i] = numbers[i];
      } else {
        int bits = 1 + random.nextInt(64);
        numbers[i] = bits == 64 ? random.nextLong() | Long.MIN_VALUE : random.nextLong() >>> (64 - bits);
        lengths[i] = random.nextLong() >>> (64 - 1 - random.nextInt(22));
      }
    }
    out = PooledByteBufAllocator.DEFAULT.directBuffer(COUNT * Varint.MAX_PROTOBUF_LENGTH);
    arrayOut = new byte[COUNT * Varint.MAX_PROTOBUF_LENGTH];
    wire = PooledByteBufAllocator.DEFAULT.directBuffer(COUNT * Varint.MAX_PROTOBUF_LENGTH);
    for (long n : numbers) {
      oldWriteVarint(wire, n);
    }
    wireEnd = wire.writerIndex();
    array = new byte[wireEnd];
    wire.getBytes(0, array);
    frames = PooledByteBufAllocator.DEFAULT.directBuffer(COUNT * 4);
    for (long n : lengths) {
      oldWriteVarint(frames, n);
    }
    check();
  }

  private void check() {
    String[] pairs = {
      ByteBufUtil.hexDump(oldWireWrite()), ByteBufUtil.hexDump(newWireWrite()),
      Long.toString(oldWireRead()), Long.toString(newWireRead()),
      Long.toString(oldFrameLength()), Long.toString(newFrameLength()),
      Long.toString(oldArrayRead()), Long.toString(newArrayRead()),
      oldArrayWrite() + HexFormat.of().formatHex(arrayOut), newArrayWrite() + HexFormat.of().formatHex(arrayOut),
      oldStreamWrite() + HexFormat.of().formatHex(stream.toByteArray()),
      newStreamWrite() + HexFormat.of().formatHex(stream.toByteArray())};
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i].equals(pairs[i + 1])) {
        throw new IllegalStateException("pair " + i / 2 + " differs");
      }
    }
    if (!pairs[0].equals(ByteBufUtil.hexDump(wire, 0, wireEnd))) {
      throw new IllegalStateException("the writers do not write what the readers read");
    }
  }

  @TearDown
  public void tearDown() {
    out.release();
    wire.release();
    frames.release();
  }

  // --- bitswap's writer ---

  @Benchmark
  public ByteBuf oldWireWrite() {
    out.clear();
    for (long n : numbers) {
      oldWriteVarint(out, n);
    }
    return out;
  }

  @Benchmark
  public ByteBuf newWireWrite() {
    out.clear();
    for (long n : numbers) {
      Wire.writeVarint(out, n);
    }
    return out;
  }

  // --- bitswap's reader ---

  @Benchmark
  public long oldWireRead() {
    OldWireReader reader = new OldWireReader(wire, 0);
    long sum = 0;
    for (int i = 0; i < COUNT; i++) {
      sum += reader.varint(wireEnd);
    }
    return sum;
  }

  @Benchmark
  public long newWireRead() {
    WireReader reader = new WireReader(wire, 0, "bench");
    long sum = 0;
    for (int i = 0; i < COUNT; i++) {
      sum += reader.varint(wireEnd);
    }
    return sum;
  }

  // --- the bitswap stream's length prefix ---

  @Benchmark
  public long oldFrameLength() {
    frames.readerIndex(0);
    long sum = 0;
    for (int i = 0; i < COUNT; i++) {
      sum += oldReadLength(frames, MAX_FRAME);
    }
    return sum;
  }

  @Benchmark
  public long newFrameLength() {
    frames.readerIndex(0);
    long sum = 0;
    for (int i = 0; i < COUNT; i++) {
      sum += newReadLength(frames, MAX_FRAME);
    }
    return sum;
  }

  // --- dag-pb's and UnixFS's readers over an array ---

  @Benchmark
  public long oldArrayRead() {
    OldArrayReader reader = new OldArrayReader(array);
    long sum = 0;
    for (int i = 0; i < COUNT; i++) {
      sum += reader.varint(array.length);
    }
    return sum;
  }

  @Benchmark
  public long newArrayRead() {
    NewArrayReader reader = new NewArrayReader(array);
    long sum = 0;
    for (int i = 0; i < COUNT; i++) {
      sum += reader.varint(array.length);
    }
    return sum;
  }

  // --- dag-pb's writer ---

  @Benchmark
  public long oldArrayWrite() {
    int pos = 0;
    for (long n : numbers) {
      pos = oldWriteVarint(arrayOut, pos, n);
    }
    return pos;
  }

  @Benchmark
  public long newArrayWrite() {
    int pos = 0;
    for (long n : numbers) {
      pos = Varint.putProtobuf(n, arrayOut, pos);
    }
    return pos;
  }

  // --- UnixFS's and the Noise payload's writer ---

  @Benchmark
  public long oldStreamWrite() {
    stream.reset();
    for (long n : numbers) {
      oldWriteVarint(stream, n);
    }
    return stream.size();
  }

  @Benchmark
  public long newStreamWrite() {
    stream.reset();
    for (long n : numbers) {
      Varint.encodeProtobuf(n, stream::write);
    }
    return stream.size();
  }

  // --- the new call where the caller's reader is private: the same lambda over the same fields ---

  /** As {@code BitswapFrameDecoder.readLength} now reads. */
  private static int newReadLength(ByteBuf in, int maxMessageBytes) {
    int start = in.readerIndex();
    long length;
    try {
      length = Varint.decode(() -> in.isReadable() ? in.readByte() & 0xff : -1, 5, false, maxMessageBytes);
    } catch (InvalidVarintException e) {
      throw new MalformedMessageException("message length " + e.getMessage());
    }
    if (length == Varint.INCOMPLETE) {
      in.readerIndex(start);
      return -1;
    }
    if (length > maxMessageBytes) {
      boolean whole = in.getByte(in.readerIndex() - 1) >= 0;
      throw new MessageTooLargeException("message of " + (whole ? "" : "at least ") + length + " bytes announced");
    }
    return (int) length;
  }

  /** As {@code DagPb}'s and {@code UnixFsData}'s readers now read. */
  private static final class NewArrayReader {
    private final byte[] in;
    private int pos;

    NewArrayReader(byte[] in) {
      this.in = in;
    }

    long varint(int end) {
      try {
        return Varint.decodeProtobuf(() -> pos < end ? in[pos++] & 0xff : -1);
      } catch (InvalidVarintException e) {
        throw new IllegalArgumentException("malformed: " + e.getMessage());
      }
    }
  }

  // --- the copies as they were (commit e80e954) ---

  /** {@code bitswap.message.Wire.writeVarint}. */
  private static void oldWriteVarint(ByteBuf out, long value) {
    if ((value & ~0x7FL) == 0) {
      out.writeByte((int) value);
      return;
    }
    if ((value & ~0x3FFFL) == 0) {
      out.writeShort((int) ((value & 0x7F | 0x80) << 8 | value >>> 7));
      return;
    }
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) (value & 0x7F | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  /** {@code bitswap.message.WireReader.varint}. */
  private static final class OldWireReader {
    private final ByteBuf buf;
    private int pos;

    OldWireReader(ByteBuf buf, int start) {
      this.buf = buf;
      this.pos = start;
    }

    long varint(int end) {
      long value = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        if (pos >= end) {
          throw new MalformedMessageException("truncated varint");
        }
        byte b = buf.getByte(pos++);
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new MalformedMessageException("varint longer than 10 bytes");
    }
  }

  /** {@code bitswap.message.BitswapFrameDecoder.readLength}. */
  private static int oldReadLength(ByteBuf in, int maxMessageBytes) {
    int start = in.readerIndex();
    long length = 0;
    for (int i = 0; i < 5; i++) {
      if (i == in.readableBytes()) {
        return -1;
      }
      int b = in.getUnsignedByte(start + i);
      length |= (long) (b & 0x7F) << 7 * i;
      if (length > maxMessageBytes) {
        throw new MessageTooLargeException("message of " + (b < 0x80 ? "" : "at least ") + length + " bytes announced");
      }
      if (b < 0x80) {
        in.skipBytes(i + 1);
        return (int) length;
      }
    }
    throw new MalformedMessageException("message length varint longer than 5 bytes");
  }

  /** {@code dag.DagPb.Decoder.varint} (UnixFsData's differed only in not checking the tenth byte). */
  private static final class OldArrayReader {
    private final byte[] in;
    private int pos;

    OldArrayReader(byte[] in) {
      this.in = in;
    }

    long varint(int end) {
      long value = 0;
      for (int i = 0; i < 10; i++) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated");
        }
        byte b = in[pos++];
        if (i == 10 - 1 && (b & 0xFF) > 1) {
          throw new IllegalArgumentException("overflows 64 bits");
        }
        value |= (long) (b & 0x7F) << (7 * i);
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("overflows 64 bits");
    }
  }

  /** {@code dag.DagPb.writeVarint}. */
  private static int oldWriteVarint(byte[] out, int pos, long value) {
    while ((value & ~0x7FL) != 0) {
      out[pos++] = (byte) (value & 0x7F | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return pos;
  }

  /** {@code unixfs.internal.UnixFsData.varint} (and the Noise payload's {@code writeVarint}). */
  private static void oldWriteVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }
}
