package io.cairn.bitswap.spi;

import io.cairn.multiformats.PeerId;

/**
 * A peer with queued wants, as it joins the engine's ready queue, for a {@link PriorityRequestManager}
 * to rank against the other peers waiting for a task worker.
 *
 * @param neverServed no worker has taken a want of this peer since it connected
 * @param waitingNanos time since this peer's last turn ended (or since it connected, if never served)
 * @param bestClass the best class among its queued wants
 * @param queuedWants how many wants it has queued
 */
public record PeerTurn(PeerId peer, boolean neverServed, long waitingNanos, WantClass bestClass, int queuedWants) {}
