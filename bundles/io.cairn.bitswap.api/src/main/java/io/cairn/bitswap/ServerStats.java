package io.cairn.bitswap;

/**
 * The engine's counters since start (Kubo's {@code bitswap/stat} send side, and the seed design's
 * BitswapStats): blocks and bytes sent, presences sent, messages received, peers with a ledger, tasks
 * queued and in flight, and malformed messages seen.
 */
public record ServerStats(long blocksSent, long dataSent, long haveSent, long dontHaveSent, long messagesReceived,
    int peers, long queuedTasks, long outstandingBytes, long malformedMessages) {}
