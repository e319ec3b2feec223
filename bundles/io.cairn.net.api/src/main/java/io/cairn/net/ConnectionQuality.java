package io.cairn.net;

import io.cairn.multiformats.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How the connection to one peer performs now: the seed's {@code ConnectionQuality}.
 *
 * @param latency the round trip, a moving average (EWMA) of the measurements (the muxer's keep-alive
 *     pings, libp2p pings); empty before the first
 * @param bandwidthIn bytes per second received from the peer, a moving average of per-second rates
 * @param bandwidthOut bytes per second sent to it, likewise
 * @param errorRate the share of requests to the peer that failed (reset, timed out, failed or were never
 *     answered), recent ones weighing most; 0 with none counted
 * @param requests how many requests {@code errorRate} weighs (decayed like it): how much it says
 * @param lastSeen when the peer last sent anything, or connected
 */
public record ConnectionQuality(PeerId peer, Optional<Duration> latency, long bandwidthIn, long bandwidthOut,
    double errorRate, double requests, Instant lastSeen) {}
