package io.cairn.multiformats.internal;

import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.PublicKey;
import java.util.Arrays;

/** What every public key shares: its type and key data, and equality, hashing and printing on them. */
abstract class AbstractPublicKey implements PublicKey {
    private static final int PRINTED_BYTES = 40;

    private final KeyType type;
    private final byte[] raw;

    AbstractPublicKey(KeyType type, byte[] raw) {
        this.type = type;
        this.raw = raw;
    }

    @Override
    public final KeyType type() {
        return type;
    }

    @Override
    public final byte[] raw() {
        return raw.clone();
    }

    @Override
    public final byte[] toProtobuf() {
        return KeyProtobuf.encode(type, raw);
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof AbstractPublicKey other && type == other.type && Arrays.equals(raw, other.raw);
    }

    @Override
    public final int hashCode() {
        return 31 * type.number() + Arrays.hashCode(raw);
    }

    @Override
    public final String toString() {
        String hex = Hex.encode(raw, 0, Math.min(raw.length, PRINTED_BYTES));
        return type + " public key " + hex + (raw.length > PRINTED_BYTES ? "... (" + raw.length + " bytes)" : "");
    }
}
