package io.cairn.dag.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import java.io.IOException;
import java.time.Duration;

/**
 * Pins a root recursively with the bound {@link Pinner}. The only class that touches the optionally
 * imported pin package, and only when a pinner is bound: the commands hold it as an {@code Object}.
 */
final class Pins {
  private Pins() {}

  /**
   * Pins {@code root} recursively and waits for it; the failure's message, or the empty string on success
   * (Kubo's {@code PinErrorMsg}).
   *
   * @param pinner the bound {@code io.cairn.pin.Pinner}, or null
   */
  static String pinRecursively(Object pinner, Cid root, Duration timeout) {
    if (pinner == null) {
      return "pinning is not available: no pinner runs on this node";
    }
    try {
      CarImport.await(((Pinner) pinner).pin(root, PinType.RECURSIVE, -1, "", n -> {}), timeout, "pinning " + root);
      return "";
    } catch (IOException e) {
      return e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
    }
  }
}
