/**
 * Blocks and where they are kept. A {@link io.cairn.blockstore.Blockstore} is asynchronous: a put's
 * future completes only once the block is durable in the store's terms (a memory tier: in memory;
 * a persistent tier: forced to disk). Each storage tier is a {@link io.cairn.blockstore.BlockTier}
 * service with the property {@value io.cairn.blockstore.BlockTier#TIER}; the tiered store composes
 * whichever tiers are active. Many lookups at once go through {@code getMany} and {@code getSizes}
 * (1.2), which a tier or store overrides to answer them in one pass.
 */
@Export
@Version("1.4.0")
package io.cairn.blockstore;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
