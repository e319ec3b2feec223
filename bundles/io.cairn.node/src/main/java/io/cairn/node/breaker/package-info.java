/**
 * Circuit breakers, one strategy interface for whatever a consumer guards: {@link
 * io.cairn.node.breaker.CircuitBreakers} strategy services, told apart by {@value
 * io.cairn.node.breaker.CircuitBreakers#SCOPE} ({@code tier}: the tiered store's reads of each block tier;
 * {@code peer}: the bitswap network's sends to each peer), and {@link io.cairn.node.breaker.BreakerHolder},
 * how a consumer holds them (best ranked in use, a throwing strategy isolated and dropped, a swap never
 * failing a call in flight, {@link io.cairn.node.breaker.NeverOpenBreakers} when there is none).
 */
@Export
@Version("1.1.0")
package io.cairn.node.breaker;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
