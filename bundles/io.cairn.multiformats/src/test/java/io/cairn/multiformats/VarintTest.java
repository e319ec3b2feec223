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
        ByteBuffer buffer = ByteBuffer.allocate(Varint.MAX_LENGTH);
        Varint.encode(value, buffer);
        assertArrayEquals(encoded, Arrays.copyOf(buffer.array(), buffer.position()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Varint.encode(value, out);
        assertArrayEquals(encoded, out.toByteArray());
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
}
