package io.cairn.bitswap;

/**
 * The client's counters since start (Kubo's {@code bitswap/stat} receive side): blocks and bytes
 * received, duplicates among them (a block that arrived after we had it), blocks dropped because
 * nobody wanted them or they did not hash to their CID, and the wants open now.
 */
public record ClientStats(long blocksReceived, long dataReceived, long dupBlocksReceived, long dupDataReceived,
    long unwantedBlocks, long invalidBlocks, int wants, int sessions) {}
