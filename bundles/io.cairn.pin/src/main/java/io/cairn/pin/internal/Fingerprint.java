package io.cairn.pin.internal;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multihash;

/**
 * A CID's 64-bit fingerprint, taken over its multihash (so the CIDv0 and CIDv1 of one block, which a
 * blockstore may keep as one, share it). Never 0, which {@link LongHashSet} keeps for empty slots. Two
 * blocks sharing a fingerprint only ever make the collector keep a block it could have removed.
 */
final class Fingerprint {
  private Fingerprint() {}

  static long of(Cid cid) {
    Multihash mh = cid.multihash();
    byte[] digest = mh.digest();
    long h = 0x9E3779B97F4A7C15L * (mh.code() + 1) ^ digest.length;
    int i = 0;
    for (; i + 8 <= digest.length; i += 8) {
      h = mix(h ^ readLong(digest, i));
    }
    long tail = 0;
    for (; i < digest.length; i++) {
      tail = tail << 8 | (digest[i] & 0xFF);
    }
    h = mix(h ^ tail);
    return h == 0 ? 1 : h;
  }

  private static long readLong(byte[] b, int at) {
    long v = 0;
    for (int k = 0; k < 8; k++) {
      v = v << 8 | (b[at + k] & 0xFF);
    }
    return v;
  }

  /** MurmurHash3's 64-bit finaliser: every input bit reaches every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }
}
