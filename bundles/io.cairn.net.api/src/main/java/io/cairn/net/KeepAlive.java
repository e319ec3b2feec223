package io.cairn.net;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps connections alive and finds the dead ones: every connection is pinged through its muxer every
 * interval, and one whose ping goes unanswered past the timeout is closed, so a peer that vanished
 * without closing is let go within interval + timeout and what was asked of it goes elsewhere (the seed's
 * keep-alive management: 30 s and 10 s, as go-yamux).
 */
@ProviderType
public interface KeepAlive {
  /**
   * What the manager does and has done.
   *
   * @param interval how often each connection is pinged
   * @param timeout how long a ping may go unanswered
   * @param connections connections kept alive now
   * @param pings pings answered since start
   * @param closed connections closed for want of an answer since start
   */
  record Status(Duration interval, Duration timeout, int connections, long pings, long closed) {}

  Status status();
}
