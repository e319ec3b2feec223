package io.cairn.pin;

import io.cairn.multiformats.Cid;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's pin set. Pinning recursively walks the DAG (fetching missing blocks through bitswap) and
 * records the pin only once every block is local: a failed or cancelled pin leaves nothing pinned.
 * Recursive and direct pins are stored (with names); indirect pins are what recursive pins reach, derived
 * by walking, never stored. Messages of {@link PinException} are Kubo's where Kubo has one.
 */
@ProviderType
public interface Pinner {
  /** Kubo's message for removing what is not a direct or recursive pin. */
  String NOT_PINNED = "not pinned or pinned indirectly";

  /**
   * Pins {@code root}. {@code maxDepth} is -1 for a full recursive pin; a direct pin ignores it.
   * {@code progress} is told the count of blocks reached so far, from the walker's threads, as it grows.
   * Cancel the future to stop the pin (nothing is recorded). Pinning what is pinned the same way again
   * succeeds (a new name replaces the old); a recursive pin replaces a direct pin of the same CID; a direct
   * pin of a recursively pinned CID fails with Kubo's "{@code <cid> already pinned recursively}".
   */
  CompletableFuture<Void> pin(Cid root, PinType type, int maxDepth, String name, LongConsumer progress);

  /**
   * Removes the recursive or direct pin of {@code cid}, durably before it returns. With
   * {@code recursive=false} a recursive pin is refused ("{@code <cid> is pinned recursively}").
   *
   * @throws PinException {@value #NOT_PINNED} if {@code cid} is neither a direct nor a recursive pin
   */
  void unpin(Cid cid, boolean recursive) throws PinException;

  /**
   * Kubo's {@code pin update}: pins {@code to} recursively (walking and fetching like {@link #pin}), then
   * in one durable step records it and, if {@code unpin}, removes the recursive pin of {@code from}.
   * Fails with "{@code 'from' cid was not recursively pinned already}" if {@code from} is not a recursive
   * pin, and "{@code 'to' cid was already recursively pinned}" if {@code to} is one.
   */
  CompletableFuture<Void> update(Cid from, Cid to, boolean unpin, LongConsumer progress);

  /**
   * How {@code cid} is pinned, if it is, as one of {@code types}: recursive and direct are looked up;
   * indirect walks the recursive pins (locally) until one reaches it, and names that pin
   * ({@link Pin#via()}).
   */
  Optional<Pin> pinned(Cid cid, Set<PinType> types) throws PinException;

  /**
   * The pins of one type, read lazily from the pin store (recursive, direct) or found by walking the
   * recursive pins locally (indirect: each CID once, roots of recursive pins excluded). The set is never
   * held whole in memory. Close the stream; closing stops any walk.
   */
  Stream<Pin> list(PinType type);

  /**
   * Walks every recursive pin locally, lazily one pin per element, and says whether all its blocks are
   * present and hash to their CIDs. Close the stream.
   */
  Stream<Verification> verify();

  /** The recursive and direct pins stored. */
  long count(PinType type);

  /**
   * One pin.
   *
   * @param maxDepth -1 for a full recursive pin, else the depth it reaches; 0 for direct and indirect
   * @param name the pin's name, empty for none
   * @param via for an indirect pin found by {@link #pinned}, the recursive pin that reaches it; else null
   */
  record Pin(Cid cid, PinType type, int maxDepth, String name, Cid via) {
    public Pin {
      if (cid == null || type == null) {
        throw new IllegalArgumentException("a pin needs a CID and a type");
      }
      name = name == null ? "" : name;
    }
  }

  /**
   * What {@link #verify} found for one recursive pin.
   *
   * @param badNode the first block found missing or corrupt (null when {@code ok})
   * @param error why that block is bad (null when {@code ok})
   */
  record Verification(Cid cid, boolean ok, Cid badNode, String error) {
  }
}
