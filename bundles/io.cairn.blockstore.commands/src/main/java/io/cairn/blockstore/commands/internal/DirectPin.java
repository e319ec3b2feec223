package io.cairn.blockstore.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import java.time.Duration;

/**
 * {@code block/put}'s {@code pin=true}: the block pinned directly. The only class of this bundle that
 * touches {@code io.cairn.pin}, an optional import: {@code block/put} holds the pinner as an
 * {@code Object} and calls here only once one is bound.
 */
final class DirectPin {
  private DirectPin() {}

  /**
   * @param pinner an {@code io.cairn.pin.Pinner}
   * @throws Blocks.Failure why the pin failed, or that it did not complete within {@code timeout}
   */
  static void pin(Object pinner, Cid cid, Duration timeout) throws Blocks.Failure {
    Blocks.await(((Pinner) pinner).pin(cid, PinType.DIRECT, -1, "", blocks -> {}), timeout);
  }
}
