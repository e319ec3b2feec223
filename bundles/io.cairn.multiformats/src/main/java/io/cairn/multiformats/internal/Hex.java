package io.cairn.multiformats.internal;

import java.util.HexFormat;

/** Lowercase hex for messages and {@code toString} forms. */
public final class Hex {
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    /** @return {@code bytes[from..to)} as lowercase hex */
    public static String encode(byte[] bytes, int from, int to) {
        return LOWER.formatHex(bytes, from, to);
    }

    /** @return the bytes of a hex constant */
    static byte[] decode(String hex) {
        return LOWER.parseHex(hex);
    }
}
