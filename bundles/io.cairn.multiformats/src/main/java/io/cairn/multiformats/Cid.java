package io.cairn.multiformats;

import io.cairn.multiformats.internal.Printable;
import java.util.Arrays;

/**
 * A content identifier (multiformats/cid).
 *
 * <ul>
 * <li>CIDv0 is a bare sha2-256 multihash of dag-pb data: 34 bytes, written in base58btc without a
 * multibase prefix ({@code Qm...}).</li>
 * <li>CIDv1 is {@code <varint 1><varint codec><multihash>}, written in any multibase (base32 by
 * default).</li>
 * </ul>
 *
 * <p>Parsing follows the spec's decoding algorithm and rejects versions other than 0 and 1, multibase text
 * whose first byte is 0x12 (a CIDv0 may not carry a multibase prefix), v0 multihashes that are not a
 * 32-byte sha2-256, trailing bytes, and CIDs longer than {@value #DEFAULT_MAX_LENGTH} bytes unless an
 * overload says otherwise.
 *
 * <p>Immutable. Equality is on the binary form, so a CIDv0 and the CIDv1 of the same hash differ, as in
 * go-cid. The hash code and the default string form are computed once.
 */
public final class Cid {
    /** The default cap on the binary length of a CID: boxo's limit. */
    public static final int DEFAULT_MAX_LENGTH = 168;

    private static final int V0_LENGTH = 34;
    private static final int V0_STRING_LENGTH = 46;
    private static final byte SHA2_256_CODE = 0x12;
    private static final byte SHA2_256_LENGTH = 32;

    private final byte[] bytes;
    private final long codec;
    private final Multihash multihash;
    private int hash;
    private String string;

    private Cid(byte[] bytes, long codec, Multihash multihash) {
        this.bytes = bytes;
        this.codec = codec;
        this.multihash = multihash;
    }

    /**
     * @return the CIDv0 of a sha2-256 multihash
     * @throws InvalidCidException if the multihash is not a 32-byte sha2-256
     */
    public static Cid v0(Multihash multihash) {
        byte[] mh = multihash.bytes();
        if (!isV0Multihash(mh)) {
            throw new InvalidCidException("a CIDv0 holds a 32-byte sha2-256 multihash, not " + multihash);
        }
        return new Cid(mh, Multicodec.DAG_PB.code(), multihash);
    }

    /** @return the CIDv1 of the content codec and multihash */
    public static Cid v1(Multicodec codec, Multihash multihash) {
        return v1(codec.code(), multihash);
    }

    /**
     * @return the CIDv1 of the content codec code and multihash
     * @throws IllegalArgumentException if the codec code is negative
     */
    public static Cid v1(long codec, Multihash multihash) {
        byte[] mh = multihash.bytes();
        byte[] bytes = new byte[1 + Varint.encodedLength(codec) + mh.length];
        bytes[0] = 1;
        int offset = 1 + Varint.encode(codec, bytes, 1);
        System.arraycopy(mh, 0, bytes, offset, mh.length);
        return new Cid(bytes, codec, multihash);
    }

    /**
     * Parses a CID string with the default length cap.
     *
     * @throws InvalidCidException if it is not a valid CID
     */
    public static Cid parse(String text) {
        return parse(text, DEFAULT_MAX_LENGTH);
    }

    /**
     * Parses a CID string: a 46-character {@code Qm...} CIDv0, or a CIDv1 in any supported multibase.
     *
     * @param maxLength the longest binary CID accepted
     * @throws InvalidCidException if it is not a valid CID or longer than {@code maxLength} bytes
     */
    public static Cid parse(String text, int maxLength) {
        if (text.length() == V0_STRING_LENGTH && text.startsWith("Qm")) {
            return decodeOwned(decodeText(text, false), maxLength);
        }
        // No supported multibase spends more than 2 characters a byte, bar padding: checking the text
        // length first keeps hostile input from costing a decode.
        if (text.length() > 2 * (long) maxLength + 9) {
            throw new InvalidCidException("CID text of " + text.length() + " characters is over the limit");
        }
        byte[] bytes = decodeText(text, true);
        if (bytes.length > 0 && bytes[0] == SHA2_256_CODE) {
            throw new InvalidCidException("multibase CID starts with 0x12: a CIDv0 may not carry a multibase "
                    + "prefix, and there is no CIDv18");
        }
        return decodeOwned(bytes, maxLength);
    }

