package io.cairn.unixfs.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import java.util.concurrent.CompletableFuture;

/**
 * Pins what {@code add} imported. The only class of this bundle that touches {@code io.cairn.pin}, an
 * optional import: the command holds the pinner as an {@code Object} and calls here only once one is bound.
 */
final class AddPin {
  private AddPin() {}

  /** A recursive pin of {@code root} named {@code name} (its blocks are all local: the walk reads, never fetches). */
  static CompletableFuture<Void> pin(Object pinner, Cid root, String name) {
    return ((Pinner) pinner).pin(root, PinType.RECURSIVE, -1, name, n -> { });
  }
}
