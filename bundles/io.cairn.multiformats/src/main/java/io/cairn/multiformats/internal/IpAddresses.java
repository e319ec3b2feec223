package io.cairn.multiformats.internal;

/**
 * Text forms of IP addresses as go-multiaddr reads and writes them (it uses Go's net.ParseIP and
 * net.IP.String): strict dotted-quad IPv4 without leading zeros, RFC 4291 IPv6 text in, RFC 5952 text
 * out. Never touches name resolution, unlike {@link java.net.InetAddress}.
 */
public final class IpAddresses {
    /** Longest IPv6 text: eight groups with the last two written as a dotted quad. */
    private static final int MAX_IPV6_TEXT = 45;

    private IpAddresses() {
    }

    /** @return the 4 bytes of a dotted-quad address, or null if the text is not one */
    public static byte[] parseIpv4(String text) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < text.length() && i - start < 4 && isDecimal(text.charAt(i))) {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || digits > 1 && text.charAt(start) == '0') {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= text.length() || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == text.length() ? out : null;
    }

    /**
     * @return the 16 bytes of an IPv6 address in RFC 4291 text (with {@code ::} and an optional trailing
     *         dotted quad), or of the IPv4-mapped form of a plain dotted quad, as Go accepts; null if
     *         neither
     */
    public static byte[] parseIpv6(String text) {
        if (text.indexOf(':') < 0) {
            byte[] ipv4 = parseIpv4(text);
            return ipv4 == null ? null : mapped(ipv4);
        }
        if (text.length() > MAX_IPV6_TEXT) {
            return null;
        }
        int elision = text.indexOf("::");
        if (elision >= 0 && text.indexOf("::", elision + 1) >= 0) {
            return null;
        }
        int[] head = groups(elision >= 0 ? text.substring(0, elision) : text, elision < 0);
        int[] tail = elision >= 0 ? groups(text.substring(elision + 2), true) : new int[0];
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (elision < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int g = 0; g < head.length; g++) {
            putGroup(out, g, head[g]);
        }
        for (int g = 0; g < tail.length; g++) {
            putGroup(out, 8 - tail.length + g, tail[g]);
        }
        return out;
    }

    /** @return the dotted quad of {@code bytes[offset..offset+4)} */
    public static String formatIpv4(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) + "." + (bytes[offset + 1] & 0xff) + "." + (bytes[offset + 2] & 0xff) + "."
                + (bytes[offset + 3] & 0xff);
    }

    /**
     * @return RFC 5952 text of a 16-byte address: lowercase, no leading zeros, the longest run of two or
     *         more zero groups (the first of equals) as {@code ::}; IPv4-mapped addresses as
     *         {@code ::ffff:a.b.c.d}, as go-multiaddr writes them
     */
    public static String formatIpv6(byte[] bytes) {
        if (isIpv4Mapped(bytes)) {
            return "::ffff:" + formatIpv4(bytes, 12);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8;) {
            int run = 0;
            while (g + run < 8 && group(bytes, g + run) == 0) {
                run++;
            }
            if (run > bestLength) {
                bestStart = g;
                bestLength = run;
            }
            g += Math.max(run, 1);
        }
        StringBuilder out = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out.append("::");
                g += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(group(bytes, g)));
        }
        return out.toString();
    }

    /** @return whether a 16-byte address is {@code ::ffff:a.b.c.d} */
    public static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, out, 12, 4);
        return out;
    }

    /** @return the 16-bit groups of colon-separated text, a final dotted quad counting as two; null if bad */
    private static int[] groups(String part, boolean dottedQuadAllowedAtEnd) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] pieces = part.split(":", -1);
        boolean dottedQuad = dottedQuadAllowedAtEnd && pieces[pieces.length - 1].indexOf('.') >= 0;
        int[] out = new int[pieces.length + (dottedQuad ? 1 : 0)];
        for (int p = 0; p < pieces.length; p++) {
            if (dottedQuad && p == pieces.length - 1) {
                byte[] ipv4 = parseIpv4(pieces[p]);
                if (ipv4 == null) {
                    return null;
                }
                out[p] = (ipv4[0] & 0xff) << 8 | (ipv4[1] & 0xff);
                out[p + 1] = (ipv4[2] & 0xff) << 8 | (ipv4[3] & 0xff);
            } else {
                int value = hexGroup(pieces[p]);
                if (value < 0) {
                    return null;
                }
                out[p] = value;
            }
        }
        return out;
    }

    private static int hexGroup(String piece) {
        if (piece.isEmpty() || piece.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            int digit = isDecimal(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** ASCII only: {@link Character#isDigit} would admit other scripts' digits. */
    private static boolean isDecimal(char c) {
        return c >= '0' && c <= '9';
    }

    private static int group(byte[] bytes, int index) {
        return (bytes[2 * index] & 0xff) << 8 | (bytes[2 * index + 1] & 0xff);
    }

    private static void putGroup(byte[] out, int index, int value) {
        out[2 * index] = (byte) (value >>> 8);
        out[2 * index + 1] = (byte) value;
    }
}
