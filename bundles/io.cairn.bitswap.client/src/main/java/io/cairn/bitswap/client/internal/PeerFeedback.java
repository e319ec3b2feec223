package io.cairn.bitswap.client.internal;

import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.net.ConnectionQualities;
import java.util.HashSet;
import java.util.Set;

/**
 * What the client tells the network layer about peers, when it runs: how its requests to each peer ended
 * ({@link ConnectionQualities}), and which peers a session relies on ({@link ConnManager}: tagged
 * {@code bs-ses-<id>} with boxo's value 5 and protected once they delivered a block to it, until the
 * session closes, as boxo's session peer manager does). Without them, nothing.
 */
final class PeerFeedback {
  /** boxo's {@code sessionPeerTagValue}. */
  static final int SESSION_TAG_VALUE = 5;

  volatile ConnManager connManager;
  volatile ConnectionQualities qualities;

  /** The peer answered a want (a block, HAVE or DONT_HAVE). */
  void answered(PeerId peer) {
    ConnectionQualities q = qualities;
    if (q != null) {
      q.succeeded(peer);
    }
  }

  /** The peer was asked for a block and stayed silent past the response timeout. */
  void timedOut(PeerId peer) {
    ConnectionQualities q = qualities;
    if (q != null) {
      q.failed(peer, ConnectionQualities.Failure.TIMEOUT);
    }
  }

  /** The peer delivered a block to {@code session}: tagged and protected for as long as the session lasts. */
  void delivered(WantManager.Session session, PeerId peer) {
    ConnManager cm = connManager;
    if (cm == null || session.tag == null) {
      return;
    }
    synchronized (session.tagged) {
      if (session.closed || !session.tagged.add(peer)) {
        return;
      }
      cm.tagPeer(peer, session.tag, SESSION_TAG_VALUE);
      cm.protect(peer, session.tag);
    }
  }

  /** The session closed: its peers lose its tag and protection. */
  void closed(WantManager.Session session) {
    if (session.tag == null) {
      return;
    }
    Set<PeerId> peers;
    synchronized (session.tagged) {
      session.closed = true;
      peers = new HashSet<>(session.tagged);
      session.tagged.clear();
    }
    ConnManager cm = connManager;
    if (cm != null) {
      for (PeerId peer : peers) {
        cm.untagPeer(peer, session.tag);
        cm.unprotect(peer, session.tag);
      }
    }
  }
}
