package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidMultibaseException;
import java.util.Arrays;

/** One multibase alphabet and algorithm, without the prefix character. */
public sealed interface TextCodec permits RadixCodec, BaseXCodec {
    /** @return the text for {@code data}, in this codec's canonical case */
    String encode(byte[] data);

    /**
     * Decodes {@code text} from index {@code start} to its end.
     *
     * @throws InvalidMultibaseException for characters outside the alphabet, bad padding, an impossible
     *         length or non-zero trailing bits
     */
    byte[] decode(CharSequence text, int start);

    /**
     * @return true if decoding costs time quadratic in the input length, so untrusted input must be capped
     */
    boolean quadratic();

    /** @return a decode table for {@code alphabet}: character to digit value, -1 where not in it */
    static byte[] decodeTable(String alphabet, boolean caseInsensitive) {
        byte[] table = new byte[128];
        Arrays.fill(table, (byte) -1);
        for (int i = 0; i < alphabet.length(); i++) {
            char c = alphabet.charAt(i);
            table[c] = (byte) i;
            if (caseInsensitive) {
                table[Character.toLowerCase(c)] = (byte) i;
                table[Character.toUpperCase(c)] = (byte) i;
            }
        }
        return table;
    }

    /** @return the digit value of {@code c} in {@code table}, or throws naming its position */
    static int digit(byte[] table, CharSequence text, int index) {
        char c = text.charAt(index);
        int value = c < table.length ? table[c] : -1;
        if (value < 0) {
            throw new InvalidMultibaseException("character " + Printable.quote(c) + " at index " + index
                    + " is not in the alphabet");
        }
        return value;
    }
}
