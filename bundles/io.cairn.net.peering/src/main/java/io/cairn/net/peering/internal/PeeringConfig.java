package io.cairn.net.peering.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn peering",
    description = "Kubo's Peering.Peers: peers the node stays connected to (ipfs-cluster's production guide has its daemons peer with each other). Each is dialled at once, redialled with exponential backoff and jitter whenever its connection drops (boxo's peering: from 5 s, times 1.5 to 2.5 each time, at most 10 minutes less up to 10%), and protected from the connection manager's trims. A change applies at once: new peers are dialled, removed ones are no longer redialled or protected.")
@interface PeeringConfig {
  @AttributeDefinition(name = "Peers",
      description = "Multiaddrs with /p2p/<peer id>, e.g. /ip4/10.0.0.2/tcp/4001/p2p/12D3KooW...; several addresses of one peer as several entries.")
  String[] peers() default {};

  @AttributeDefinition(name = "Initial backoff (s)", description = "The first redial's base delay after a connection drops (boxo: 5 s).", min = "1", max = "3600")
  int initialBackoffSeconds() default 5;

  @AttributeDefinition(name = "Max backoff (s)", description = "The longest wait between redials (boxo: 10 minutes); at least the initial backoff.", min = "1", max = "86400")
  int maxBackoffSeconds() default 600;
}
