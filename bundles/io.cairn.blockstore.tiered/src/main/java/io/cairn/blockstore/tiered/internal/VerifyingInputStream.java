package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.CorruptBlockException;
import io.cairn.multiformats.Cid;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A block's bytes re-hashed as they are consumed ({@code hashOnRead} for streams): the read that reaches
 * the end throws when they do not hash to the CID, so a consumer never takes a corrupt block for a whole
 * one. The failure is an {@link IOException} (what stream consumers handle) whose cause is the
 * {@link CorruptBlockException}.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final Cid cid;
  private final StreamingHash hash;
  private boolean checked;

  VerifyingInputStream(Cid cid, InputStream in) {
    super(in);
    this.cid = cid;
    this.hash = StreamingHash.of(cid.multihash());
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      hash.update(b, off, n);
    } else if (n < 0) {
      check();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed.
    byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void check() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    if (!hash.matches()) {
      CorruptBlockException corrupt = new CorruptBlockException(cid, "block " + cid + " does not hash to its CID (hashOnRead)");
      throw new IOException(corrupt.getMessage(), corrupt);
    }
  }
}
