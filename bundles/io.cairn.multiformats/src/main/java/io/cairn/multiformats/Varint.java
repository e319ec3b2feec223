package io.cairn.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Unsigned varints as the multiformats specs use them (multiformats/unsigned-varint): unsigned LEB128,
 * seven bits per byte with the high bit set on every byte but the last.
 *
 * <p>Decoding is strict: at most {@value #MAX_LENGTH} bytes (so values fit in 63 bits), minimal encoding
 * only (a final {@code 0x00} byte after a continuation, as in {@code 0x81 0x00}, is rejected), and no
 * reading past the end of the input. Because encodings are minimal, the number of bytes a decoded value
 * took is always {@link #encodedLength(long)} of the value.
 */
public final class Varint {
    /** The longest encoding the spec allows: 9 bytes, 63 bits of value. */
    public static final int MAX_LENGTH = 9;

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
        // 7 payload bits a byte; zero still takes one byte.
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
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
        int length = encodedLength(value);
        Objects.checkFromIndexSize(offset, length, dest.length);
        long rest = value;
        int i = offset;
        while (rest >= 0x80) {
            dest[i++] = (byte) (rest | 0x80);
            rest >>>= 7;
        }
        dest[i] = (byte) rest;
        return length;
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
        long rest = value;
        while (rest >= 0x80) {
            dest.put((byte) (rest | 0x80));
            rest >>>= 7;
        }
        dest.put((byte) rest);
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
        long value = 0;
        for (int i = 0; i < MAX_LENGTH; i++) {
            if (start + i >= src.limit()) {
                throw new InvalidVarintException("varint truncated after " + i + " byte(s)");
            }
            byte b = src.get(start + i);
            value = accumulate(value, b, i);
            if (b >= 0) {
                src.position(start + i + 1);
                return value;
            }
        }
        throw new InvalidVarintException("varint longer than " + MAX_LENGTH + " bytes");
    }

    /**
     * Reads one varint from a stream, consuming exactly its bytes.
     *
     * @throws EOFException if the stream ends before the first byte (a clean end between values)
     * @throws InvalidVarintException if the stream ends inside the varint, or it is over-long or not minimal
     * @throws IOException if the stream fails
     */
    public static long decode(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < MAX_LENGTH; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    throw new EOFException("end of stream before a varint");
                }
                throw new InvalidVarintException("varint truncated after " + i + " byte(s)");
            }
            value = accumulate(value, (byte) b, i);
            if (b < 0x80) {
                return value;
            }
        }
        throw new InvalidVarintException("varint longer than " + MAX_LENGTH + " bytes");
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
