package io.cairn.multiformats;

import io.cairn.multiformats.internal.BaseXCodec;
import io.cairn.multiformats.internal.Printable;
import io.cairn.multiformats.internal.RadixCodec;
import io.cairn.multiformats.internal.TextCodec;
import java.util.Locale;
import java.util.Optional;

/**
 * Multibase: text encodings of bytes that name themselves with a one-character prefix
 * (multiformats/multibase).
 *
 * <p>Decoding is strict: unknown prefixes, characters outside the alphabet, missing or extra padding and
 * non-zero trailing bits are rejected, so any decoded value re-encodes to the same text (up to letter case
 * in the encodings that decode case-insensitively: base16, base32 and base36, as the multibase tests
 * require).
 *
 * <p>base58btc and base36 treat the text as one big number, which costs time quadratic in its length.
 * {@link #decode(String)} therefore rejects such texts longer than {@value #DEFAULT_MAX_BIG_NUMBER_LENGTH}
 * characters; identifiers (CIDs, peer ids) are far shorter. {@link #decode(String, int)} takes another cap
 * for trusted or unusual input.
 */
public final class Multibase {
    /**
     * The default cap, in characters after the prefix, on base58btc and base36 text accepted by
     * {@link #decode(String)}.
     */
    public static final int DEFAULT_MAX_BIG_NUMBER_LENGTH = 1024;

    private static final String BASE16_ALPHABET = "0123456789abcdef";
    private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final String BASE36_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String BASE64_URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** The multibase encodings supported, each with its prefix character and multibase table name. */
    public enum Encoding {
        /** Lowercase hexadecimal; decodes either case. */
        BASE16('f', "base16", new RadixCodec(BASE16_ALPHABET, false, true)),
        /** Uppercase hexadecimal; decodes either case. */
        BASE16_UPPER('F', "base16upper", new RadixCodec(BASE16_ALPHABET.toUpperCase(Locale.ROOT), false, true)),
        /** RFC 4648 base32, lowercase, no padding: the default for CIDv1. Decodes either case. */
        BASE32('b', "base32", new RadixCodec(BASE32_ALPHABET, false, true)),
        /** RFC 4648 base32, uppercase, no padding. Decodes either case. */
        BASE32_UPPER('B', "base32upper", new RadixCodec(BASE32_ALPHABET.toUpperCase(Locale.ROOT), false, true)),
        /** RFC 4648 base32, lowercase, padded. Decodes either case. */
        BASE32_PAD('c', "base32pad", new RadixCodec(BASE32_ALPHABET, true, true)),
        /** RFC 4648 base32, uppercase, padded. Decodes either case. */
        BASE32_PAD_UPPER('C', "base32padupper", new RadixCodec(BASE32_ALPHABET.toUpperCase(Locale.ROOT), true, true)),
        /** Base36, lowercase; decodes either case. Often used for libp2p-key CIDs in DNS labels. */
        BASE36('k', "base36", new BaseXCodec(BASE36_ALPHABET, true)),
        /** Base36, uppercase; decodes either case. */
        BASE36_UPPER('K', "base36upper", new BaseXCodec(BASE36_ALPHABET.toUpperCase(Locale.ROOT), true)),
        /** Bitcoin's base58; without its prefix, the form of CIDv0 and legacy peer ids. */
        BASE58_BTC('z', "base58btc", new BaseXCodec(BASE58_ALPHABET, false)),
        /** RFC 4648 base64, no padding. */
        BASE64('m', "base64", new RadixCodec(BASE64_ALPHABET, false, false)),
        /** RFC 4648 base64, padded. */
        BASE64_PAD('M', "base64pad", new RadixCodec(BASE64_ALPHABET, true, false)),
        /** RFC 4648 URL-safe base64, no padding. */
        BASE64_URL('u', "base64url", new RadixCodec(BASE64_URL_ALPHABET, false, false)),
        /** RFC 4648 URL-safe base64, padded. */
        BASE64_URL_PAD('U', "base64urlpad", new RadixCodec(BASE64_URL_ALPHABET, true, false));

        private static final Encoding[] BY_PREFIX = new Encoding[128];

