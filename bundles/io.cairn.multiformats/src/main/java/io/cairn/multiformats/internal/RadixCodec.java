package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidMultibaseException;

/**
 * RFC 4648 style codecs whose radix is a power of two (base16, base32, base64): each character carries a
 * fixed number of bits, optionally padded with {@code =} to whole blocks.
 *
 * <p>Decoding accepts only what encoding produces (apart from letter case where the codec is case
 * insensitive): exact padding, no impossible lengths and zero trailing bits, so a decoded value always
 * re-encodes to the same text.
 */
public final class RadixCodec implements TextCodec {
    private static final char PAD = '=';

    private final char[] alphabet;
    private final byte[] decodeTable;
    private final int bitsPerChar;
    /** Characters in one padding block: the smallest count whose bits make whole bytes. */
    private final int blockChars;
    private final boolean padded;

    /**
     * @param alphabet 2^n characters, digit value order
     * @param padded whether text is padded with {@code =} to whole blocks
     * @param caseInsensitive whether decoding accepts both cases of letters
     */
    public RadixCodec(String alphabet, boolean padded, boolean caseInsensitive) {
        this.alphabet = alphabet.toCharArray();
        this.bitsPerChar = Integer.numberOfTrailingZeros(alphabet.length());
        this.decodeTable = TextCodec.decodeTable(alphabet, caseInsensitive);
        this.blockChars = lcm(8, bitsPerChar) / bitsPerChar;
        this.padded = padded;
    }

    @Override
    public String encode(byte[] data) {
        int dataChars = (int) ((data.length * 8L + bitsPerChar - 1) / bitsPerChar);
        int totalChars = padded ? (dataChars + blockChars - 1) / blockChars * blockChars : dataChars;
        char[] out = new char[totalChars];
        int mask = (1 << bitsPerChar) - 1;
        int buffer = 0;
        int bufferedBits = 0;
        int o = 0;
        for (byte b : data) {
            buffer = buffer << 8 | (b & 0xff);
            bufferedBits += 8;
            while (bufferedBits >= bitsPerChar) {
                bufferedBits -= bitsPerChar;
                out[o++] = alphabet[buffer >>> bufferedBits & mask];
            }
        }
        if (bufferedBits > 0) {
            out[o++] = alphabet[buffer << (bitsPerChar - bufferedBits) & mask];
        }
        while (o < totalChars) {
            out[o++] = PAD;
        }
        return new String(out);
    }

    @Override
    public byte[] decode(CharSequence text, int start) {
        int end = text.length();
        if (padded) {
            if ((end - start) % blockChars != 0) {
                throw new InvalidMultibaseException("padded text of " + (end - start)
                        + " characters is not a whole number of " + blockChars + "-character blocks");
            }
            int dataEnd = end;
            while (dataEnd > start && text.charAt(dataEnd - 1) == PAD) {
                dataEnd--;
            }
            int dataChars = dataEnd - start;
            if (end - dataEnd != (blockChars - dataChars % blockChars) % blockChars) {
                throw new InvalidMultibaseException("wrong padding: " + (end - dataEnd) + " '=' after "
                        + dataChars + " data characters");
            }
            end = dataEnd;
        }
        long bits = (long) (end - start) * bitsPerChar;
        if (bits % 8 >= bitsPerChar) {
            throw new InvalidMultibaseException((end - start) + " characters cannot encode whole bytes");
        }
        byte[] out = new byte[(int) (bits / 8)];
        int buffer = 0;
        int bufferedBits = 0;
        int o = 0;
        for (int i = start; i < end; i++) {
            buffer = buffer << bitsPerChar | TextCodec.digit(decodeTable, text, i);
            bufferedBits += bitsPerChar;
            if (bufferedBits >= 8) {
                bufferedBits -= 8;
                out[o++] = (byte) (buffer >>> bufferedBits);
            }
        }
        if ((buffer & ((1 << bufferedBits) - 1)) != 0) {
            throw new InvalidMultibaseException("non-zero trailing bits: not a canonical encoding");
        }
        return out;
    }

    @Override
    public boolean quadratic() {
        return false;
    }

    private static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
