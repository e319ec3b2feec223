package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PublicKey;
import io.cairn.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The libp2p handshake payload (libp2p/specs noise/README.md), sent encrypted in messages 2 and 3:
 *
 * <pre>
 * message NoiseHandshakePayload {
 *   optional bytes identity_key = 1;          // the libp2p PublicKey protobuf
 *   optional bytes identity_sig = 2;          // over "noise-libp2p-static-key:" || static Noise key
 *   optional NoiseExtensions extensions = 4;
 * }
 * message NoiseExtensions {
 *   repeated bytes webtransport_certhashes = 1;  // read past: not a WebTransport session
 *   repeated string stream_muxers = 2;
 * }
 * </pre>
 *
 * Decoding follows protobuf: unknown fields (such as {@code data = 3} of older revisions) are skipped, a
 * repeated singular field keeps its last value, repeated extensions merge.
 */
record HandshakePayload(byte[] identityKey, byte[] identitySignature, List<String> streamMuxers) {
  private static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  private static final int IDENTITY_KEY = 1;
  private static final int IDENTITY_SIG = 2;
  private static final int EXTENSIONS = 4;
  private static final int STREAM_MUXERS = 2;
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;
  private static final long MAX_FIELD = (1 << 29) - 1;

  HandshakePayload {
    streamMuxers = List.copyOf(streamMuxers);
  }

  /** What the identity key signs: the prefix, then the static Noise public key. */
  static byte[] signedData(byte[] staticKey) {
    byte[] data = Arrays.copyOf(SIGNATURE_PREFIX, SIGNATURE_PREFIX.length + staticKey.length);
    System.arraycopy(staticKey, 0, data, SIGNATURE_PREFIX.length, staticKey.length);
    return data;
  }

  /**
   * Checks that the payload's identity key signed {@code staticKey}, the peer's static Noise key.
   *
   * @return the proven identity key
   * @throws NoiseException if the key is not a valid libp2p key (RSA outside 2048 to 8192 bits
   *     included), or the signature does not verify
   */
  PublicKey authenticate(byte[] staticKey) throws NoiseException {
    PublicKey key;
    try {
      key = Keys.unmarshalPublicKey(identityKey);
    } catch (MultiformatException e) {
      throw new NoiseException(Reason.INVALID_IDENTITY_KEY, "the peer's identity key is invalid: " + e.getMessage(), e);
    }
    if (!key.verify(signedData(staticKey), identitySignature)) {
      throw new NoiseException(Reason.BAD_SIGNATURE,
          "the peer's " + key.type() + " identity key did not sign its static Noise key");
    }
    return key;
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(identityKey.length + identitySignature.length + 64);
    writeField(out, IDENTITY_KEY, identityKey);
    writeField(out, IDENTITY_SIG, identitySignature);
    if (!streamMuxers.isEmpty()) {
      ByteArrayOutputStream extensions = new ByteArrayOutputStream();
      for (String muxer : streamMuxers) {
        writeField(extensions, STREAM_MUXERS, muxer.getBytes(StandardCharsets.UTF_8));
      }
      writeField(out, EXTENSIONS, extensions.toByteArray());
    }
    return out.toByteArray();
  }

  /** @throws NoiseException if {@code bytes} is not a well-formed payload */
  static HandshakePayload decode(byte[] bytes) throws NoiseException {
    byte[] identityKey = new byte[0];
    byte[] identitySignature = new byte[0];
    List<String> muxers = new ArrayList<>();
    Reader payload = new Reader(ByteBuffer.wrap(bytes));
    while (payload.hasMore()) {
      long tag = payload.tag();
      switch (fieldOf(tag)) {
        case IDENTITY_KEY -> identityKey = payload.bytes(tag);
        case IDENTITY_SIG -> identitySignature = payload.bytes(tag);
        case EXTENSIONS -> {
          Reader extensions = new Reader(ByteBuffer.wrap(payload.bytes(tag)));
          while (extensions.hasMore()) {
            long extensionTag = extensions.tag();
            if (fieldOf(extensionTag) == STREAM_MUXERS) {
              muxers.add(utf8(extensions.bytes(extensionTag)));
            } else {
              extensions.skip(extensionTag);
            }
          }
        }
        default -> payload.skip(tag);
      }
    }
    return new HandshakePayload(identityKey, identitySignature, muxers);
  }

  /** The field number of a tag that {@link Reader#tag} accepted. */
  private static int fieldOf(long tag) {
    return (int) (tag >>> 3);
  }

  private static String utf8(byte[] bytes) throws NoiseException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("a stream muxer id is not UTF-8");
    }
  }

  private static void writeField(ByteArrayOutputStream out, int field, byte[] value) {
    writeVarint(out, (long) field << 3 | LENGTH_DELIMITED);
    writeVarint(out, value.length);
    out.writeBytes(value);
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    Varint.encodeProtobuf(value, out::write);
  }

  private static NoiseException malformed(String what) {
    return new NoiseException(Reason.MALFORMED_MESSAGE, "malformed handshake payload: " + what);
  }

  /** Reads protobuf wire format from a buffer, every length checked against what is left. */
  private record Reader(ByteBuffer in) {
    boolean hasMore() {
      return in.hasRemaining();
    }

    /** A field's tag: its number (1 to 2^29 - 1) and wire type. */
    long tag() throws NoiseException {
      long tag = varint();
      long field = tag >>> 3;
      if (field < 1 || field > MAX_FIELD) {
        throw malformed("field number " + Long.toUnsignedString(field) + " is out of range");
      }
      return tag;
    }

    long varint() throws NoiseException {
      try {
        return Varint.decodeProtobuf(() -> in.hasRemaining() ? in.get() & 0xff : -1);
      } catch (InvalidVarintException e) {
        throw malformed(e.getMessage());
      }
    }

    /** The value of a length-delimited field whose tag was just read. */
    byte[] bytes(long tag) throws NoiseException {
      if ((tag & 7) != LENGTH_DELIMITED) {
        throw malformed("field " + fieldOf(tag) + " has wire type " + (tag & 7) + ", not length-delimited");
      }
      byte[] value = new byte[length()];
      in.get(value);
      return value;
    }

    /** Reads past the value of a field this payload does not use. */
    void skip(long tag) throws NoiseException {
      int wireType = (int) (tag & 7);
      switch (wireType) {
        case VARINT -> varint();
        case FIXED64 -> advance(8);
        case LENGTH_DELIMITED -> advance(length());
        case FIXED32 -> advance(4);
        default -> throw malformed("wire type " + wireType + " is not supported");
      }
    }

    private int length() throws NoiseException {
      long length = varint();
      if (length < 0 || length > in.remaining()) {
        throw malformed("a field of " + Long.toUnsignedString(length) + " bytes runs past the end");
      }
      return (int) length;
    }

    private void advance(int count) throws NoiseException {
      if (count > in.remaining()) {
        throw malformed("a fixed-size field runs past the end");
      }
      in.position(in.position() + count);
    }
  }
}
