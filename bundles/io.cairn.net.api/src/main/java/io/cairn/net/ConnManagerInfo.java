package io.cairn.net;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The connection manager's settings and state.
 *
 * @param lowWater connections a trim leaves (besides protected peers and those in their grace period)
 * @param highWater connections past which a trim runs
 * @param gracePeriod how long a new peer is exempt from trimming
 * @param silencePeriod the least time between two trims
 * @param connections connections held now
 * @param protectedPeers peers protected now
 * @param lastTrim when the last trim ran, if any did
 * @param trimmed connections closed by trims since start
 */
public record ConnManagerInfo(int lowWater, int highWater, Duration gracePeriod, Duration silencePeriod, int connections,
    int protectedPeers, Optional<Instant> lastTrim, long trimmed) {}
