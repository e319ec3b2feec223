package io.cairn.blockstore.tiered.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Cairn blockstore",
    description = "The node's blockstore (the seed design's BlockstoreConfig): the active block tiers read in rank order, "
        + "writes batched into the write tier, hits in lower tiers promoted, full tiers demoted in the background. "
        + "Every value applies live.")
@interface TieredConfig {
  @AttributeDefinition(name = "Max block size (bytes)",
      description = "The largest block stored; a bigger one is refused and nothing is kept. Kubo's 2 MiB by default "
          + "(the bitswap limit: bigger blocks cannot be exchanged).",
      min = "1024", max = "67108864")
  int maxBlockSize() default 2_097_152;

  @AttributeDefinition(name = "Hash on read",
      description = "Re-hash every block read against its CID (Kubo's Datastore.HashOnRead); a mismatch is a corrupt "
          + "block, never served. Costs a hash per read.")
  boolean hashOnRead() default false;

  @AttributeDefinition(name = "Promotion",
      description = "What a read found in a lower tier does: memory copies it into the memory tier (the read cache); "
          + "up also moves it into the write tier; none leaves it where it is.",
      options = {
          @Option(value = "memory", label = "Copy into the memory tier"),
          @Option(value = "up", label = "Copy into the memory tier and move up into the write tier"),
          @Option(value = "none", label = "No promotion")})
  String promotion() default "memory";

  @AttributeDefinition(name = "Cache on put",
      description = "Also put every written block into the memory tier, for workloads that read what they just wrote.")
  boolean cacheOnPut() default false;

  @AttributeDefinition(name = "Write tier",
      description = "The name (cairn.tier) of the persistent tier that takes writes; empty: the first persistent tier "
          + "in rank order. A name that is not an active persistent tier falls back to that, with a warning.")
  String writeTier() default "";

  @AttributeDefinition(name = "Demotion high water",
      description = "Fraction of a persistent tier's capacity above which its oldest blocks move to the next "
          + "persistent tier.",
      min = "0.01", max = "1.0")
  double demotionHighWater() default 0.9;

  @AttributeDefinition(name = "Demotion low water",
      description = "Fraction of the capacity demotion brings a tier down to; below the high water mark.",
      min = "0.0", max = "1.0")
  double demotionLowWater() default 0.8;

  @AttributeDefinition(name = "Demotion interval (ms)",
      description = "How often the tiers' fill levels are checked for demotion.",
      min = "10", max = "3600000")
  long demotionIntervalMs() default 1000;

  @AttributeDefinition(name = "Tier guard strategy (filter)",
      description = "Which circuit breaker strategies (CircuitBreakers services, cairn.breaker.scope=tier) guard the tiers' reads, an LDAP filter on "
          + "their properties, e.g. (cairn.strategy=static); the best ranked of those matching is used, and with none "
          + "reads are not guarded.")
  String tierGuard_target() default "(cairn.strategy=*)";
}
