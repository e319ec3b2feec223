package io.cairn.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VarintTest {
    static List<Vectors.Row> valid() {
        return Vectors.rows("varint/valid.csv");
    }

    static List<Vectors.Row> invalid() {
        return Vectors.rows("varint/invalid.csv");
    }

    @ParameterizedTest
    @MethodSource("valid")
    void encodesAndDecodesSpecExamples(Vectors.Row row) throws IOException {
        long value = Long.parseUnsignedLong(row.get(0));
        byte[] encoded = Vectors.hex(row.get(1));

        assertArrayEquals(encoded, Varint.encode(value));
        assertEquals(encoded.length, Varint.encodedLength(value));
        assertEquals(new Varint.Decoded(value, encoded.length), Varint.decode(encoded, 0));
        assertEquals(value, Varint.decode(ByteBuffer.wrap(encoded)));
        assertEquals(value, Varint.decode(new ByteArrayInputStream(encoded)));
        // Followed by another byte: the buffer is left, and the stream read, just past the varint.
        byte[] followed = Arrays.copyOf(encoded, encoded.length + 1);
        followed[encoded.length] = 0x7f;
        ByteBuffer then = ByteBuffer.wrap(followed);
        assertEquals(value, Varint.decode(then));
        assertEquals(encoded.length, then.position());
        ByteArrayInputStream stream = new ByteArrayInputStream(followed);
        assertEquals(value, Varint.decode(stream));
        assertEquals(0x7f, stream.read());
        ByteBuffer buffer = ByteBuffer.allocate(Varint.MAX_LENGTH);
        Varint.encode(value, buffer);
        assertArrayEquals(encoded, Arrays.copyOf(buffer.array(), buffer.position()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Varint.encode(value, out);
        assertArrayEquals(encoded, out.toByteArray());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Varint.encode(value, sink::write);
        assertArrayEquals(encoded, sink.toByteArray());
        assertEquals(value, Varint.decode(source(encoded), Varint.MAX_LENGTH, true, Long.MAX_VALUE));
        // The same bytes are the protobuf varint of the value.
        assertEquals(encoded.length, Varint.protobufLength(value));
        assertEquals(value, Varint.decodeProtobuf(source(encoded)));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalidEncodingsEverywhere(Vectors.Row row) {
        byte[] encoded = Vectors.hex(row.get(0));

        assertThrows(InvalidVarintException.class, () -> Varint.decode(encoded, 0), row.get(1));
        ByteBuffer buffer = ByteBuffer.wrap(encoded);
        assertThrows(InvalidVarintException.class, () -> Varint.decode(buffer), row.get(1));
        assertEquals(0, buffer.position(), "position unchanged on failure");
        assertThrows(InvalidVarintException.class, () -> Varint.decode(new ByteArrayInputStream(encoded)), row.get(1));
        if (row.get(1).equals("truncated")) {
            assertEquals(Varint.INCOMPLETE, Varint.decode(source(encoded), Varint.MAX_LENGTH, true, Long.MAX_VALUE));
        } else {
            assertThrows(InvalidVarintException.class,
                    () -> Varint.decode(source(encoded), Varint.MAX_LENGTH, true, Long.MAX_VALUE), row.get(1));
        }
    }

    @Test
    void rejectsNonMinimalZeroAndTruncationAtLimit() {
        assertThrows(InvalidVarintException.class, () -> Varint.decode(new byte[] {(byte) 0x80, 0x00}, 0));
        byte[] twoBytes = {(byte) 0xac, 0x02};
        assertThrows(InvalidVarintException.class, () -> Varint.decode(twoBytes, 0, 1));
        assertEquals(300, Varint.decode(twoBytes, 0, 2).value());
    }

    @Test
    void cleanEndOfStreamIsEofNotAFormatError() {
        assertThrows(EOFException.class, () -> Varint.decode(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void zeroIsOneByte() {
        assertArrayEquals(new byte[] {0}, Varint.encode(0));
        assertEquals(new Varint.Decoded(0, 1), Varint.decode(new byte[] {0}, 0));
    }

    @Test
    void roundTripsAroundEverySevenBitBoundary() {
        Stream.iterate(1L, v -> v > 0 && v < Long.MAX_VALUE / 64, v -> v << 7).forEach(power -> {
            for (long value : new long[] {power - 1, power, power + 1}) {
                byte[] encoded = Varint.encode(value);
                assertEquals(new Varint.Decoded(value, encoded.length), Varint.decode(encoded, 0));
            }
        });
    }

    @Test
    void refusesToEncodeNegatives() {
        assertThrows(IllegalArgumentException.class, () -> Varint.encode(-1));
        assertThrows(IllegalArgumentException.class, () -> Varint.encodedLength(Long.MIN_VALUE));
    }

    @Test
    void fuzzedBytesDecodeToCanonicalValuesOrFailTyped() {
        Random random = new Random(0x7a11);
        for (int i = 0; i < 10_000; i++) {
            byte[] input = new byte[random.nextInt(12)];
            random.nextBytes(input);
            // Bias towards continuation bytes so long encodings are reached.
            for (int k = 0; k < input.length; k++) {
                if (random.nextInt(3) > 0) {
                    input[k] |= (byte) 0x80;
                }
            }
            try {
                Varint.Decoded decoded = Varint.decode(input, 0);
                assertArrayEquals(Arrays.copyOf(input, decoded.length()), Varint.encode(decoded.value()));
            } catch (InvalidVarintException expected) {
                // the only failure allowed
            }
        }
    }

    // --- a source read byte by byte: stream length prefixes ---

    @Test
    void aPrefixThatHasNotAllArrivedIsIncompleteAndNothingIsReadPastTheVarint() {
        CountingSource partial = new CountingSource(Vectors.hex("ac"));
        assertEquals(Varint.INCOMPLETE, Varint.decode(partial, Varint.MAX_LENGTH, true, Long.MAX_VALUE));
        assertEquals(Varint.INCOMPLETE, Varint.decode(new CountingSource(new byte[0]), 5, false, 10));

        CountingSource followed = new CountingSource(Vectors.hex("ac02" + "ff"));
        assertEquals(300, Varint.decode(followed, Varint.MAX_LENGTH, true, Long.MAX_VALUE));
        assertEquals(2, followed.read, "the byte after the varint stays unread");
    }

    @Test
    void aValueOverTheLimitIsReturnedAsSoonAsItsBytesSaySo() {
        // 0xff 0xff: at least 16,383 whatever follows; the third byte is never awaited.
        CountingSource early = new CountingSource(Vectors.hex("ffff"));
        assertEquals(16_383, Varint.decode(early, Varint.MAX_LENGTH, true, 1000));
        assertEquals(2, early.read);
        // Complete and over: the value itself.
        assertEquals(4_194_305, Varint.decode(source(Vectors.hex("81808002")), 5, false, 4 << 20));
        // At the limit: accepted.
        assertEquals(4 << 20, Varint.decode(source(Vectors.hex("80808002")), 5, false, 4 << 20));
    }

    @Test
    void lengthAndMinimalityAreTheCallersRules() {
        InvalidVarintException tooLong = assertThrows(InvalidVarintException.class,
                () -> Varint.decode(source(Vectors.hex("808080808001")), 5, false, Long.MAX_VALUE));
        assertEquals("varint longer than 5 bytes", tooLong.getMessage());
        // Not minimal: refused when asked, accepted as protobuf message streams accept it.
        assertThrows(InvalidVarintException.class,
                () -> Varint.decode(source(Vectors.hex("8300")), Varint.MAX_LENGTH, true, Long.MAX_VALUE));
        assertEquals(3, Varint.decode(source(Vectors.hex("8300")), Varint.MAX_LENGTH, false, Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> Varint.decode(source(new byte[1]), 10, true, 1));
        assertThrows(IllegalArgumentException.class, () -> Varint.decode(source(new byte[1]), 0, true, 1));
        assertThrows(IllegalArgumentException.class, () -> Varint.decode(source(new byte[1]), 9, true, -1));
    }

    @Test
    void aSourcesOwnFailurePassesThrough() {
        Varint.ByteSource<IOException> failing = () -> {
            throw new IOException("disk gone");
        };
        assertEquals("disk gone", assertThrows(IOException.class,
                () -> Varint.decode(failing, Varint.MAX_LENGTH, true, Long.MAX_VALUE)).getMessage());
        assertThrows(IOException.class, () -> Varint.decodeProtobuf(failing));
    }

    // --- protobuf varints ---

    @Test
    void protobufVarintsCarryAllSixtyFourBits() {
        long[] values = {0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, -1L >>> 1, Long.MIN_VALUE, -1, -2,
            Integer.MIN_VALUE};
        for (long value : values) {
            byte[] array = new byte[Varint.MAX_PROTOBUF_LENGTH + 2];
            int length = Varint.putProtobuf(value, array, 1) - 1;
            assertEquals(Varint.protobufLength(value), length);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            Varint.encodeProtobuf(value, sink::write);
            assertArrayEquals(Arrays.copyOfRange(array, 1, 1 + length), sink.toByteArray());
            CountingSource in = new CountingSource(sink.toByteArray());
            assertEquals(value, Varint.decodeProtobuf(in), Long.toUnsignedString(value));
            assertEquals(length, in.read);
        }
        // A negative value (a uint64 of 2^63 or more, or a sign-extended int32) takes all ten bytes.
        assertEquals(10, Varint.protobufLength(-1));
        assertArrayEquals(Vectors.hex("ffffffffffffffffff01"), encodeProtobuf(-1));
        assertArrayEquals(Vectors.hex("80808080808080808001"), encodeProtobuf(Long.MIN_VALUE));
    }

    @Test
    void protobufDecodingAcceptsWhatProtobufAcceptsAndNoMore() {
        assertEquals(0, Varint.decodeProtobuf(source(Vectors.hex("8000"))), "not minimal, but protobuf");
        assertEquals(1, Varint.decodeProtobuf(source(Vectors.hex("81808080808080808000"))), "ten bytes, not minimal");
        assertEquals("truncated varint",
                assertThrows(InvalidVarintException.class, () -> Varint.decodeProtobuf(source(Vectors.hex("80"))))
                        .getMessage());
        assertEquals("truncated varint",
                assertThrows(InvalidVarintException.class, () -> Varint.decodeProtobuf(source(new byte[0])))
                        .getMessage());
        assertEquals("varint longer than 10 bytes", assertThrows(InvalidVarintException.class,
                () -> Varint.decodeProtobuf(source(Vectors.hex("ff".repeat(10) + "01")))).getMessage());
        // Go's protowire: a tenth byte over 1 holds bits past 64.
        assertEquals("varint overflows 64 bits", assertThrows(InvalidVarintException.class,
                () -> Varint.decodeProtobuf(source(Vectors.hex("ff".repeat(9) + "02")))).getMessage());
    }

    @Test
    void fuzzedProtobufBytesReencodeToTheSameValueOrFailTyped() {
        Random random = new Random(0x7a12);
        for (int i = 0; i < 10_000; i++) {
            byte[] input = new byte[random.nextInt(13)];
            random.nextBytes(input);
            for (int k = 0; k < input.length; k++) {
                if (random.nextInt(4) > 0) {
                    input[k] |= (byte) 0x80;
                }
            }
            try {
                long value = Varint.decodeProtobuf(source(input));
                assertEquals(value, Varint.decodeProtobuf(source(encodeProtobuf(value))));
            } catch (InvalidVarintException expected) {
                // the only failure allowed
            }
        }
    }

    private static byte[] encodeProtobuf(long value) {
        byte[] out = new byte[Varint.protobufLength(value)];
        assertEquals(out.length, Varint.putProtobuf(value, out, 0));
        return out;
    }

    private static Varint.ByteSource<RuntimeException> source(byte[] bytes) {
        return new CountingSource(bytes);
    }

    /** An array read byte by byte, counting what the decoder took. */
    private static final class CountingSource implements Varint.ByteSource<RuntimeException> {
        private final byte[] bytes;
        int read;

        CountingSource(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int next() {
            return read < bytes.length ? bytes[read++] & 0xff : -1;
        }
    }
}
