/**
 * What the tiered store asks of strategy services: {@link io.cairn.blockstore.spi.TierGuard}, the circuit
 * breaker that guards each tier's reads. A strategy is a service carrying
 * {@value io.cairn.blockstore.spi.TierGuard#STRATEGY}{@code =<name>}.
 */
@Export
@Version("1.0.0")
package io.cairn.blockstore.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
