package io.cairn.bitswap;

import io.cairn.multiformats.Cid;
import java.time.Duration;

/** No peer delivered the block within the timeout. */
public class BitswapTimeoutException extends BitswapException {
  private static final long serialVersionUID = 1L;

  public BitswapTimeoutException(Cid cid, Duration timeout) {
    super("no peer delivered " + cid + " within " + timeout.toMillis() + " ms");
  }

  /**
   * With why the peers that had the block were passed over or slow ({@code cause}: the network layer's
   * route exception, such as a latency or bandwidth past its threshold), so the caller learns the path is
   * at fault, not the content.
   *
   * @since 1.3
   */
  public BitswapTimeoutException(Cid cid, Duration timeout, Throwable cause) {
    super("no peer delivered " + cid + " within " + timeout.toMillis() + " ms: " + cause.getMessage(), cause);
  }
}
