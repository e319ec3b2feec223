package io.cairn.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
    private static final String PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    static List<Vectors.Row> valid() {
        return Vectors.rows("multiaddr/valid.csv");
    }

    static List<Vectors.Row> invalid() {
        return Vectors.rows("multiaddr/invalid.csv");
    }

    static List<Vectors.Row> ip() {
        return Vectors.rows("multiaddr/ip.csv");
    }

    @ParameterizedTest
    @MethodSource("valid")
    void readsGoMultiaddrGoodAddresses(Vectors.Row row) {
        Multiaddr address = row.get(0).isEmpty() ? Multiaddr.fromBytes(Vectors.hex(row.get(2))) : Multiaddr.parse(row.get(0));
        if (!row.get(1).isEmpty()) {
            assertEquals(row.get(1), address.toString());
        }
        if (!row.get(2).isEmpty()) {
            assertEquals(row.get(2), Vectors.hex(address.toBytes()));
        }
        Multiaddr reparsed = Multiaddr.parse(address.toString());
        assertEquals(address, reparsed);
        assertEquals(address.toString(), reparsed.toString());
        assertEquals(address, Multiaddr.fromBytes(address.toBytes()));
        assertEquals(address, Multiaddr.of(address.components()));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsGoMultiaddrBadAddresses(Vectors.Row row) {
        if (row.get(0).equals("string")) {
            assertThrows(InvalidMultiaddrException.class, () -> Multiaddr.parse(row.get(1)));
        } else {
            assertThrows(InvalidMultiaddrException.class, () -> Multiaddr.fromBytes(Vectors.hex(row.get(1))));
        }
    }

    @ParameterizedTest
    @MethodSource("ip")
    void handlesIpTextAsGo(Vectors.Row row) {
        Multiaddr.Protocol protocol = Multiaddr.Protocol.forName(row.get(0)).orElseThrow();
        String expected = row.get(2);
        if (expected.equals("invalid")) {
            assertThrows(InvalidMultiaddrException.class, () -> Multiaddr.Component.of(protocol, row.get(1)));
        } else if (expected.startsWith("format:")) {
            byte[] value = Vectors.hex(row.get(1));
            byte[] binary = new byte[1 + value.length];
            binary[0] = (byte) protocol.code();
            System.arraycopy(value, 0, binary, 1, value.length);
            assertEquals("/" + protocol + "/" + expected.substring("format:".length()),
                    Multiaddr.fromBytes(binary).toString());
        } else {
            assertEquals(expected, Vectors.hex(Multiaddr.Component.of(protocol, row.get(1)).value()));
        }
    }

    @Test
    void exposesHostPortsAndPeer() {
        Multiaddr address = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/p2p/" + PEER);
        assertEquals(Optional.of("1.2.3.4"), address.host());
        assertEquals(OptionalInt.of(4001), address.tcpPort());
        assertEquals(OptionalInt.empty(), address.udpPort());
        assertEquals(Optional.of(PeerId.parse(PEER)), address.peerId());
        assertEquals(3, address.components().size());
        assertEquals(Multiaddr.Protocol.TCP, address.components().get(1).protocol());
        assertEquals("4001", address.components().get(1).valueString());

        Multiaddr dns = Multiaddr.parse("/dns4/bootstrap.libp2p.io/udp/4001");
        assertEquals(Optional.of("bootstrap.libp2p.io"), dns.host());
        assertEquals(OptionalInt.of(4001), dns.udpPort());
        assertEquals(Optional.empty(), dns.peerId());
        assertEquals(Optional.empty(), Multiaddr.parse("/p2p/" + PEER).host());
    }

    @Test
    void withPeerIdAppendsOrReplaces() {
        PeerId peer = PeerId.parse(PEER);
        PeerId other = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        Multiaddr bare = Multiaddr.parse("/ip6/::1/udp/4001");
        Multiaddr withPeer = bare.withPeerId(peer);
        assertEquals("/ip6/::1/udp/4001/p2p/" + PEER, withPeer.toString());
        assertEquals("/ip6/::1/udp/4001/p2p/" + other, withPeer.withPeerId(other).toString());
        assertEquals(bare, withPeer.withoutPeerId());
        assertEquals(bare, bare.withoutPeerId());
        Multiaddr onlyPeer = Multiaddr.parse("/p2p/" + PEER);
        assertEquals(onlyPeer, onlyPeer.withoutPeerId(), "nothing left to dial without it: kept");
    }

    @Test
    void legacyIpfsNameIsWrittenAsP2p() {
        assertEquals(Multiaddr.parse("/p2p/" + PEER), Multiaddr.parse("/ipfs/" + PEER));
        assertEquals("/p2p/" + PEER, Multiaddr.parse("/ipfs/" + PEER).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ip4/1.2.3.4", "//ip4/1.2.3.4", "/ip4//tcp/80", "/ip4/1.2.3.4//tcp/80", "/ip4/1.2.3.4/tcp/",
        "/ip4/1.2.3.4/tcp/80/sctp/1", "/ip4/1.2.3.4/tcp/+80", "/ip4/1.2.3.4/tcp/99999999999999999999",
        "/ip4/1.2.3.4/tcp/\u0661\u0662", "/ip4/\u0661.2.3.4", "/ip6/::1::", "/ip6/1:2:3:4:5:6:7:8:9", "/ip6/::g",
        "/ip6/1:2:3:4:5:6:7", "/ip6/12345::", "/dns/", "/dns4", "/p2p/", "/p2p/Qm", "/p2p/bafkreifoybygix7fh3r3g5rqle3wcnhqldgdg4shzf4k3ulyw3gn7mabt4",
        "/dns/\ud800"
    })
    void rejectsMalformedText(String text) {
        assertThrows(InvalidMultiaddrException.class, () -> Multiaddr.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "04", "047f0000", "06", "0601", "2900", "35", "3500", "3505616263", "35022f61", "3502ff80",
        "a503", "a50300", "a5038080808080808080", "a503ffffffffff1f0000", "ff", "8000",
        "047f000001" + "99"
    })
    void rejectsMalformedBinary(String hex) {
        assertThrows(InvalidMultiaddrException.class, () -> Multiaddr.fromBytes(Vectors.hex(hex)));
    }

    @Test
    void hugeLengthPrefixIsRejectedWithoutAllocating() {
        // dns with a declared value length of 2^40 bytes.
        byte[] bytes = new byte[2 + 6];
        bytes[0] = 0x35;
        byte[] length = Varint.encode(1L << 40);
        System.arraycopy(length, 0, bytes, 1, length.length);
        InvalidMultiaddrException e = assertThrows(InvalidMultiaddrException.class, () -> Multiaddr.fromBytes(bytes));
        assertTrue(e.getMessage().contains(Long.toString(1L << 40)), e.getMessage());
    }

    @Test
    void returnsCopies() {
        Multiaddr address = Multiaddr.parse("/ip4/1.2.3.4/tcp/1");
        address.toBytes()[1] = 9;
        address.components().get(0).value()[0] = 9;
        assertEquals("/ip4/1.2.3.4/tcp/1", address.toString());
        assertArrayEquals(Vectors.hex("040102030406" + "0001"), address.toBytes());
        assertThrows(UnsupportedOperationException.class, () -> address.components().clear());
    }

    @Test
    void fuzzedInputParsesOrFailsTyped() {
        Random random = new Random(0x3a11);
        byte[] valid = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/ip6/::1/udp/1/dns/a.b/p2p/" + PEER).toBytes();
        String alphabet = "/ip46tcudpnsfx0123456789.:abcdef";
        int parsed = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] input = KeysTest.mutate(random, valid);
            try {
                Multiaddr address = Multiaddr.fromBytes(input);
                assertArrayEquals(input, address.toBytes());
                assertEquals(address, Multiaddr.parse(address.toString()));
                parsed++;
            } catch (InvalidMultiaddrException expected) {
                // the only failure allowed
            }
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(30);
            for (int k = 0; k < length; k++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Multiaddr address = Multiaddr.parse(text.toString());
                assertEquals(address, Multiaddr.parse(address.toString()));
                assertEquals(address, Multiaddr.fromBytes(address.toBytes()));
                parsed++;
            } catch (InvalidMultiaddrException expected) {
                // the only failure allowed
            }
        }
        assertTrue(parsed > 100, "fuzzing reaches valid multiaddrs: " + parsed);
    }
}
