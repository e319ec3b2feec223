package io.cairn.itests;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.Varint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The deterministic test blocks shared by Java and JS (bitswap-spec "Test data shared by Java and
 * JS"; itests/interop/testdata.mjs makes the same ones). Content of block (size, index): the
 * AES-128-CTR keystream of {@code size} bytes, key = the first 16 bytes of SHA-256(UTF-8
 * "cairn-bench/" + size), IV = the 8-byte big-endian index then 8 zero bytes. A raw block is that
 * content under a CIDv1 raw sha2-256; a dag-pb block is the PBNode whose only field is Data = the
 * content ({@code 0x0a}, uvarint(size), content) under a CIDv0.
 */
public final class TestBlocks {
  /** The largest block: what bitswap peers accept (boxo refuses blocks over 2 MiB). */
  public static final int MAX_BLOCK_SIZE = 2 * 1024 * 1024;

  public enum Kind {
    RAW("raw"), DAG_PB("dagpb");

    private final String arg;

    Kind(String arg) {
      this.arg = arg;
    }

    /** The name helia-peer.mjs takes. */
    public String arg() {
      return arg;
    }
  }

  /** Blocks 0..count-1 of one kind and size. */
  public record BlockSet(Kind kind, int size, int count) {
    public BlockSet {
      if (kind == null || size < 1 || size > MAX_BLOCK_SIZE || count < 0) {
        throw new IllegalArgumentException("a block set needs a kind, 1 <= size <= " + MAX_BLOCK_SIZE
            + " and count >= 0: " + kind + ", " + size + ", " + count);
      }
    }

    /** As helia-peer.mjs's {@code --sets} takes it: {@code kind:size:count}. */
    public String arg() {
      return kind.arg() + ":" + size + ":" + count;
    }

    /** The blocks of this set in index order, made one at a time. */
    public void forEach(Consumer<Block> action) {
      Generator g = new Generator(this);
      for (int i = 0; i < count; i++) {
        action.accept(g.block(i));
      }
    }

    /** The blocks of this set in index order, all in memory (for small sets). */
    public List<Block> blocks() {
      List<Block> blocks = new ArrayList<>(count);
      forEach(blocks::add);
      return blocks;
    }

    public List<Cid> cids() {
      List<Cid> cids = new ArrayList<>(count);
      forEach(b -> cids.add(b.cid()));
      return cids;
    }
  }

  private TestBlocks() {
  }

  /** The raw blocks of one size, in memory (each size is a set of its own, so sizes never share a block). */
  public static List<Block> raw(int size, int count) {
    return new BlockSet(Kind.RAW, size, count).blocks();
  }

  /** Block {@code index} of {@code set} (any index, not only those below its count). */
  public static Block block(BlockSet set, long index) {
    return new Generator(set).block(index);
  }

  /** The CIDs of the sets, set after set, each in index order (helia-peer.mjs's order). */
  public static List<Cid> cids(List<BlockSet> sets) {
    List<Cid> cids = new ArrayList<>();
    sets.forEach(s -> cids.addAll(s.cids()));
    return cids;
  }

  /** Hex SHA-256 of the CIDs' string forms joined with "\n", as helia-peer.mjs reports it. */
  public static String cidsSha256(List<Cid> cids) {
    StringBuilder joined = new StringBuilder();
    for (Cid cid : cids) {
      if (!joined.isEmpty()) {
        joined.append('\n');
      }
      joined.append(cid);
    }
    return HexFormat.of().formatHex(sha256().digest(joined.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** One set's key and cipher, made once and reused for each block. */
  private static final class Generator {
    private final BlockSet set;
    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] header;

    Generator(BlockSet set) {
      this.set = set;
      byte[] digest = sha256().digest(("cairn-bench/" + set.size()).getBytes(StandardCharsets.UTF_8));
      this.key = new SecretKeySpec(Arrays.copyOf(digest, 16), "AES");
      try {
        this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("every JDK has AES/CTR/NoPadding", e);
      }
      if (set.kind() == Kind.DAG_PB) {
        byte[] length = Varint.encode(set.size());
        header = new byte[1 + length.length];
        header[0] = 0x0a; // PBNode field 1 (Data), wire type 2 (length-delimited)
        System.arraycopy(length, 0, header, 1, length.length);
      } else {
        header = new byte[0];
      }
    }

    Block block(long index) {
      byte[] iv = ByteBuffer.allocate(16).putLong(index).array();
      byte[] data = new byte[header.length + set.size()];
      System.arraycopy(header, 0, data, 0, header.length);
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        // encrypting in place: the zeros after the header become the keystream
        cipher.doFinal(data, header.length, set.size(), data, header.length);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR over a plain array cannot fail", e);
      }
      Multihash mh = Multihash.digest(Multicodec.SHA2_256, data);
      return new Block(set.kind() == Kind.DAG_PB ? Cid.v0(mh) : Cid.v1(Multicodec.RAW, mh), data);
    }
  }
}
