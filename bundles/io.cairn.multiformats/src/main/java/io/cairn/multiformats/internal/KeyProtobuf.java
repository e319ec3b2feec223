package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.Varint;
import java.util.Arrays;

/**
 * The libp2p {@code PublicKey}/{@code PrivateKey} protobuf, {@code {KeyType Type = 1; bytes Data = 2}},
 * in the deterministic form the peer-id spec requires: both fields, in tag order, minimal varints, nothing
 * else. Decoding accepts only that form, so a key's encoding (and the peer id hashed from it) is unique.
 */
public final class KeyProtobuf {
    private static final int TYPE_TAG = 1 << 3; // field 1, wire type varint
    private static final int DATA_TAG = 2 << 3 | 2; // field 2, wire type length-delimited

    /**
     * A decoded key message.
     *
     * @param type the key type
     * @param data the type-specific key data
     */
    public record Message(KeyType type, byte[] data) {
    }

    private KeyProtobuf() {
    }

    /** @return the deterministic encoding of a key message */
    public static byte[] encode(KeyType type, byte[] data) {
        byte[] out = new byte[2 + Varint.encodedLength(type.number()) + Varint.encodedLength(data.length)
                + data.length];
        int offset = 0;
        out[offset++] = TYPE_TAG;
        offset += Varint.encode(type.number(), out, offset);
        out[offset++] = DATA_TAG;
        offset += Varint.encode(data.length, out, offset);
        System.arraycopy(data, 0, out, offset, data.length);
        return out;
    }

    /**
     * @throws InvalidKeyException if the message is not exactly the deterministic encoding of a known type
     */
    public static Message decode(byte[] message) {
        try {
            if (message.length == 0 || message[0] != TYPE_TAG) {
                throw new InvalidKeyException("key protobuf must start with the Type field");
            }
            long typeNumber = Varint.decodeValue(message, 1, message.length);
            KeyType type = KeyType.forNumber(typeNumber)
                    .orElseThrow(() -> new InvalidKeyException("unknown key type " + typeNumber));
            int offset = 1 + Varint.encodedLength(typeNumber);
            if (offset >= message.length || message[offset] != DATA_TAG) {
                throw new InvalidKeyException("key protobuf must continue with the Data field and nothing else");
            }
            offset++;
            long length = Varint.decodeValue(message, offset, message.length);
            offset += Varint.encodedLength(length);
            if (length != message.length - offset) {
                throw new InvalidKeyException("key Data declares " + length + " bytes but " + (message.length - offset)
                        + " follow");
            }
            return new Message(type, Arrays.copyOfRange(message, offset, message.length));
        } catch (InvalidVarintException e) {
            throw new InvalidKeyException("malformed key protobuf: " + e.getMessage(), e);
        }
    }
}
