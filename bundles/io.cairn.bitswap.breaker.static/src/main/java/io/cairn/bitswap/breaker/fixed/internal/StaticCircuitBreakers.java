package io.cairn.bitswap.breaker.fixed.internal;

import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.breaker.NeverOpenBreakers;
import org.osgi.service.component.annotations.Component;

/**
 * Breakers that never open ({@code cairn.strategy=static}, ranking 0), registered for both scopes: every
 * tier read goes to its tier and waits as long as the tier takes, every message is attempted, bounded
 * only by the network's send timeout, as before breakers existed. The baseline beside resilience4j.
 */
@Component(service = CircuitBreakers.class, property = {CircuitBreakers.STRATEGY + "=static",
    CircuitBreakers.SCOPE + "=" + CircuitBreakers.SCOPE_TIER, CircuitBreakers.SCOPE + "=" + CircuitBreakers.SCOPE_PEER,
    "service.ranking:Integer=0"})
public class StaticCircuitBreakers extends NeverOpenBreakers {}
