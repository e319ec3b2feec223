package io.cairn.bitswap.client.internal;

import io.cairn.bitswap.message.WantlistEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The wantlist entries waiting to go to one peer, sent as boxo's message queue sends them: a peer with
 * nothing sent lately gets its first entries at once; after a message, further entries gather for the send
 * delay (the number of connected peers times a per-peer delay, clamped to [sendDelayMinMillis,
 * sendDelayMaxMillis]: boxo's 20 ms to 2 s) and go together, or at once when {@code sendBatchEntries} (boxo's
 * 256) have gathered. Manager thread only; times are {@link System#nanoTime()} values passed in.
 */
final class SendQueue {
  private List<WantlistEntry> entries = new ArrayList<>();
  /** No message before this time unless the batch is full; a time in the past means the peer is idle. */
  private long quietUntil;
  private boolean sentBefore;

  void add(WantlistEntry entry) {
    entries.add(entry);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  int size() {
    return entries.size();
  }

  /** Whether the entries should go now. */
  boolean due(long now, int batchEntries) {
    return !entries.isEmpty() && (!sentBefore || now - quietUntil >= 0 || entries.size() >= batchEntries);
  }

  /** When the entries will be due if no more come (meaningful only when not empty). */
  long dueAt(long now) {
    return sentBefore ? quietUntil : now;
  }

  /** Takes the entries to send, and starts the quiet time of {@code delayNanos}. */
  List<WantlistEntry> take(long now, long delayNanos) {
    List<WantlistEntry> out = entries;
    entries = new ArrayList<>();
    sentBefore = true;
    quietUntil = now + delayNanos;
    return out;
  }
}
