package io.cairn.bench;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The deterministic raw test blocks shared by Java and JS (bitswap-spec "Test data shared by Java and
 * JS"; itests/interop/testdata.mjs, which helia-peer.mjs serves, makes the same ones): block (size,
 * index) is the AES-128-CTR keystream of {@code size} bytes, key = the first 16 bytes of SHA-256(UTF-8
 * "cairn-bench/" + size), IV = the 8-byte big-endian index then 8 zero bytes, under a CIDv1 raw
 * sha2-256. The load tools need only the raw kind. Not thread-safe: one generator per thread.
 */
final class TestBlocks {
  /** The largest block bitswap peers exchange (boxo refuses bigger ones). */
  static final int MAX_BLOCK_SIZE = 2 * 1024 * 1024;

  private final int size;
  private final SecretKeySpec key;
  private final Cipher cipher;

  /** @throws IllegalArgumentException unless 1 ≤ size ≤ {@value #MAX_BLOCK_SIZE} */
  TestBlocks(int size) {
    if (size < 1 || size > MAX_BLOCK_SIZE) {
      throw new IllegalArgumentException("block size must be 1 to " + MAX_BLOCK_SIZE + ", not " + size);
    }
    this.size = size;
    byte[] digest = sha256().digest(("cairn-bench/" + size).getBytes(StandardCharsets.UTF_8));
    this.key = new SecretKeySpec(Arrays.copyOf(digest, 16), "AES");
    try {
      this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has AES/CTR/NoPadding", e);
    }
  }

  /** @return the content of block {@code index} */
  byte[] data(long index) {
    byte[] iv = ByteBuffer.allocate(16).putLong(index).array();
    byte[] data = new byte[size];
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      // Encrypting zeros in place leaves the keystream.
      cipher.doFinal(data, 0, size, data, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR over a plain array cannot fail", e);
    }
    return data;
  }

  /** @return the CID of raw block content */
  static Cid cidOf(byte[] data) {
    return Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, data));
  }

  /** @return the CIDs of blocks 0..count-1, in index order */
  List<Cid> cids(int count) {
    List<Cid> cids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cids.add(cidOf(data(i)));
    }
    return cids;
  }

  /** @return hex SHA-256 of the CIDs' string forms joined with "\n": helia-peer.mjs's {@code cidsSha256} */
  static String cidsSha256(List<Cid> cids) {
    MessageDigest digest = sha256();
    for (int i = 0; i < cids.size(); i++) {
      if (i > 0) {
        digest.update((byte) '\n');
      }
      digest.update(cids.get(i).toString().getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
