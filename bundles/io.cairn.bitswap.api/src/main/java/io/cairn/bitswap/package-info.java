/**
 * Bitswap for Cairn: the {@link io.cairn.bitswap.Bitswap} client fetches blocks from peers, the
 * {@link io.cairn.bitswap.BitswapEngine} serves peers' wantlists from the blockstore. Both speak
 * through the {@link io.cairn.bitswap.spi.BitswapNetwork}; failures are typed exceptions carried by
 * failed futures.
 */
@Export
@Version("1.3.0")
package io.cairn.bitswap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
