package io.cairn.unixfs;

/**
 * How files are imported, with Kubo's {@code add} options and defaults ({@link #kubo()}).
 *
 * @param chunker {@code size-N}: fixed-size chunks of N bytes (1 to 1 MiB); Kubo's default
 *     {@code size-262144}. Other chunkers (rabin, buzhash) are refused.
 * @param cidVersion 0 (dag-pb CIDv0, Kubo's default) or 1
 * @param rawLeaves whether leaves are raw blocks; null takes Kubo's default: false for CIDv0, true for CIDv1
 * @param wrapWithDirectory whether the added files are wrapped in a directory, which is then the root
 * @param hash the multihash function; only {@code sha2-256}
 * @param onlyHash compute the CIDs without storing any block
 */
public record ImportOptions(String chunker, int cidVersion, Boolean rawLeaves, boolean wrapWithDirectory, String hash,
    boolean onlyHash) {
  public static final String DEFAULT_CHUNKER = "size-262144";
  public static final String DEFAULT_HASH = "sha2-256";

  /** Kubo's defaults: size-262144, CIDv0, dag-pb leaves, no wrapping, sha2-256, storing. */
  public static ImportOptions kubo() {
    return new ImportOptions(DEFAULT_CHUNKER, 0, null, false, DEFAULT_HASH, false);
  }

  /** The leaf form in effect: the one given, else Kubo's default for the CID version. */
  public boolean effectiveRawLeaves() {
    return rawLeaves != null ? rawLeaves : cidVersion > 0;
  }

  public ImportOptions withCidVersion(int version) {
    return new ImportOptions(chunker, version, rawLeaves, wrapWithDirectory, hash, onlyHash);
  }

  public ImportOptions withRawLeaves(Boolean raw) {
    return new ImportOptions(chunker, cidVersion, raw, wrapWithDirectory, hash, onlyHash);
  }

  public ImportOptions withChunker(String c) {
    return new ImportOptions(c, cidVersion, rawLeaves, wrapWithDirectory, hash, onlyHash);
  }

  public ImportOptions withWrapWithDirectory(boolean wrap) {
    return new ImportOptions(chunker, cidVersion, rawLeaves, wrap, hash, onlyHash);
  }

  public ImportOptions withOnlyHash(boolean only) {
    return new ImportOptions(chunker, cidVersion, rawLeaves, wrapWithDirectory, hash, only);
  }
}
