package io.cairn.multiformats.internal;

/** Renders untrusted input safely and briefly for exception messages. */
public final class Printable {
    private static final int MAX_QUOTED = 64;

    private Printable() {
    }

    /** @return {@code 'c'} for printable ASCII, else its code point in hex */
    public static String quote(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** @return the text in quotes, cut short and with control characters escaped */
    public static String quote(CharSequence text) {
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(text.length(), MAX_QUOTED);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        out.append('"');
        if (text.length() > shown) {
            out.append("... (").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
