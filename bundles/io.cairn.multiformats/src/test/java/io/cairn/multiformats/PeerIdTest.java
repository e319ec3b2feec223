package io.cairn.multiformats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdTest {
    static List<Vectors.Row> valid() {
        return Vectors.rows("peerid/valid.csv");
    }

    static List<Vectors.Row> invalid() {
        return Vectors.rows("peerid/invalid.csv");
    }

    static List<Vectors.Row> specKeys() {
        return Vectors.rows("keys/spec-keys.csv");
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parsesPublishedPeerIds(Vectors.Row row) {
        PeerId id = PeerId.parse(row.get(0));
        assertEquals(Multicodec.forName(row.get(1)).orElseThrow().code(), id.multihash().code());
        assertEquals(id, PeerId.parse(id.toString()));
        assertEquals(id, PeerId.parse(id.toCid().toString()));
        assertEquals(id, PeerId.fromBytes(id.toBytes()));
        assertEquals(id, PeerId.fromCid(id.toCid()));
        if (row.get(0).startsWith("Qm") || row.get(0).startsWith("1")) {
            assertEquals(row.get(0), id.toString());
        }
        Optional<PublicKey> key = id.extractPublicKey();
        assertEquals(id.multihash().code() == 0, key.isPresent());
        key.ifPresent(k -> {
            assertEquals(id, PeerId.fromPublicKey(k));
            assertTrue(id.matches(k));
        });
    }

    @Test
    void specExamplesInBothFormsAreOnePeer() {
        assertEquals(PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"),
                PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsPublishedBadPeerIds(Vectors.Row row) {
        assertThrows(InvalidPeerIdException.class, () -> PeerId.parse(row.get(0)), row.get(1));
    }

    @Test
    void derivesGoLibp2pPeerIdFromRsaKey() {
        Vectors.Row row = Vectors.rows("peerid/derived.csv").get(0);
        PublicKey key = Keys.unmarshalPrivateKey(Vectors.hex(row.get(0))).publicKey();
        PeerId id = PeerId.fromPublicKey(key);
        assertEquals(row.get(1), id.toString());
        assertTrue(PeerId.parse(row.get(1)).matches(key));
        assertEquals(Optional.empty(), id.extractPublicKey());
    }

    @ParameterizedTest
    @MethodSource("specKeys")
    void inlinesSmallKeysAndHashesLargeOnes(Vectors.Row row) {
        PublicKey key = Keys.unmarshalPublicKey(Vectors.hex(row.get(2)));
        PeerId id = PeerId.fromPublicKey(key);
        boolean small = key.toProtobuf().length <= PeerId.MAX_INLINE_KEY_LENGTH;
        assertEquals(small ? 0x00 : 0x12, id.multihash().code());
        assertEquals(small, id.extractPublicKey().isPresent());
        assertTrue(id.matches(key));
        assertFalse(id.matches(Keys.generateEd25519().publicKey()));
        if (key.type() == KeyType.ED25519) {
            assertTrue(id.toString().startsWith("12D3KooW"), id.toString());
        }
        assertEquals(id, PeerId.parse(id.toString()));
    }

    @ParameterizedTest
    @EnumSource(Multibase.Encoding.class)
    void parsesCidFormInEveryMultibase(Multibase.Encoding encoding) {
        PeerId id = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        assertEquals(id, PeerId.parse(id.toCid().toString(encoding)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "0003010203",
        "000a08011206000000000000",
        "1340" + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "b220" + "20" + "0000000000000000000000000000000000000000000000000000000000000000",
        "1220" + "00"
    })
    void rejectsBadBinary(String hex) {
        assertThrows(InvalidPeerIdException.class, () -> PeerId.fromBytes(Vectors.hex(hex)));
    }

    @Test
    void rejectsOverLongInput() {
        assertThrows(InvalidPeerIdException.class, () -> PeerId.parse("Qm" + "a".repeat(200)));
        assertThrows(InvalidPeerIdException.class, () -> PeerId.fromBytes(new byte[100]));
        byte[] inlinedTooLong = new byte[2 + 43];
        inlinedTooLong[1] = 43;
        assertThrows(InvalidPeerIdException.class, () -> PeerId.fromBytes(inlinedTooLong));
    }

    @Test
    void fuzzedInputParsesOrFailsTyped() {
        Random random = new Random(0x9ee7);
        byte[] valid = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA").toBytes();
        int parsed = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] input = KeysTest.mutate(random, valid);
            try {
                PeerId id = PeerId.fromBytes(input);
                assertEquals(id, PeerId.parse(id.toString()));
                parsed++;
            } catch (InvalidPeerIdException expected) {
                // the only failure allowed
            }
            String text = random.nextBoolean() ? Multibase.Encoding.BASE58_BTC.encodeWithoutPrefix(input)
                    : Multibase.encode(Multibase.Encoding.BASE36, input);
            try {
                PeerId id = PeerId.parse(text);
                assertEquals(id, PeerId.parse(id.toString()));
            } catch (InvalidPeerIdException expected) {
                // the only failure allowed
            }
        }
        assertTrue(parsed > 100, "fuzzing reaches valid peer ids: " + parsed);
    }
}
