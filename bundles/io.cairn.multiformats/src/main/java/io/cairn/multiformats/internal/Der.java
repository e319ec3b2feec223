package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Just enough DER to move keys between the encodings libp2p stores (PKCS#1, SEC 1) and the ones the JDK
 * reads (PKCS#8, X.509 SubjectPublicKeyInfo).
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    static final int CONTEXT_0 = 0xa0;
    static final int CONTEXT_1 = 0xa1;

    /** AlgorithmIdentifier of rsaEncryption with its NULL parameters. */
    static final byte[] RSA_ALGORITHM = Hex.decode("300d06092a864886f70d0101010500");
    /** The id-ecPublicKey object identifier, complete with tag and length. */
    static final byte[] EC_PUBLIC_KEY_OID = Hex.decode("06072a8648ce3d0201");
    /** INTEGER 0, the version of a PKCS#8 PrivateKeyInfo. */
    static final byte[] VERSION_0 = {INTEGER, 1, 0};

    private Der() {
    }

    /** @return a definite-length TLV holding the concatenated contents */
    static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : contents) {
            content.writeBytes(part);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int lengthBytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | lengthBytes);
            for (int i = lengthBytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** @return an INTEGER holding a non-negative value, minimally encoded */
    static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    /** Reads consecutive TLVs from a DER buffer; every malformation is an {@link InvalidKeyException}. */
    static final class Reader {
        private final byte[] buffer;
        private int position;
        private final int end;

        Reader(byte[] buffer) {
            this(buffer, 0, buffer.length);
        }

        private Reader(byte[] buffer, int start, int end) {
            this.buffer = buffer;
            this.position = start;
            this.end = end;
        }

        boolean atEnd() {
            return position == end;
        }

        /** @return the tag of the next TLV, or -1 at the end */
        int peekTag() {
            return atEnd() ? -1 : buffer[position] & 0xff;
        }

        /** @return a reader over the contents of the next TLV, which must have {@code tag} */
        Reader enter(int tag) {
            int[] range = next(tag);
            return new Reader(buffer, range[0], range[1]);
        }

        /** @return a copy of the contents of the next TLV, which must have {@code tag} */
        byte[] read(int tag) {
            int[] range = next(tag);
            return Arrays.copyOfRange(buffer, range[0], range[1]);
        }

        /**
         * @return the next TLV, which must be a minimally encoded non-negative INTEGER
         */
        BigInteger readNonNegativeInteger() {
            byte[] content = read(INTEGER);
            if (content.length == 0 || content[0] < 0 || content.length > 1 && content[0] == 0 && content[1] >= 0) {
                throw new InvalidKeyException("DER INTEGER is empty, negative or not minimal");
            }
            return new BigInteger(1, content);
        }

        /** @return the next TLV whole, tag and length included, which must have {@code tag} */
        byte[] readWhole(int tag) {
            int start = position;
            next(tag);
            return Arrays.copyOfRange(buffer, start, position);
        }

        private int[] next(int tag) {
            if (position + 2 > end || (buffer[position] & 0xff) != tag) {
                throw new InvalidKeyException("expected DER tag 0x" + Integer.toHexString(tag));
            }
            int first = buffer[position + 1] & 0xff;
            int offset = position + 2;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int lengthBytes = first & 0x7f;
                if (lengthBytes == 0 || lengthBytes > 4 || offset + lengthBytes > end) {
                    throw new InvalidKeyException("unsupported or truncated DER length");
                }
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = length << 8 | (buffer[offset++] & 0xff);
                }
                if (length < 0x80 || length >> (8 * (lengthBytes - 1)) == 0) {
                    throw new InvalidKeyException("DER length not minimally encoded");
                }
            }
            if (length > end - offset) {
                throw new InvalidKeyException("DER length " + length + " runs past the end");
            }
            position = offset + (int) length;
            return new int[] {offset, position};
        }
    }
}
