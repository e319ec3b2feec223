package io.cairn.net.connmgr.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn connection manager",
    description = "Keeps the connection count between the watermarks (the seed's AdaptiveConnManager, go-libp2p's connmgr): past high water it closes the connections of the least valuable peers until low water remain, never a protected peer's nor one in its grace period; inbound connections past a ceiling are refused at accept. A change applies live (the seed's SetDynamicLimits) and trims at once if the count is over the new high water. Which peers go first is the trim order strategy's (cairn.strategy=<name>).")
@interface ConnManagerConfig {
  @AttributeDefinition(name = "High water", description = "Connections past which a trim runs (seed NetworkConfig.HighWater; ipfs-cluster's production guide runs 10,000).",
      min = "2", max = "1000000")
  int highWater() default 2000;

  @AttributeDefinition(name = "Low water", description = "Connections a trim leaves, besides protected peers' and those still in their grace period (seed NetworkConfig.LowWater). Below high water.",
      min = "1", max = "999999")
  int lowWater() default 1000;

  @AttributeDefinition(name = "Grace period (s)", description = "How long a newly connected peer is exempt from trimming (seed NetworkConfig.GracePeriod).",
      min = "0", max = "86400")
  int gracePeriodSeconds() default 30;

  @AttributeDefinition(name = "Silence period (s)", description = "The least time between two trims (go-libp2p: 10 s): a burst of connections is trimmed once, not at each.",
      min = "1", max = "3600")
  int silencePeriodSeconds() default 10;

  @AttributeDefinition(name = "Max inbound connections",
      description = "Inbound connections past this count are refused at accept, before a byte is read, so a flood cannot push the count far over high water while a trim waits out the silence period. 0: twice high water (Kubo keeps its resource manager's inbound limit at least twice HighWater). Outbound dials are not limited by it.",
      min = "0", max = "1000000")
  int maxInboundConnections() default 0;

  @AttributeDefinition(name = "Trim order strategy (filter)",
      description = "Which TrimOrder services the manager may use, an LDAP filter on their properties, e.g. (cairn.strategy=static) for go-libp2p's order by tag value; the best ranked of those matching is used; with none, go-libp2p's order.")
  String trimOrder_target() default "(cairn.strategy=*)";
}
