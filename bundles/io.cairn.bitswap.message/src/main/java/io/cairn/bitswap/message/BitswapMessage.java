package io.cairn.bitswap.message;

import java.util.List;

/**
 * One bitswap message: wants, blocks and answers, in any mix. Immutable: the lists are unmodifiable
 * copies (or the very lists given, when those already are), so a message may be handed between threads
 * freely; the blocks' data arrays are shared, not copied (see {@link BlockPayload}).
 *
 * <p>What the negotiated protocol cannot carry is left out when the message is encoded: see
 * {@link BitswapCodec#encode}.
 *
 * @param wantlist wants and cancels, in the order given
 * @param full whether the wantlist is the sender's whole wantlist (replacing what it sent before) rather
 *        than changes to it
 * @param blocks blocks sent
 * @param presences HAVE and DONT_HAVE answers (1.2.0)
 * @param pendingBytes how many bytes the sender has queued for the receiver (1.2.0; informational)
 */
public record BitswapMessage(List<WantlistEntry> wantlist, boolean full, List<BlockPayload> blocks,
    List<BlockPresence> presences, int pendingBytes) {
  /** The message that carries nothing. */
  public static final BitswapMessage EMPTY = new BitswapMessage(List.of(), false, List.of(), List.of(), 0);

  /** @throws NullPointerException if a list or one of its elements is null */
  public BitswapMessage {
    wantlist = List.copyOf(wantlist);
    blocks = List.copyOf(blocks);
    presences = List.copyOf(presences);
  }

  /** @return a message of wantlist changes only */
  public static BitswapMessage wants(List<WantlistEntry> entries) {
    return new BitswapMessage(entries, false, List.of(), List.of(), 0);
  }

  /** @return a message that replaces the receiver's view of the sender's wantlist with {@code entries} */
  public static BitswapMessage fullWantlist(List<WantlistEntry> entries) {
    return new BitswapMessage(entries, true, List.of(), List.of(), 0);
  }

  /** @return a message of blocks only */
  public static BitswapMessage blocks(List<BlockPayload> blocks) {
    return new BitswapMessage(List.of(), false, blocks, List.of(), 0);
  }

  /** @return a message of block presences only */
  public static BitswapMessage presences(List<BlockPresence> presences) {
    return new BitswapMessage(List.of(), false, List.of(), presences, 0);
  }

  /**
   * @return whether the message carries nothing: no entries, blocks or presences, not a full wantlist,
   *         no pending bytes (it encodes to an empty body)
   */
  public boolean isEmpty() {
    return wantlist.isEmpty() && !full && blocks.isEmpty() && presences.isEmpty() && pendingBytes == 0;
  }
}
