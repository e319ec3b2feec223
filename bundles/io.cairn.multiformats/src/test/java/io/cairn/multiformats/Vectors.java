package io.cairn.multiformats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the vector files under {@code src/test/resources/vectors}: CSV lines, {@code #} comments. */
final class Vectors {
    private Vectors() {
    }

    /** @return the lines of a vector file, comments and blank lines included */
    static List<String> lines(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One data line of a vector file; prints as the line for readable test names. */
    record Row(List<String> fields) {
        String get(int index) {
            return index < fields.size() ? fields.get(index) : "";
        }

        @Override
        public String toString() {
            return String.join(",", fields);
        }
    }

    /** @return the data rows: fields split on commas outside double quotes, trimmed and unquoted */
    static List<Row> rows(String name) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines(name)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                rows.add(new Row(List.of(fields(line))));
            }
        }
        return rows;
    }

    static String[] fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().trim());
        return fields.toArray(String[]::new);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
