package io.cairn.multiformats;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The entries of the multicodec table that Cairn uses: content codecs for CIDs and the hash functions
 * multihashes are made with. Codes and names are those of the multiformats/multicodec table.
 */
public enum Multicodec {
    /** No hashing: the "digest" is the data itself. */
    IDENTITY(0x00, "identity"),
    /** SHA-256, 32-byte digests. */
    SHA2_256(0x12, "sha2-256"),
    /** SHA-512, 64-byte digests. */
    SHA2_512(0x13, "sha2-512"),
    /** BLAKE2b with 32-byte digests. */
    BLAKE2B_256(0xb220, "blake2b-256"),
    /** CBOR data without IPLD links. */
    CBOR(0x51, "cbor"),
    /** Raw binary data. */
    RAW(0x55, "raw"),
    /** MerkleDAG protobuf (UnixFS nodes). */
    DAG_PB(0x70, "dag-pb"),
    /** MerkleDAG CBOR. */
    DAG_CBOR(0x71, "dag-cbor"),
    /** A libp2p public key; the codec of peer ids written as CIDs. */
    LIBP2P_KEY(0x72, "libp2p-key"),
    /** MerkleDAG JSON. */
    DAG_JSON(0x0129, "dag-json"),
    /** JSON data without IPLD links. */
    JSON(0x0200, "json");

    private static final Map<Long, Multicodec> BY_CODE = new HashMap<>();
    private static final Map<String, Multicodec> BY_NAME = new HashMap<>();

    static {
        for (Multicodec codec : values()) {
            BY_CODE.put(codec.code, codec);
            BY_NAME.put(codec.codecName, codec);
        }
    }

    private final long code;
    private final String codecName;

    Multicodec(long code, String codecName) {
        this.code = code;
        this.codecName = codecName;
    }

    /** @return the numeric code, as written in varints */
    public long code() {
        return code;
    }

    /** @return the name in the multicodec table, for example {@code dag-pb} */
    public String codecName() {
        return codecName;
    }

    /** @return the codec with this code, if it is one of these */
    public static Optional<Multicodec> forCode(long code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** @return the codec with this multicodec table name, if it is one of these */
    public static Optional<Multicodec> forName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** @return the multicodec table name */
    @Override
    public String toString() {
        return codecName;
    }
}
