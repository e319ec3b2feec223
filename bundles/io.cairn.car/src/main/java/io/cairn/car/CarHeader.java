package io.cairn.car;

import io.cairn.multiformats.Cid;
import java.util.List;

/**
 * A CAR's header.
 *
 * @param version the archive's version: 1, or 2 for a CARv2 whose v1 payload is being read
 * @param roots the roots the (v1) header names, possibly none
 */
public record CarHeader(int version, List<Cid> roots) {
  public CarHeader {
    roots = List.copyOf(roots);
  }
}
