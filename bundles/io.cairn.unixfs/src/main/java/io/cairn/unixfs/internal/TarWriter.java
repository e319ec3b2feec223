package io.cairn.unixfs.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The tar that Kubo's {@code get} streams (boxo files.TarWriter over Go's archive/tar): USTAR headers,
 * directories mode 0777, files 0644, symlinks 0777, the time of writing as mtime; a name too long for
 * USTAR's name and prefix fields gets a PAX {@code path} record first, as Go's writer does.
 */
final class TarWriter {
  private static final int BLOCK = 512;
  private final OutputStream out;
  private final long mtime = System.currentTimeMillis() / 1000;

  TarWriter(OutputStream out) {
    this.out = out;
  }

  void directory(String path) throws IOException {
    header(path, '5', 0777, 0, "");
  }

  void file(String path, long size) throws IOException {
    header(path, '0', 0644, size, "");
  }

  void symlink(String path, String target) throws IOException {
    header(path, '2', 0777, 0, target);
  }

  /** Pads a file's bytes, written straight to the stream after {@link #file}, to the block size. */
  void endFile(long size) throws IOException {
    int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
    out.write(new byte[pad]);
  }

  /** The two zero blocks that end an archive. */
  void finish() throws IOException {
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  private void header(String path, char type, int mode, long size, String link) throws IOException {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    byte[] linkName = link.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = new byte[0];
    if (name.length > 100) {
      int split = splitPoint(name);
      if (split > 0) {
        prefix = java.util.Arrays.copyOfRange(name, 0, split);
        name = java.util.Arrays.copyOfRange(name, split + 1, name.length);
      } else {
        pax(path, link);
        name = java.util.Arrays.copyOf(name, 100);
      }
    }
    if (linkName.length > 100 && prefix.length == 0 && name.length <= 100) {
      pax(path, link);
    }
    write(name, java.util.Arrays.copyOf(linkName, Math.min(linkName.length, 100)), prefix, type, mode, size);
  }

  /** Where a long name splits into USTAR prefix (at most 155 bytes) and name (at most 100): a slash; -1 if none fits. */
  private static int splitPoint(byte[] name) {
    for (int i = Math.min(name.length - 1, 155); i > 0; i--) {
      if (name[i] == '/' && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
        return i;
      }
    }
    return -1;
  }

  private void pax(String path, String link) throws IOException {
    StringBuilder records = new StringBuilder();
    records.append(record("path", path));
    if (link.getBytes(StandardCharsets.UTF_8).length > 100) {
      records.append(record("linkpath", link));
    }
    byte[] body = records.toString().getBytes(StandardCharsets.UTF_8);
    write("PaxHeaders.0/entry".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[0], 'x', 0644, body.length);
    out.write(body);
    endFile(body.length);
  }

  /** A PAX record, "length key=value\n", whose length counts its own digits. */
  private static String record(String key, String value) {
    int rest = 3 + key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
    int length = rest + Integer.toString(rest).length();
    if (Integer.toString(length).length() != Integer.toString(rest).length()) {
      length++;
    }
    return length + " " + key + "=" + value + "\n";
  }

  private void write(byte[] name, byte[] link, byte[] prefix, char type, int mode, long size) throws IOException {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) type;
    System.arraycopy(link, 0, h, 157, link.length);
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    System.arraycopy(prefix, 0, h, 345, Math.min(prefix.length, 155));
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.write(h);
  }

  /**
   * An octal number, zero-padded, NUL-terminated, in {@code length} bytes at {@code at}; a size too big for
   * octal (8 GiB and over) in the base-256 form GNU tar and Go's reader take.
   */
  private static void octal(byte[] h, int at, int length, long value) throws IOException {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      if (length != 12) {
        throw new IOException("tar header field of " + length + " bytes cannot hold " + value);
      }
      h[at] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[at + length - 1 - i] = (byte) (value >>> (8 * i));
      }
      return;
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, at, length - 1);
    h[at + length - 1] = 0;
  }
}
