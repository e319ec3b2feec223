package io.cairn.blockstore.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.InvalidMultihashException;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How {@code block/put} makes a block's CID, from Kubo's options: {@code cid-codec} (default raw), the
 * deprecated {@code format} ({@code v0} gives a dag-pb CIDv0; {@code protobuf} and {@code cbor} are the old
 * names of dag-pb and dag-cbor), {@code mhtype} (default sha2-256) and {@code mhlen} (-1: the function's
 * length; truncated digests are refused).
 */
record CidFormat(int version, Multicodec codec, Multicodec function) {
  /** The CIDv1 raw sha2-256 CIDs {@code ipfs block put} makes by default. */
  static final CidFormat DEFAULT = new CidFormat(1, Multicodec.RAW, Multicodec.SHA2_256);
  static final Set<Multicodec> CONTENT_CODECS = EnumSet.of(Multicodec.RAW, Multicodec.DAG_PB, Multicodec.DAG_CBOR,
      Multicodec.DAG_JSON, Multicodec.CBOR, Multicodec.JSON, Multicodec.LIBP2P_KEY);
  static final Set<Multicodec> HASH_FUNCTIONS = EnumSet.of(Multicodec.SHA2_256, Multicodec.SHA2_512,
      Multicodec.BLAKE2B_256, Multicodec.IDENTITY);

  /**
   * @param cidCodec the {@code cid-codec} option, or null when absent
   * @param format the deprecated {@code format} option, or null when absent
   * @param mhtype the {@code mhtype} option, or null when absent
   * @throws IllegalArgumentException naming the option that is wrong and why
   */
  static CidFormat of(String cidCodec, String format, String mhtype, long mhlen) {
    Multicodec function = mhtype == null || mhtype.isEmpty() ? Multicodec.SHA2_256
        : Multicodec.forName(mhtype).filter(HASH_FUNCTIONS::contains).orElseThrow(() -> new IllegalArgumentException(
            "unrecognized multihash function: " + mhtype + " (supported: " + names(HASH_FUNCTIONS) + ")"));
    int fixedLength = function == Multicodec.SHA2_512 ? 64 : function == Multicodec.IDENTITY ? -1 : 32;
    if (mhlen != -1 && (fixedLength < 0 || mhlen != fixedLength)) {
      throw new IllegalArgumentException("mhlen " + mhlen + " is not supported for " + function
          + (fixedLength < 0 ? ": use -1" : ": use -1 or " + fixedLength + " (truncated digests are refused)"));
    }
    int version = 1;
    Multicodec codec;
    if (format != null && !format.isEmpty()) {
      // As Kubo: the legacy option replaces cid-codec, which may then only be its default.
      if (cidCodec != null && !cidCodec.isEmpty() && !cidCodec.equals("raw")) {
        throw new IllegalArgumentException("unable to use \"format\" (deprecated) and a custom \"cid-codec\" at the same time");
      }
      String name = switch (format) {
        case "v0", "protobuf" -> "dag-pb";
        case "cbor" -> "dag-cbor";
        default -> format;
      };
      codec = content(name, "format");
      if (format.equals("v0")) {
        version = 0;
        if (function != Multicodec.SHA2_256) {
          throw new IllegalArgumentException("only sha2-256 with 32-byte digests is allowed with CIDv0 (format=v0)");
        }
      }
    } else {
      codec = cidCodec == null || cidCodec.isEmpty() ? Multicodec.RAW : content(cidCodec, "cid-codec");
    }
    return new CidFormat(version, codec, function);
  }

  private static Multicodec content(String name, String option) {
    return Multicodec.forName(name).filter(CONTENT_CODECS::contains).orElseThrow(() -> new IllegalArgumentException(
        "unrecognized " + option + ": " + name + " (supported: " + names(CONTENT_CODECS) + ")"));
  }

  private static String names(Set<Multicodec> codecs) {
    return codecs.stream().map(Multicodec::codecName).collect(Collectors.joining(", "));
  }

  /**
   * The CID of {@code data} in this format.
   *
   * @throws IllegalArgumentException for identity data over the multihash digest limit
   */
  Cid cidOf(byte[] data) {
    Multihash hash;
    try {
      hash = Multihash.digest(function, data);
    } catch (InvalidMultihashException e) {
      throw new IllegalArgumentException(function + " block of " + data.length + " bytes: " + e.getMessage(), e);
    }
    return version == 0 ? Cid.v0(hash) : Cid.v1(codec, hash);
  }
}
