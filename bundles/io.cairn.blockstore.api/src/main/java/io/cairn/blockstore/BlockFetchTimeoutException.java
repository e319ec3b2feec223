package io.cairn.blockstore;

import io.cairn.multiformats.Cid;
import java.time.Duration;

/**
 * A block that is not local and that no peer delivered within the timeout (of a {@link BlockService} get).
 *
 * @since 1.2
 */
public class BlockFetchTimeoutException extends BlockstoreException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;
  private final Duration timeout;

  public BlockFetchTimeoutException(Cid cid, Duration timeout, Throwable cause) {
    super("block " + cid + " is not local and no peer sent it within " + timeout.toMillis() + " ms", cause);
    this.cid = cid;
    this.timeout = timeout;
  }

  public Cid cid() {
    return cid;
  }

  public Duration timeout() {
    return timeout;
  }
}
