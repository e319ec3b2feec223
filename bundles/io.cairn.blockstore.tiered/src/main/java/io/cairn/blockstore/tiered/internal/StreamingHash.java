package io.cairn.blockstore.tiered.internal;

import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.UnsupportedCodeException;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks bytes against a multihash as they arrive. The SHA-2 functions hash incrementally with the JDK's
 * {@link MessageDigest}, so hashing overlaps the reading; the other functions {@link Multihash} computes
 * (identity, blake2b-256) are checked on the bytes gathered, which callers bound by the maximum block size.
 */
abstract sealed class StreamingHash {
  /**
   * @throws UnsupportedCodeException if the multihash's function is not one Cairn can compute, so the
   *     bytes could never be checked
   */
  static StreamingHash of(Multihash expected) {
    String algorithm = expected.function().map(f -> switch (f) {
      case SHA2_256 -> "SHA-256";
      case SHA2_512 -> "SHA-512";
      default -> null;
    }).orElse(null);
    if (algorithm != null) {
      try {
        return new Jdk(expected, MessageDigest.getInstance(algorithm));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform provides " + algorithm, e);
      }
    }
    Multicodec function = expected.function().orElse(null);
    if (function != Multicodec.IDENTITY && function != Multicodec.BLAKE2B_256) {
      throw new UnsupportedCodeException("cannot compute multihash function 0x" + Long.toHexString(expected.code()));
    }
    return new Gathered(expected);
  }

  abstract void update(byte[] bytes, int offset, int length);

  /** Whether everything passed to {@link #update} hashes to the expected multihash. Call once, at the end. */
  abstract boolean matches();

  private static final class Jdk extends StreamingHash {
    private final Multihash expected;
    private final MessageDigest digest;

    Jdk(Multihash expected, MessageDigest digest) {
      this.expected = expected;
      this.digest = digest;
    }

    @Override
    void update(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
    }

    @Override
    boolean matches() {
      return MessageDigest.isEqual(digest.digest(), expected.digest());
    }
  }

  private static final class Gathered extends StreamingHash {
    private final Multihash expected;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Gathered(Multihash expected) {
      this.expected = expected;
    }

    @Override
    void update(byte[] b, int offset, int length) {
      bytes.write(b, offset, length);
    }

    @Override
    boolean matches() {
      return expected.verify(bytes.toByteArray());
    }
  }
}
