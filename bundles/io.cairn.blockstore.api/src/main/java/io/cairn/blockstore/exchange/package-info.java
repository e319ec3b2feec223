/**
 * The exchange SPI: how the {@link io.cairn.blockstore.BlockService} fetches blocks from peers. Bitswap
 * registers a {@link io.cairn.blockstore.exchange.BlockExchange}; the block service holds it as an optional,
 * dynamic, greedy reference, so the exchange can come, go or be swapped under traffic.
 */
@Export
@Version("1.1.0")
package io.cairn.blockstore.exchange;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
