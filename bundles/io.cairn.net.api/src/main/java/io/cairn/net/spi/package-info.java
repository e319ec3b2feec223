/**
 * Strategies of the network layer, each a service with {@value io.cairn.net.spi.TrimOrder#STRATEGY}{@code =<name>}
 * that a consumer holds DYNAMIC + GREEDY and selects by reference target or ranking: an operator swaps
 * one by deploying a bundle, changing a ranking or a target, under traffic.
 */
@Export
@Version("1.0.0")
package io.cairn.net.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
