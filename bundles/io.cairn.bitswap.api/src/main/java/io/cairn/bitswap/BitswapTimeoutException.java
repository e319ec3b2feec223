package io.cairn.bitswap;

import io.cairn.multiformats.Cid;
import java.time.Duration;

/** No peer delivered the block within the timeout. */
public class BitswapTimeoutException extends BitswapException {
  private static final long serialVersionUID = 1L;

  public BitswapTimeoutException(Cid cid, Duration timeout) {
    super("no peer delivered " + cid + " within " + timeout.toMillis() + " ms");
  }
}
