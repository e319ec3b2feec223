/**
 * Swappable strategies: {@link io.cairn.node.strategy.Strategies}, how a component holds the strategy
 * services of one kind ({@code cairn.strategy=<name>}, best ranked first, a throwing one isolated, a
 * built-in last resort), so an operator swaps one under traffic by bundle, ranking or reference target.
 */
@Export
@Version("1.0.0")
package io.cairn.node.strategy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
