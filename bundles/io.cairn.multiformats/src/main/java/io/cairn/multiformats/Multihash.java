package io.cairn.multiformats;

import io.cairn.multiformats.internal.Digests;
import io.cairn.multiformats.internal.Hex;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * A self-describing hash (multiformats/multihash): {@code <varint function code><varint digest length>
 * <digest>}.
 *
 * <p>Decoding checks that the declared length is exactly what remains and is right for the function:
 * sha2-256 and blake2b-256 take 32 bytes, sha2-512 64 (truncated digests are rejected), identity and
 * unknown functions at most a cap ({@value #DEFAULT_MAX_DIGEST_LENGTH} bytes unless
 * {@link #decode(byte[], int)} says otherwise). Multihashes of unknown functions are kept with their code
 * but cannot be computed or verified.
 *
 * <p>Immutable; equality is on the encoded bytes.
 */
public final class Multihash {
    /** The default cap on the digest length of identity and unknown-function multihashes. */
    public static final int DEFAULT_MAX_DIGEST_LENGTH = 128;

    private final byte[] bytes;
    private final long code;
    private final int digestOffset;
    private int hash;

    private Multihash(byte[] bytes, long code, int digestOffset) {
        this.bytes = bytes;
        this.code = code;
        this.digestOffset = digestOffset;
    }

    /**
     * Hashes {@code data} with a supported function.
     *
     * @throws UnsupportedCodeException if {@code function} is not identity, sha2-256, sha2-512 or blake2b-256
     * @throws InvalidMultihashException for identity data longer than {@value #DEFAULT_MAX_DIGEST_LENGTH}
     *         bytes, which {@link #decode(byte[])} would not read back
     */
    public static Multihash digest(Multicodec function, byte[] data) {
        return of(function.code(), compute(function.code(), data));
    }

    /**
     * Wraps a digest that was computed elsewhere.
     *
     * @throws InvalidMultihashException if the code is negative or the length is wrong for the function
     *         (identity and unknown functions: at most {@value #DEFAULT_MAX_DIGEST_LENGTH} bytes)
     */
    public static Multihash of(long code, byte[] digest) {
        if (code < 0) {
            throw new InvalidMultihashException("negative multihash code " + code);
        }
        checkDigestLength(code, digest.length, DEFAULT_MAX_DIGEST_LENGTH);
        int header = Varint.encodedLength(code) + Varint.encodedLength(digest.length);
        byte[] bytes = new byte[header + digest.length];
        int offset = Varint.encode(code, bytes, 0);
        offset += Varint.encode(digest.length, bytes, offset);
        System.arraycopy(digest, 0, bytes, offset, digest.length);
        return new Multihash(bytes, code, header);
    }

    /**
     * Parses a binary multihash with the default cap on identity and unknown-function digests.
     *
     * @throws InvalidMultihashException if it is malformed, has trailing bytes or a wrong digest length
     */
    public static Multihash decode(byte[] bytes) {
        return decode(bytes, DEFAULT_MAX_DIGEST_LENGTH);
    }

    /**
     * Parses a binary multihash.
     *
     * @param maxDigestLength the longest digest accepted for identity and unknown functions
     * @throws InvalidMultihashException if it is malformed, has trailing bytes or a wrong digest length
     */
    public static Multihash decode(byte[] bytes, int maxDigestLength) {
        return decode(bytes, 0, maxDigestLength);
    }

    /** Parses the multihash that fills {@code src} from {@code offset} to its end; copies what it keeps. */
    static Multihash decode(byte[] src, int offset, int maxDigestLength) {
        try {
            long code = Varint.decodeValue(src, offset, src.length);
            int lengthOffset = offset + Varint.encodedLength(code);
            long length = Varint.decodeValue(src, lengthOffset, src.length);
            int digestOffset = lengthOffset + Varint.encodedLength(length);
            if (length != src.length - digestOffset) {
                throw new InvalidMultihashException("multihash declares a " + length + "-byte digest but "
                        + (src.length - digestOffset) + " bytes follow");
            }
            checkDigestLength(code, (int) length, maxDigestLength);
            return new Multihash(Arrays.copyOfRange(src, offset, src.length), code, digestOffset - offset);
        } catch (InvalidVarintException e) {
            throw new InvalidMultihashException("malformed multihash header: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a multihash written in base58btc without a multibase prefix, the form of legacy peer ids.
     *
     * @throws InvalidMultihashException if the text is not base58btc or not a valid multihash
     */
    public static Multihash fromBase58(String text) {
        try {
            return decode(Multibase.Encoding.BASE58_BTC.decodeWithoutPrefix(text));
        } catch (InvalidMultibaseException e) {
            throw new InvalidMultihashException("multihash is not valid base58btc: " + e.getMessage(), e);
        }
    }

    /** @return the hash function code */
    public long code() {
        return code;
    }

    /** @return the hash function, if it is one of the known codecs */
    public Optional<Multicodec> function() {
        return Multicodec.forCode(code);
    }

    /** @return the digest length in bytes */
    public int digestLength() {
        return bytes.length - digestOffset;
    }

    /** @return a copy of the digest */
    public byte[] digest() {
        return Arrays.copyOfRange(bytes, digestOffset, bytes.length);
    }

    /** @return a copy of the encoded multihash */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** @return the length of the encoded multihash */
    public int encodedLength() {
        return bytes.length;
    }

    /** The encoded bytes without a copy, for this package's encoders; never modify. */
    byte[] bytes() {
        return bytes;
    }

    /**
     * Re-hashes {@code data} and compares in time independent of where the digests differ.
     *
     * @return true if {@code data} hashes to this multihash
     * @throws UnsupportedCodeException if the function is not one this implementation computes
     */
    public boolean verify(byte[] data) {
        return MessageDigest.isEqual(compute(code, data), digest());
    }

    /** @return the encoded multihash in base58btc without a multibase prefix ({@code Qm...} for sha2-256) */
    public String toBase58() {
        return Multibase.Encoding.BASE58_BTC.encodeWithoutPrefix(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash other && Arrays.equals(bytes, other.bytes);
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

    /** @return the function name (or code) and the digest in hex, for example {@code sha2-256:ffb3...} */
    @Override
    public String toString() {
        String name = function().map(Multicodec::codecName).orElseGet(() -> "0x" + Long.toHexString(code));
        return name + ":" + Hex.encode(bytes, digestOffset, bytes.length);
    }

    private static void checkDigestLength(long code, int length, int maxDigestLength) {
        int required = fixedDigestLength(code);
        if (required > 0 ? length != required : length > maxDigestLength) {
            String name = Multicodec.forCode(code).map(Multicodec::codecName).orElse("function 0x"
                    + Long.toHexString(code));
            throw new InvalidMultihashException(required > 0
                    ? name + " digests are " + required + " bytes, not " + length
                    : name + " digest of " + length + " bytes is over the limit of " + maxDigestLength);
        }
    }

    /** @return the only digest length allowed for the function, or 0 if any length up to a cap is */
    private static int fixedDigestLength(long code) {
        if (code == Multicodec.SHA2_256.code() || code == Multicodec.BLAKE2B_256.code()) {
            return 32;
        }
        return code == Multicodec.SHA2_512.code() ? 64 : 0;
    }

    private static byte[] compute(long code, byte[] data) {
        return switch (Multicodec.forCode(code).orElse(null)) {
            case IDENTITY -> data.clone();
            case SHA2_256 -> Digests.sha256(data);
            case SHA2_512 -> Digests.sha512(data);
            case BLAKE2B_256 -> Digests.blake2b256(data);
            case null, default -> throw new UnsupportedCodeException("cannot compute multihash function 0x"
                    + Long.toHexString(code));
        };
    }
}
