package io.cairn.bitswap.message;

/**
 * What one received message may hold. Exceeding a count or the size is a malformed message (the stream
 * is reset); a CID longer than {@code maxCidBytes} only drops its entry or presence, as boxo does.
 *
 * @param maxMessageBytes the longest message body accepted, at most {@value #MAX_MESSAGE_BYTES} bytes
 * @param maxWantlistEntries the most wantlist entries in one message
 * @param maxBlocks the most blocks in one message (1.0.0 blocks and 1.1.0+ payloads together)
 * @param maxPresences the most block presences in one message
 * @param maxCidBytes the longest CID kept, in bytes
 */
public record MessageLimits(int maxMessageBytes, int maxWantlistEntries, int maxBlocks, int maxPresences,
    int maxCidBytes) {
  /** No message may be longer than this, whatever is configured: 16 times the spec's 4 MiB. */
  public static final int MAX_MESSAGE_BYTES = 64 << 20;

  /**
   * The spec's 4 MiB messages (room for one 2 MiB block); 10,000 entries and presences, 1,000 blocks;
   * boxo's 168-byte CIDs.
   */
  public static final MessageLimits DEFAULT = new MessageLimits(4 << 20, 10_000, 1_000, 10_000, 168);

  /** @throws IllegalArgumentException if a limit is not positive or the message size is over {@value #MAX_MESSAGE_BYTES} */
  public MessageLimits {
    positive("maxMessageBytes", maxMessageBytes);
    positive("maxWantlistEntries", maxWantlistEntries);
    positive("maxBlocks", maxBlocks);
    positive("maxPresences", maxPresences);
    positive("maxCidBytes", maxCidBytes);
    if (maxMessageBytes > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes + " is over " + MAX_MESSAGE_BYTES);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
