package io.cairn.multiformats;

import io.cairn.multiformats.internal.Printable;
import java.util.Optional;

/**
 * A libp2p peer id (libp2p/specs peer-ids/peer-ids.md): the multihash of a peer's public key protobuf.
 * Keys whose protobuf is at most {@value #MAX_INLINE_KEY_LENGTH} bytes (Ed25519, secp256k1) are inlined
 * with the identity multihash; larger ones are hashed with sha2-256.
 *
 * <p>Parsing accepts the legacy base58btc multihash ({@code Qm...}, {@code 12D3KooW...}) and CIDv1 with the
 * libp2p-key codec in any supported multibase, and rejects other hash functions, inlined payloads that are
 * not valid public keys and input longer than any peer id can be. Immutable; equality is on the multihash.
 */
public final class PeerId {
    /** The largest public key protobuf that is inlined rather than hashed. */
    public static final int MAX_INLINE_KEY_LENGTH = 42;

    /** An identity multihash of the largest inlined key: code, length and key. */
    private static final int MAX_BINARY_LENGTH = 2 + MAX_INLINE_KEY_LENGTH;
    /** Longer than any supported text form of the longest peer id (base16 of its CID is 94 characters). */
    private static final int MAX_TEXT_LENGTH = 128;

    private final Multihash multihash;
    private final PublicKey inlinedKey;
    private String string;

    private PeerId(Multihash multihash, PublicKey inlinedKey) {
        this.multihash = multihash;
        this.inlinedKey = inlinedKey;
    }

    /** @return the peer id of a public key */
    public static PeerId fromPublicKey(PublicKey key) {
        byte[] protobuf = key.toProtobuf();
        if (protobuf.length <= MAX_INLINE_KEY_LENGTH) {
            return new PeerId(Multihash.of(Multicodec.IDENTITY.code(), protobuf), key);
        }
        return new PeerId(Multihash.digest(Multicodec.SHA2_256, protobuf), null);
    }

    /**
     * @return the peer id with this multihash
     * @throws InvalidPeerIdException if it is neither sha2-256 nor the identity multihash of a valid public
     *         key of at most {@value #MAX_INLINE_KEY_LENGTH} bytes
     */
    public static PeerId fromMultihash(Multihash multihash) {
        if (multihash.code() == Multicodec.SHA2_256.code()) {
            return new PeerId(multihash, null);
        }
        if (multihash.code() != Multicodec.IDENTITY.code()) {
            throw new InvalidPeerIdException("peer ids are identity or sha2-256 multihashes, not " + multihash);
        }
        if (multihash.digestLength() > MAX_INLINE_KEY_LENGTH) {
            throw new InvalidPeerIdException("keys over " + MAX_INLINE_KEY_LENGTH + " bytes are hashed, not inlined");
        }
        try {
            return new PeerId(multihash, Keys.unmarshalPublicKey(multihash.digest()));
        } catch (InvalidKeyException e) {
            throw new InvalidPeerIdException("inlined public key is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the binary form of a peer id, its multihash.
     *
     * @throws InvalidPeerIdException if it is not a valid peer id multihash
     */
    public static PeerId fromBytes(byte[] bytes) {
        if (bytes.length > MAX_BINARY_LENGTH) {
            throw new InvalidPeerIdException("peer id of " + bytes.length + " bytes is longer than any can be");
        }
        try {
            return fromMultihash(Multihash.decode(bytes, MAX_INLINE_KEY_LENGTH));
        } catch (InvalidMultihashException e) {
            throw new InvalidPeerIdException("peer id is not a valid multihash: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a peer id: a base58btc multihash starting {@code 1} or {@code Qm}, or a libp2p-key CIDv1 in
     * any supported multibase.
     *
     * @throws InvalidPeerIdException if it is neither, or not a valid peer id
     */
    public static PeerId parse(String text) {
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new InvalidPeerIdException("peer id text of " + text.length() + " characters is longer than any can be");
        }
        if (text.startsWith("1") || text.startsWith("Qm")) {
            try {
                return fromBytes(Multibase.Encoding.BASE58_BTC.decodeWithoutPrefix(text));
            } catch (InvalidMultibaseException e) {
                throw new InvalidPeerIdException("peer id " + Printable.quote(text) + " is not base58btc", e);
            }
        }
        Cid cid;
        try {
            cid = Cid.parse(text);
        } catch (InvalidCidException e) {
            throw new InvalidPeerIdException("peer id " + Printable.quote(text)
                    + " is neither a base58btc multihash nor a CID: " + e.getMessage(), e);
        }
        return fromCid(cid);
    }

    /**
     * @return the peer id a libp2p-key CID holds
     * @throws InvalidPeerIdException if the CID has another codec or is not a valid peer id
     */
    public static PeerId fromCid(Cid cid) {
        if (cid.codec() != Multicodec.LIBP2P_KEY.code()) {
            throw new InvalidPeerIdException("a peer id CID has the libp2p-key codec, not 0x"
                    + Long.toHexString(cid.codec()));
        }
        return fromMultihash(cid.multihash());
    }

    /** @return the multihash that is this peer id */
    public Multihash multihash() {
        return multihash;
    }

    /** @return the binary form: a copy of the multihash bytes */
    public byte[] toBytes() {
        return multihash.toBytes();
    }

    /** @return this peer id as a libp2p-key CIDv1, the newer text form */
    public Cid toCid() {
        return Cid.v1(Multicodec.LIBP2P_KEY, multihash);
    }

    /** @return the public key inlined in an identity-hashed peer id; empty for hashed keys */
    public Optional<PublicKey> extractPublicKey() {
        return Optional.ofNullable(inlinedKey);
    }

    /** @return whether this is the peer id of {@code key} */
    public boolean matches(PublicKey key) {
        return inlinedKey != null ? inlinedKey.equals(key) : equals(fromPublicKey(key));
    }

    /** @return the legacy text form the spec says to display: the multihash in base58btc */
    @Override
    public String toString() {
        String s = string;
        if (s == null) {
            s = multihash.toBase58();
            string = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && multihash.equals(other.multihash);
    }

    @Override
    public int hashCode() {
        return multihash.hashCode();
    }
}
