package io.cairn.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {
    private static final byte[] MESSAGE = "Libp2p is the _best_!".getBytes(StandardCharsets.US_ASCII);

    static List<Vectors.Row> specKeys() {
        return Vectors.rows("keys/spec-keys.csv");
    }

    static List<Vectors.Row> goFixtures() {
        return Vectors.rows("keys/go-libp2p-fixtures.csv");
    }

    @ParameterizedTest
    @MethodSource("specKeys")
    void specPrivateKeysYieldTheirPublicKeys(Vectors.Row row) {
        byte[] privateBytes = Vectors.hex(row.get(1));
        byte[] publicBytes = Vectors.hex(row.get(2));

        PrivateKey privateKey = Keys.unmarshalPrivateKey(privateBytes);
        PublicKey publicKey = Keys.unmarshalPublicKey(publicBytes);

        assertEquals(publicKey, privateKey.publicKey());
        assertArrayEquals(publicBytes, publicKey.toProtobuf());
        assertArrayEquals(privateBytes, privateKey.toProtobuf());
        assertEquals(row.get(0), publicKey.type().name().toLowerCase(Locale.ROOT));
        assertEquals(privateKey, Keys.unmarshalPrivateKey(privateBytes));
        byte[] signature = privateKey.sign(MESSAGE);
        assertTrue(publicKey.verify(MESSAGE, signature));
        assertFalse(publicKey.verify("another message".getBytes(StandardCharsets.US_ASCII), signature));
    }

    @ParameterizedTest
    @MethodSource("goFixtures")
    void goLibp2pSignaturesVerify(Vectors.Row row) {
        PrivateKey privateKey = Keys.unmarshalPrivateKey(Vectors.hex(row.get(1)));
        PublicKey publicKey = Keys.unmarshalPublicKey(Vectors.hex(row.get(2)));
        byte[] signature = Vectors.hex(row.get(3));

        assertEquals(publicKey, privateKey.publicKey());
        assertTrue(publicKey.verify(MESSAGE, signature));
        byte[] tampered = signature.clone();
        tampered[tampered.length - 1] ^= 1;
        assertFalse(publicKey.verify(MESSAGE, tampered));
        if (publicKey.type() != KeyType.ECDSA) {
            // RSA PKCS#1 v1.5 and secp256k1 with RFC 6979 nonces and low S are deterministic.
            assertArrayEquals(signature, privateKey.sign(MESSAGE));
        }
    }

    @Test
    void generatedEd25519KeysSignAndRoundTrip() {
        PrivateKey key = Keys.generateEd25519();
        assertEquals(KeyType.ED25519, key.type());
        byte[] signature = key.sign(MESSAGE);
        assertEquals(64, signature.length);
        assertTrue(key.publicKey().verify(MESSAGE, signature));
        assertEquals(key, Keys.unmarshalPrivateKey(key.toProtobuf()));
        assertEquals(key.publicKey(), Keys.unmarshalPublicKey(key.publicKey().toProtobuf()));
        assertEquals(32, key.publicKey().raw().length);
        assertNotEquals(key, Keys.generateEd25519());
        assertFalse(key.toString().contains(Vectors.hex(key.toProtobuf()).substring(8, 40)), "secret not printed");
    }

    @Test
    void ed25519LegacyFormNeedsMatchingCopies() {
        byte[] modern = Vectors.hex(specKeys().stream().filter(r -> r.get(0).equals("ed25519")).findFirst()
                .orElseThrow().get(1));
        byte[] data = Arrays.copyOfRange(modern, 4, modern.length);
        byte[] legacy = new byte[96];
        System.arraycopy(data, 0, legacy, 0, 64);
        System.arraycopy(data, 32, legacy, 64, 32);
        PrivateKey fromLegacy = Keys.unmarshalPrivateKey(protobuf(1, legacy));
        assertArrayEquals(modern, fromLegacy.toProtobuf());

        legacy[95] ^= 1;
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPrivateKey(protobuf(1, legacy)));
        byte[] wrongPublic = data.clone();
        wrongPublic[63] ^= 1;
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPrivateKey(protobuf(1, wrongPublic)));
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPrivateKey(protobuf(1, new byte[32])));
    }

    @Test
    void rejectsSmallRsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        byte[] spki = generator.generateKeyPair().getPublic().getEncoded();
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPublicKey(protobuf(0, spki)));
        assertTrue(e.getMessage().contains("1024"), e.getMessage());
    }

    @Test
    void rejectsHugeRsaKeys() throws Exception {
        BigInteger modulus = BigInteger.ONE.shiftLeft(8199).add(BigInteger.valueOf(12345));
        byte[] spki = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(modulus, BigInteger.valueOf(65537))).getEncoded();
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPublicKey(protobuf(0, spki)));
    }

    @Test
    void rejectsSecp256k1PointsOffTheCurve() {
        int rejected = 0;
        for (int x = 1; x <= 20; x++) {
            byte[] point = new byte[33];
            point[0] = 2;
            point[32] = (byte) x;
            try {
                PublicKey key = Keys.unmarshalPublicKey(protobuf(2, point));
                assertArrayEquals(point, key.raw());
            } catch (InvalidKeyException expected) {
                rejected++;
            }
        }
        assertTrue(rejected > 0, "some small x have no point on secp256k1");
        byte[] beyondField = new byte[33];
        Arrays.fill(beyondField, (byte) 0xff);
        beyondField[0] = 2;
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPublicKey(protobuf(2, beyondField)));
        byte[] uncompressedPrefix = new byte[33];
        uncompressedPrefix[0] = 4;
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPublicKey(protobuf(2, uncompressedPrefix)));
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPrivateKey(protobuf(2, new byte[32])));
    }

    @Test
    void malformedSignaturesAreFalseNotErrors() {
        for (Vectors.Row row : specKeys()) {
            PublicKey key = Keys.unmarshalPublicKey(Vectors.hex(row.get(2)));
            for (byte[] signature : List.of(new byte[0], new byte[64], new byte[] {0x30, 0x02, 0x02, 0x00},
                    Vectors.hex("3006020101020101"), new byte[600])) {
                assertFalse(key.verify(MESSAGE, signature), key.type() + " " + Vectors.hex(signature));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "08", "0801", "080112", "0801122000", "10011220" + "00",
        "08011220" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce2",
        "08011221" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e00",
        "1220" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e" + "0801",
        "088100" + "1220" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
        "0801" + "12a08000" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
        "0804" + "1220" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
        "0801" + "1220" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e" + "1800",
        "0801" + "1280808080808001" + "00",
        "0803" + "1203" + "300100", "0800" + "1203" + "300100"
    })
    void rejectsMalformedProtobufs(String hex) {
        byte[] bytes = Vectors.hex(hex);
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPublicKey(bytes));
        assertThrows(InvalidKeyException.class, () -> Keys.unmarshalPrivateKey(bytes));
    }

    @Test
    void fuzzedKeysParseOrFailTyped() {
        Random random = new Random(0x6b65);
        List<byte[]> seeds = specKeys().stream()
                .flatMap(row -> Stream.of(Vectors.hex(row.get(1)), Vectors.hex(row.get(2))))
                .toList();
        int parsed = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] input = mutate(random, seeds.get(random.nextInt(seeds.size())));
            try {
                assertArrayEquals(input, Keys.unmarshalPublicKey(input).toProtobuf());
                parsed++;
            } catch (InvalidKeyException expected) {
                // the only failure allowed
            }
            try {
                assertArrayEquals(input, Keys.unmarshalPrivateKey(input).toProtobuf());
                parsed++;
            } catch (InvalidKeyException expected) {
                // the only failure allowed
            }
        }
        assertTrue(parsed > 100, "fuzzing reaches valid keys: " + parsed);
    }

    static byte[] mutate(Random random, byte[] seed) {
        byte[] input = seed.clone();
        // Mostly mutations; now and then the valid input itself, which must keep parsing. Valid private
        // keys cost a signature each (RSA-4096 ones milliseconds), hence the low share.
        int choice = random.nextInt(20);
        if (choice < 8) {
            input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        } else if (choice < 13) {
            input = Arrays.copyOf(input, random.nextInt(input.length + 1));
        } else if (choice < 19) {
            input = new byte[random.nextInt(60)];
            random.nextBytes(input);
        }
        return input;
    }

    static byte[] protobuf(int type, byte[] data) {
        byte[] length = Varint.encode(data.length);
        byte[] out = new byte[3 + length.length + data.length];
        out[0] = 0x08;
        out[1] = (byte) type;
        out[2] = 0x12;
        System.arraycopy(length, 0, out, 3, length.length);
        System.arraycopy(data, 0, out, 3 + length.length, data.length);
        return out;
    }
}
