package io.cairn.net.spi;

import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnectionQuality;
import java.util.Optional;

/**
 * A peer the connection manager may disconnect, as a {@link TrimOrder} sees it.
 *
 * @param value the sum of its tags' values
 * @param connections its connections
 * @param streams the streams open across them
 * @param inbound whether any of them was opened by the peer
 * @param quality its connection quality, when a quality tracker runs
 */
public record TrimCandidate(PeerId peer, int value, int connections, int streams, boolean inbound,
    Optional<ConnectionQuality> quality) {}
