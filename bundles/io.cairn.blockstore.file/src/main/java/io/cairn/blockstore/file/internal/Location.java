package io.cairn.blockstore.file.internal;

import java.nio.ByteBuffer;

/** Where a block's record is: its segment and offset, its codec, and its original and stored lengths. */
record Location(int segment, long offset, int codec, int originalLength, int storedLength) {
  static final int ENCODED = 21;

  byte[] encode() {
    return ByteBuffer.allocate(ENCODED).putInt(segment).putLong(offset).put((byte) codec)
        .putInt(originalLength).putInt(storedLength).array();
  }

  static Location decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    return new Location(in.getInt(), in.getLong(), in.get() & 0xFF, in.getInt(), in.getInt());
  }

  int recordLength(int cidLength) {
    return RecordFormat.recordLength(cidLength, storedLength);
  }
}