    private static byte[] decodeText(String text, boolean multibase) {
        try {
            return multibase ? Multibase.decode(text) : Multibase.Encoding.BASE58_BTC.decodeWithoutPrefix(text);
        } catch (InvalidMultibaseException e) {
            throw new InvalidCidException("CID " + Printable.quote(text) + " is not valid multibase: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Parses a binary CID with the default length cap.
     *
     * @throws InvalidCidException if it is not a valid CID
     */
    public static Cid fromBytes(byte[] bytes) {
        return fromBytes(bytes, DEFAULT_MAX_LENGTH);
    }

    /**
     * Parses a binary CID: 34 bytes starting {@code 0x12 0x20} are a CIDv0, anything else must be a CIDv1.
     *
     * @param maxLength the longest binary CID accepted
     * @throws InvalidCidException if it is not a valid CID, has trailing bytes or is longer than
     *         {@code maxLength}
     */
    public static Cid fromBytes(byte[] bytes, int maxLength) {
        // Checked before the copy too, so oversized input costs nothing.
        if (bytes.length > maxLength) {
            throw new InvalidCidException("CID of " + bytes.length + " bytes is over the limit of " + maxLength);
        }
        return decodeOwned(bytes.clone(), maxLength);
    }

    /** Parses a binary CID in an array nobody else holds, so it can be kept without a copy. */
    private static Cid decodeOwned(byte[] bytes, int maxLength) {
        if (bytes.length > maxLength) {
            throw new InvalidCidException("CID of " + bytes.length + " bytes is over the limit of " + maxLength);
        }
        if (bytes.length == 0) {
            throw new InvalidCidException("empty CID");
        }
        try {
            if (isV0Multihash(bytes)) {
                return new Cid(bytes, Multicodec.DAG_PB.code(), Multihash.decode(bytes));
            }
            long version = Varint.decodeValue(bytes, 0, bytes.length);
            if (version != 1) {
                throw new InvalidCidException(version == 0
                        ? "a CIDv0 is exactly a 34-byte sha2-256 multihash"
                        : "unsupported CID version " + version);
            }
            long codec = Varint.decodeValue(bytes, 1, bytes.length);
            int multihashOffset = 1 + Varint.encodedLength(codec);
            return new Cid(bytes, codec, Multihash.decode(bytes, multihashOffset, Multihash.DEFAULT_MAX_DIGEST_LENGTH));
        } catch (InvalidVarintException | InvalidMultihashException e) {
            throw new InvalidCidException("malformed CID: " + e.getMessage(), e);
        }
    }

    private static boolean isV0Multihash(byte[] bytes) {
        return bytes.length == V0_LENGTH && bytes[0] == SHA2_256_CODE && bytes[1] == SHA2_256_LENGTH;
    }

    /** @return 0 or 1 */
    public int version() {
        return bytes[0] == 1 ? 1 : 0;
    }

    /** @return the content codec code; dag-pb for a CIDv0 */
    public long codec() {
        return codec;
    }

    /** @return the multihash of the content */
    public Multihash multihash() {
        return multihash;
    }

    /** @return a copy of the binary form */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** @return the length of the binary form */
    public int encodedLength() {
        return bytes.length;
    }

    /** @return this CID as a CIDv1 (itself if it is one) */
    public Cid toV1() {
        return version() == 1 ? this : v1(codec, multihash);
    }

    /**
     * @return the default string form: base58btc without prefix for a CIDv0, base32 for a CIDv1
     */
    @Override
    public String toString() {
        String s = string;
        if (s == null) {
            s = version() == 0 ? multihash.toBase58() : Multibase.encode(Multibase.Encoding.BASE32, bytes);
            string = s;
        }
        return s;
    }

    /**
     * @return this CID in the given multibase; a CIDv0 only has its base58btc form
     * @throws IllegalArgumentException for a CIDv0 and any encoding but base58btc (convert with
     *         {@link #toV1()} first)
     */
    public String toString(Multibase.Encoding encoding) {
        if (version() == 0) {
            if (encoding != Multibase.Encoding.BASE58_BTC) {
                throw new IllegalArgumentException("a CIDv0 is only written in base58btc; use toV1() for "
                        + encoding);
            }
            return toString();
        }
        return encoding == Multibase.Encoding.BASE32 ? toString() : Multibase.encode(encoding, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }
}
