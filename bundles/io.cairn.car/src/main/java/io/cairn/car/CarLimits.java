package io.cairn.car;

/**
 * What a CAR reader may be made to allocate: every length is checked against these before anything is
 * read into memory.
 *
 * @param maxHeaderBytes the longest header accepted (the dag-cbor map of roots and version)
 * @param maxBlockBytes the largest block accepted; a section may be this plus the longest CID
 */
public record CarLimits(int maxHeaderBytes, int maxBlockBytes) {
  /** A header of at most 1 MiB (tens of thousands of roots), blocks of at most Kubo's 2 MiB. */
  public static final CarLimits DEFAULT = new CarLimits(1 << 20, 2 << 20);

  public CarLimits {
    if (maxHeaderBytes < 16 || maxBlockBytes < 1) {
      throw new IllegalArgumentException("CAR limits out of range: header " + maxHeaderBytes + " bytes (at least 16), block "
          + maxBlockBytes + " bytes (at least 1)");
    }
  }
}
