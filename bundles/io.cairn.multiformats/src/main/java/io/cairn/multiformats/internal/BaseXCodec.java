package io.cairn.multiformats.internal;

import java.util.Arrays;

/**
 * Codecs that read the whole input as one big number (base58btc, base36), with each leading zero byte
 * written as one leading zero digit.
 *
 * <p>Both directions take time quadratic in the length, which is why callers cap untrusted input; the
 * encoding is a bijection between byte arrays and texts, so decoded values always re-encode to the same
 * text (in canonical case).
 */
public final class BaseXCodec implements TextCodec {
    private final char[] alphabet;
    private final byte[] decodeTable;
    private final int base;
    /** Output digits per input byte, rounded up slightly: log(256) / log(base). */
    private final double digitsPerByte;

    /**
     * @param alphabet the digits in value order
     * @param caseInsensitive whether decoding accepts both cases of letters
     */
    public BaseXCodec(String alphabet, boolean caseInsensitive) {
        this.alphabet = alphabet.toCharArray();
        this.decodeTable = TextCodec.decodeTable(alphabet, caseInsensitive);
        this.base = alphabet.length();
        this.digitsPerByte = Math.log(256) / Math.log(base);
    }

    @Override
    public String encode(byte[] data) {
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        // Digits of the number, least significant first.
        int[] digits = new int[(int) ((data.length - zeros) * digitsPerByte) + 1];
        int digitCount = 0;
        for (int i = zeros; i < data.length; i++) {
            int carry = data[i] & 0xff;
            for (int k = 0; k < digitCount; k++) {
                carry += digits[k] << 8;
                digits[k] = carry % base;
                carry /= base;
            }
            while (carry > 0) {
                digits[digitCount++] = carry % base;
                carry /= base;
            }
        }
        char[] out = new char[zeros + digitCount];
        Arrays.fill(out, 0, zeros, alphabet[0]);
        for (int k = 0; k < digitCount; k++) {
            out[zeros + k] = alphabet[digits[digitCount - 1 - k]];
        }
        return new String(out);
    }

    @Override
    public byte[] decode(CharSequence text, int start) {
        int end = text.length();
        int zeros = 0;
        while (start + zeros < end && TextCodec.digit(decodeTable, text, start + zeros) == 0) {
            zeros++;
        }
        // Bytes of the number, least significant first.
        byte[] number = new byte[(int) ((end - start - zeros) / digitsPerByte) + 1];
        int byteCount = 0;
        for (int i = start + zeros; i < end; i++) {
            int carry = TextCodec.digit(decodeTable, text, i);
            for (int k = 0; k < byteCount; k++) {
                carry += (number[k] & 0xff) * base;
                number[k] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                number[byteCount++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[zeros + byteCount];
        for (int k = 0; k < byteCount; k++) {
            out[zeros + k] = number[byteCount - 1 - k];
        }
        return out;
    }

    @Override
    public boolean quadratic() {
        return true;
    }
}
