package io.cairn.bitswap.message;

import java.util.List;
import java.util.Optional;

/** The bitswap protocol versions, newest first: what a stream negotiated decides what a message may carry. */
public enum BitswapProtocol {
  /** Want-have entries, HAVE/DONT_HAVE presences and pending bytes, on top of 1.1.0. */
  V1_2_0("/ipfs/bitswap/1.2.0"),
  /** Blocks travel with their CID prefix, so any CID version, codec and hash function can be sent. */
  V1_1_0("/ipfs/bitswap/1.1.0"),
  /** Blocks are bare data whose CID is a CIDv0 (dag-pb, sha2-256). */
  V1_0_0("/ipfs/bitswap/1.0.0");

  private static final List<String> IDS = List.of(V1_2_0.id, V1_1_0.id, V1_0_0.id);

  private final String id;

  BitswapProtocol(String id) {
    this.id = id;
  }

  /** @return the protocol id negotiated with multistream-select, for example {@code /ipfs/bitswap/1.2.0} */
  public String id() {
    return id;
  }

  /** @return whether want-have entries, block presences and pending bytes exist in this version (1.2.0) */
  public boolean supportsHave() {
    return this == V1_2_0;
  }

  /** @return whether blocks travel with a CID prefix (1.1.0 and later), rather than as CIDv0 data */
  public boolean supportsPayload() {
    return this != V1_0_0;
  }

  /** @return the version with this protocol id, if it is one of these */
  public static Optional<BitswapProtocol> of(String id) {
    for (BitswapProtocol protocol : values()) {
      if (protocol.id.equals(id)) {
        return Optional.of(protocol);
      }
    }
    return Optional.empty();
  }

  /** @return every protocol id, newest first: the order to offer them in and to register handlers for */
  public static List<String> ids() {
    return IDS;
  }
}
