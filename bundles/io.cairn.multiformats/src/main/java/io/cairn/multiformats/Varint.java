package io.cairn.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Base-128 varints (unsigned LEB128: seven bits per byte, the high bit set on every byte but the last),
 * the one implementation every Cairn bundle uses. Two rule sets share the encoding:
 *
 * <ul>
 * <li><b>unsigned-varint</b> (multiformats/unsigned-varint; CIDs, multihashes, multiaddrs, multistream and
 * CAR lengths): at most {@value #MAX_LENGTH} bytes (so values fit in 63 bits), minimal encoding only (a
 * final {@code 0x00} byte after a continuation, as in {@code 0x81 0x00}, is rejected), no reading past
 * the end of the input. Because encodings are minimal, the number of bytes a decoded value took is
 * always {@link #encodedLength(long)} of the value. Methods without "protobuf" in their name follow these
 * rules.</li>
 * <li><b>protobuf</b> (the protobuf wire format's varint; identify, the Noise handshake payload, bitswap,
 * dag-pb, UnixFS): at most {@value #MAX_PROTOBUF_LENGTH} bytes holding a full 64-bit value, so a negative
 * {@code long} is a uint64 of 2^63 or more (or a sign-extended int32) and takes 10 bytes; encodings that
 * are not minimal are accepted, as protobuf parsers accept them; a tenth byte over 1 (bits past 64) is
 * refused, as Go's {@code protowire} refuses it.</li>
 * </ul>
 *
 * <p>Besides arrays, {@link ByteBuffer}s and streams, a varint can be read from any {@link ByteSource} and
 * written to any {@link IntConsumer} (a Netty {@code ByteBuf}'s {@code readByte}/{@code writeByte},
 * a cursor over part of an array), so that a bundle never needs a loop of its own. A stream's length
 * prefix, which may arrive in pieces and is checked against a limit as its bytes arrive, is read with
 * {@link #decode(ByteSource, int, boolean, long)}.
 */
public final class Varint {
    /** The longest encoding the spec allows: 9 bytes, 63 bits of value. */
    public static final int MAX_LENGTH = 9;

    /** The longest protobuf varint: 10 bytes, a full 64-bit value. */
    public static final int MAX_PROTOBUF_LENGTH = 10;

    /**
     * What {@link #decode(ByteSource, int, boolean, long)} returns when its source runs out before the
     * varint's last byte: never a value, since the values it decodes fit in 63 bits.
     */
    public static final long INCOMPLETE = -1;

    /**
     * Where a decoder reads a varint one byte at a time: a Netty buffer, a cursor over part of an array, a
     * stream. Each call consumes the byte it returns; a decoder reads no byte past the varint's last.
     *
     * @param <X> what reading may throw ({@link IOException} for a stream; nothing checked for a buffer)
     */
    @ConsumerType
    @FunctionalInterface
    public interface ByteSource<X extends Exception> {
        /**
         * @return the next byte, 0 to 255, or -1 if there is none
         * @throws X if reading fails
         */
        int next() throws X;
    }

    /**
     * A decoded value and the number of bytes its encoding took.
     *
     * @param value the unsigned value, never negative
     * @param length bytes consumed, 1 to {@value #MAX_LENGTH}
     */
    public record Decoded(long value, int length) {
    }

    private Varint() {
    }

    /**
     * @param value a non-negative value
     * @return how many bytes {@link #encode(long)} writes for it, 1 to {@value #MAX_LENGTH}
     * @throws IllegalArgumentException if the value is negative
     */
    public static int encodedLength(long value) {
        requireNonNegative(value);
        // The same encoding as protobuf's: only the range of values differs.
        return protobufLength(value);
    }

    /**
     * @param value a non-negative value
     * @return its minimal encoding
     * @throws IllegalArgumentException if the value is negative
     */
    public static byte[] encode(long value) {
        byte[] out = new byte[encodedLength(value)];
        encode(value, out, 0);
        return out;
    }

    /**
     * Writes the encoding of {@code value} into {@code dest} at {@code offset}.
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException if the value is negative
     * @throws IndexOutOfBoundsException if {@code dest} has no room for the encoding
     */
    public static int encode(long value, byte[] dest, int offset) {
        Objects.checkFromIndexSize(offset, encodedLength(value), dest.length);
        return putProtobuf(value, dest, offset) - offset;
    }

    /**
     * Writes the encoding of {@code value} one byte at a time, each as an {@code int} from 0 to 255.
     *
     * @throws IllegalArgumentException if the value is negative
     */
    public static void encode(long value, IntConsumer sink) {
        requireNonNegative(value);
        encodeProtobuf(value, sink);
    }

    /**
     * Writes the encoding of {@code value} at the buffer's position and advances it.
     *
     * @throws IllegalArgumentException if the value is negative
     * @throws BufferOverflowException if the buffer has no room for the encoding
     */
    public static void encode(long value, ByteBuffer dest) {
        if (dest.remaining() < encodedLength(value)) {
            throw new BufferOverflowException();
        }
        encodeProtobuf(value, b -> dest.put((byte) b));
    }

    /**
     * Writes the encoding of {@code value} to a stream.
     *
     * @throws IllegalArgumentException if the value is negative
     * @throws IOException if the stream fails
     */
    public static void encode(long value, OutputStream out) throws IOException {
        byte[] buffer = new byte[MAX_LENGTH];
        out.write(buffer, 0, encode(value, buffer, 0));
    }

    /**
     * Decodes the varint that starts at {@code offset} and may run to the end of the array.
     *
     * @throws InvalidVarintException if it is truncated, over-long or not minimal
     * @throws IndexOutOfBoundsException if {@code offset} is outside the array
     */
    public static Decoded decode(byte[] src, int offset) {
        return decode(src, offset, src.length);
    }

    /**
     * Decodes the varint that starts at {@code offset} and must end before {@code limit}.
     *
     * @throws InvalidVarintException if it is truncated at {@code limit}, over-long or not minimal
     * @throws IndexOutOfBoundsException if {@code offset..limit} is not a range of the array
     */
    public static Decoded decode(byte[] src, int offset, int limit) {
        long value = decodeValue(src, offset, limit);
        return new Decoded(value, encodedLength(value));
    }

    /**
     * Like {@link #decode(byte[], int, int)} but without the result object, for hot paths: the number of
     * bytes consumed is {@link #encodedLength(long)} of the result.
     *
     * @throws InvalidVarintException if it is truncated at {@code limit}, over-long or not minimal
     * @throws IndexOutOfBoundsException if {@code offset..limit} is not a range of the array
     */
    public static long decodeValue(byte[] src, int offset, int limit) {
        Objects.checkFromToIndex(offset, limit, src.length);
        long value = 0;
        for (int i = 0; i < MAX_LENGTH; i++) {
            if (offset + i >= limit) {
                throw new InvalidVarintException("varint truncated after " + i + " byte(s)");
            }
            value = accumulate(value, src[offset + i], i);
            if (src[offset + i] >= 0) {
                return value;
            }
        }
        throw new InvalidVarintException("varint longer than " + MAX_LENGTH + " bytes");
    }

    /**
     * Decodes the varint at the buffer's position and advances past it; on failure the position is
     * left where it was.
     *
     * @throws InvalidVarintException if it is truncated at the limit, over-long or not minimal
     */
    public static long decode(ByteBuffer src) {
        int start = src.position();
        int[] at = {start};
        long value = decode(() -> at[0] < src.limit() ? src.get(at[0]++) & 0xff : -1, MAX_LENGTH, true,
                Long.MAX_VALUE);
        if (value == INCOMPLETE) {
            throw new InvalidVarintException("varint truncated after " + (at[0] - start) + " byte(s)");
        }
        src.position(at[0]);
        return value;
    }

    /**
     * Reads one varint from a stream, consuming exactly its bytes.
     *
     * @throws EOFException if the stream ends before the first byte (a clean end between values)
     * @throws InvalidVarintException if the stream ends inside the varint, or it is over-long or not minimal
     * @throws IOException if the stream fails
     */
    public static long decode(InputStream in) throws IOException {
        int[] read = {0};
        long value = decode(() -> {
            int b = in.read();
            read[0] += b < 0 ? 0 : 1;
            return b;
        }, MAX_LENGTH, true, Long.MAX_VALUE);
        if (value == INCOMPLETE) {
            if (read[0] == 0) {
                throw new EOFException("end of stream before a varint");
            }
            throw new InvalidVarintException("varint truncated after " + read[0] + " byte(s)");
        }
        return value;
    }

    /**
     * Decodes an unsigned varint of at most {@code maxLength} bytes, such as a message's length prefix,
     * from a source that may not hold all of it yet, refusing a value over {@code maxValue} as soon as the
     * bytes read so far exceed it (an oversize length is refused before the rest of it, or the message,
     * is awaited).
     *
     * @param source the bytes; reading stops at the varint's last byte, at the first byte that takes the
     *     value over {@code maxValue}, or where the source runs out
     * @param maxLength the most bytes the varint may take: 1 to {@value #MAX_LENGTH}
     * @param minimal whether an encoding that is not minimal is refused (multiformats requires it; the
     *     length prefixes of protobuf message streams do not)
     * @param maxValue the largest value the caller accepts, 0 or more
     * @return the value; or, if it is over {@code maxValue}, the value of the bytes read so far (a lower
     *     bound of the value announced, which may have more bytes); or {@link #INCOMPLETE} if the source
     *     ran out first
     * @throws InvalidVarintException if it is longer than {@code maxLength} bytes, or not minimal when
     *     {@code minimal} is set
     * @throws IllegalArgumentException if {@code maxLength} or {@code maxValue} is out of range
     * @throws X if the source fails
     */
    public static <X extends Exception> long decode(ByteSource<X> source, int maxLength, boolean minimal,
            long maxValue) throws X {
        if (maxLength < 1 || maxLength > MAX_LENGTH || maxValue < 0) {
            throw new IllegalArgumentException("maxLength must be 1 to " + MAX_LENGTH + " and maxValue 0 or more, not "
                    + maxLength + " and " + maxValue);
        }
        long value = 0;
        for (int i = 0; i < maxLength; i++) {
            int b = source.next();
            if (b < 0) {
                return INCOMPLETE;
            }
            if (minimal && b == 0 && i > 0) {
                throw new InvalidVarintException("varint not minimally encoded");
            }
            value |= (long) (b & 0x7f) << (7 * i);
            if (b < 0x80 || value > maxValue) {
                return value;
            }
        }
        throw new InvalidVarintException("varint longer than " + maxLength + " bytes");
    }

    /**
     * @param value any value, read as an unsigned 64-bit integer
     * @return how many bytes its protobuf varint takes: 1 to {@value #MAX_PROTOBUF_LENGTH} (10 for a
     *     negative value)
     */
    public static int protobufLength(long value) {
        // 7 payload bits a byte; zero still takes one byte.
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    /**
     * Writes the protobuf varint of {@code value}, read as an unsigned 64-bit integer, into {@code dest} at
     * {@code at}, as a writer that keeps its position does.
     *
     * @return the index just past the encoding: {@code at} plus {@link #protobufLength(long)} of the value
     *     (the position, not the count, because a writer wants the position: measured faster in a tight
     *     loop than adding a count to it, VarintBench)
     * @throws IndexOutOfBoundsException if {@code dest} has no room for the encoding (part of it may have
     *     been written)
     */
    public static int putProtobuf(long value, byte[] dest, int at) {
        // No length computed first: the array's own bounds checks are the check.
        long rest = value;
        int i = at;
        while ((rest & ~0x7fL) != 0) {
            dest[i++] = (byte) (rest | 0x80);
            rest >>>= 7;
        }
        dest[i++] = (byte) rest;
        return i;
    }

    /**
     * Writes the protobuf varint of {@code value}, read as an unsigned 64-bit integer, one byte at a time,
     * each as an {@code int} from 0 to 255.
     */
    public static void encodeProtobuf(long value, IntConsumer sink) {
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            sink.accept((int) (rest & 0x7f | 0x80));
            rest >>>= 7;
        }
        sink.accept((int) rest);
    }

    /**
     * Reads one protobuf varint: 1 to {@value #MAX_PROTOBUF_LENGTH} bytes, minimal or not.
     *
     * @return the value, an unsigned 64-bit integer (negative if 2^63 or more)
     * @throws InvalidVarintException if the source runs out inside it ("truncated varint"), it is longer
     *     than 10 bytes, or its tenth byte carries bits past 64
     * @throws X if the source fails
     */
    public static <X extends Exception> long decodeProtobuf(ByteSource<X> source) throws X {
        // Nine bytes in the loop, the tenth (bit 63 alone) apart: measured faster than one loop of ten
        // that checks for the tenth on every byte (VarintBench).
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = source.next();
            if (b < 0) {
                throw new InvalidVarintException("truncated varint");
            }
            value |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        int b = source.next();
        if (b < 0) {
            throw new InvalidVarintException("truncated varint");
        }
        if (b > 1) {
            throw new InvalidVarintException(b < 0x80 ? "varint overflows 64 bits"
                    : "varint longer than " + MAX_PROTOBUF_LENGTH + " bytes");
        }
        return value | (long) b << 63;
    }

    private static long accumulate(long value, byte b, int index) {
        if (b == 0 && index > 0) {
            throw new InvalidVarintException("varint not minimally encoded");
        }
        return value | (long) (b & 0x7f) << (7 * index);
    }

    private static void requireNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("unsigned varints hold 0 to 2^63-1, not " + value);
        }
    }
}
