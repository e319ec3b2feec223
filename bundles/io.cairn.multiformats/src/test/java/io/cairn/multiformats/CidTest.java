package io.cairn.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CidTest {
    private static final Multihash FOO = Multihash.digest(Multicodec.SHA2_256, "foo".getBytes(StandardCharsets.UTF_8));

    static List<Vectors.Row> valid() {
        return Vectors.rows("cid/valid.csv");
    }

    static List<Vectors.Row> invalid() {
        return Vectors.rows("cid/invalid.csv");
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parsesOfficialExamples(Vectors.Row row) {
        Cid cid = Cid.parse(row.get(0));
        assertEquals(Integer.parseInt(row.get(1)), cid.version());
        if (!row.get(2).isEmpty()) {
            assertEquals(Multicodec.forName(row.get(2)).orElseThrow().code(), cid.codec());
        }
        if (!row.get(3).isEmpty()) {
            assertEquals(row.get(3), Vectors.hex(cid.multihash().toBytes()));
        }
        if (!row.get(4).isEmpty()) {
            assertEquals(row.get(4), cid.toString());
        }
        assertEquals(cid, Cid.fromBytes(cid.toBytes()));
        assertEquals(cid, Cid.parse(cid.toString()));
        if (cid.version() == 1) {
            Multibase.Encoding encoding = Multibase.encodingOf(row.get(0));
            assertEquals(row.get(0), cid.toString(encoding));
        }
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsOfficialBadInput(Vectors.Row row) {
        if (row.get(0).equals("string")) {
            assertThrows(InvalidCidException.class, () -> Cid.parse(row.get(1)), row.get(2));
        } else {
            assertThrows(InvalidCidException.class, () -> Cid.fromBytes(Vectors.hex(row.get(1))), row.get(2));
        }
    }

    @Test
    void v0AndV1OfOneHashAreDifferentCids() {
        Cid v0 = Cid.v0(FOO);
        Cid v1 = v0.toV1();
        assertNotEquals(v0, v1);
        assertEquals(v0.multihash(), v1.multihash());
        assertEquals(Multicodec.DAG_PB.code(), v1.codec());
        assertSame(v1, v1.toV1());
        assertEquals(34, v0.encodedLength());
        assertTrue(v0.toString().startsWith("Qm"));
        assertTrue(v1.toString().startsWith("bafybei"));
        assertEquals(v1, Cid.v1(Multicodec.DAG_PB, FOO));
        assertEquals(v1.hashCode(), Cid.parse(v1.toString()).hashCode());
    }

    @Test
    void v0IsOnlyBase58() {
        Cid v0 = Cid.v0(FOO);
        assertEquals(v0.toString(), v0.toString(Multibase.Encoding.BASE58_BTC));
        assertThrows(IllegalArgumentException.class, () -> v0.toString(Multibase.Encoding.BASE32));
    }

    @Test
    void v0RequiresSha256() {
        assertThrows(InvalidCidException.class, () -> Cid.v0(Multihash.digest(Multicodec.BLAKE2B_256, new byte[0])));
        assertThrows(InvalidCidException.class, () -> Cid.v0(Multihash.digest(Multicodec.IDENTITY, new byte[0])));
    }

    @Test
    void v0BinaryFormIsRecognised() {
        Cid cid = Cid.fromBytes(FOO.toBytes());
        assertEquals(0, cid.version());
        assertArrayEquals(FOO.toBytes(), cid.toBytes());
    }

    @ParameterizedTest
    @EnumSource(Multibase.Encoding.class)
    void v1ParsesFromEveryMultibase(Multibase.Encoding encoding) {
        Cid cid = Cid.v1(Multicodec.LIBP2P_KEY, FOO);
        assertEquals(cid, Cid.parse(cid.toString(encoding)));
    }

    @Test
    void enforcesLengthCap() {
        Multihash identity = Multihash.of(0, new byte[128]);
        Cid big = Cid.v1(Multicodec.RAW, identity);
        assertTrue(big.encodedLength() > 100);
        assertThrows(InvalidCidException.class, () -> Cid.fromBytes(big.toBytes(), 100));
        assertThrows(InvalidCidException.class, () -> Cid.parse(big.toString(), 100));
        assertEquals(big, Cid.parse(big.toString()));
        assertThrows(InvalidCidException.class, () -> Cid.parse("f" + "01".repeat(Cid.DEFAULT_MAX_LENGTH + 1)));
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] v1 = Cid.v1(Multicodec.RAW, FOO).toBytes();
        byte[] longer = Arrays.copyOf(v1, v1.length + 1);
        assertThrows(InvalidCidException.class, () -> Cid.fromBytes(longer));
        byte[] v0 = Arrays.copyOf(FOO.toBytes(), 35);
        assertThrows(InvalidCidException.class, () -> Cid.fromBytes(v0));
    }

    @Test
    void rejectsExplicitVersionZero() {
        byte[] bytes = new byte[2 + 34];
        bytes[0] = 0;
        bytes[1] = 0x70;
        System.arraycopy(FOO.toBytes(), 0, bytes, 2, 34);
        assertThrows(InvalidCidException.class, () -> Cid.fromBytes(bytes));
    }

    @Test
    void keepsUnknownCodecsAndHashFunctions() {
        Cid cid = Cid.v1(0x300000L, Multihash.of(0x1e, new byte[32]));
        Cid parsed = Cid.parse(cid.toString());
        assertEquals(0x300000L, parsed.codec());
        assertEquals(0x1e, parsed.multihash().code());
    }

    @Test
    void fuzzedBytesAndStringsParseOrFailTyped() {
        Random random = new Random(0xc1d);
        byte[] valid = Cid.v1(Multicodec.DAG_CBOR, FOO).toBytes();
        int parsed = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] input;
            if (random.nextBoolean()) {
                input = valid.clone();
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            } else {
                input = new byte[random.nextInt(50)];
                random.nextBytes(input);
            }
            try {
                Cid cid = Cid.fromBytes(input);
                assertArrayEquals(input, cid.toBytes());
                assertEquals(cid, Cid.parse(cid.toString()));
                parsed++;
            } catch (InvalidCidException expected) {
                // the only failure allowed
            }
            String text = Multibase.encode(Multibase.Encoding.BASE32, input);
            String mangled = mangle(random, random.nextInt(4) == 0 ? "Qm" + text : text);
            try {
                Cid cid = Cid.parse(mangled);
                assertEquals(cid, Cid.parse(cid.toString()));
            } catch (InvalidCidException expected) {
                // the only failure allowed
            }
        }
        assertTrue(parsed > 100, "fuzzing reaches valid CIDs: " + parsed);
    }

    private static String mangle(Random random, String text) {
        if (text.isEmpty() || random.nextBoolean()) {
            return text;
        }
        char[] chars = text.toCharArray();
        chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(100));
        return new String(chars);
    }
}