        static {
            for (Encoding encoding : values()) {
                BY_PREFIX[encoding.prefix] = encoding;
            }
        }

        private final char prefix;
        private final String encodingName;
        private final TextCodec codec;

        Encoding(char prefix, String encodingName, TextCodec codec) {
            this.prefix = prefix;
            this.encodingName = encodingName;
            this.codec = codec;
        }

        /** @return the prefix character that names this encoding in multibase text */
        public char prefix() {
            return prefix;
        }

        /** @return the name in the multibase table, for example {@code base32} */
        public String encodingName() {
            return encodingName;
        }

        /** @return the text for {@code data} without the prefix character */
        public String encodeWithoutPrefix(byte[] data) {
            return codec.encode(data);
        }

        /**
         * Decodes text that carries no prefix character, such as a CIDv0 or a legacy peer id in base58btc.
         * Big-number encodings are capped at {@value #DEFAULT_MAX_BIG_NUMBER_LENGTH} characters.
         *
         * @throws InvalidMultibaseException if the text is not valid in this encoding
         */
        public byte[] decodeWithoutPrefix(String text) {
            return decodeWithoutPrefix(text, DEFAULT_MAX_BIG_NUMBER_LENGTH);
        }

        /**
         * Like {@link #decodeWithoutPrefix(String)} with another cap on big-number (base58btc, base36) text.
         *
         * @throws InvalidMultibaseException if the text is not valid in this encoding or over the cap
         */
        public byte[] decodeWithoutPrefix(String text, int maxBigNumberLength) {
            return decodeFrom(text, 0, maxBigNumberLength);
        }

        private byte[] decodeFrom(String text, int start, int maxBigNumberLength) {
            if (codec.quadratic() && text.length() - start > maxBigNumberLength) {
                throw new InvalidMultibaseException(encodingName + " text of " + (text.length() - start)
                        + " characters is over the limit of " + maxBigNumberLength);
            }
            return codec.decode(text, start);
        }

        /** @return the encoding with this prefix character, if supported */
        public static Optional<Encoding> forPrefix(char prefix) {
            return Optional.ofNullable(prefix < BY_PREFIX.length ? BY_PREFIX[prefix] : null);
        }

        /** @return the encoding with this multibase table name, if supported */
        public static Optional<Encoding> forName(String name) {
            for (Encoding encoding : values()) {
                if (encoding.encodingName.equals(name)) {
                    return Optional.of(encoding);
                }
            }
            return Optional.empty();
        }

        /** @return the multibase table name */
        @Override
        public String toString() {
            return encodingName;
        }
    }

    private Multibase() {
    }

    /** @return {@code data} as multibase text: the encoding's prefix, then the encoded bytes */
    public static String encode(Encoding encoding, byte[] data) {
        return encoding.prefix + encoding.codec.encode(data);
    }

    /**
     * Decodes multibase text, capping base58btc and base36 text at
     * {@value #DEFAULT_MAX_BIG_NUMBER_LENGTH} characters.
     *
     * @throws InvalidMultibaseException if the text is empty, has an unknown prefix or is not valid in its
     *         encoding
     */
    public static byte[] decode(String text) {
        return decode(text, DEFAULT_MAX_BIG_NUMBER_LENGTH);
    }

    /**
     * Decodes multibase text with the given cap on the length of base58btc and base36 text.
     *
     * @param maxBigNumberLength the most characters after the prefix accepted in a quadratic encoding
     * @throws InvalidMultibaseException if the text is empty, has an unknown prefix, is not valid in its
     *         encoding or is over the cap
     */
    public static byte[] decode(String text, int maxBigNumberLength) {
        return encodingOf(text).decodeFrom(text, 1, maxBigNumberLength);
    }

    /**
     * @return the encoding named by the text's prefix character
     * @throws InvalidMultibaseException if the text is empty or the prefix is unknown
     */
    public static Encoding encodingOf(String text) {
        if (text.isEmpty()) {
            throw new InvalidMultibaseException("empty multibase text");
        }
        char prefix = text.charAt(0);
        return Encoding.forPrefix(prefix).orElseThrow(() -> new InvalidMultibaseException(
                "unknown or unsupported multibase prefix " + Printable.quote(prefix)));
    }
}
