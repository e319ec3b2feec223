package io.cairn.libp2p.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn libp2p host",
    description = "Listeners, dialing and connection limits of the libp2p host (TCP, multistream-select, the upgrade to Noise and yamux). Limits apply to connections opened after a change; a changed listen address rebinds at once.")
@interface HostConfig {
  @AttributeDefinition(name = "Listen addresses",
      description = "Multiaddrs to listen on (/ip4|ip6/<addr>/tcp/<port>; port 0 takes a free port). /ip4/0.0.0.0 listens on IPv4 only; /ip6/:: on both families (dual-stack), so beside it an /ip4/0.0.0.0 on the same port is served by it. The framework property cairn.swarm.address (CAIRN_SWARM_ADDRESS, --swarm-address) overrides this for one run.")
  String[] listenAddresses() default {"/ip4/0.0.0.0/tcp/4001"};

  @AttributeDefinition(name = "Announced addresses",
      description = "Multiaddrs announced in identify and /api/v0/id instead of the listen addresses (for NAT or a proxy). Empty: the listen addresses, a wildcard expanded to the addresses of its families on every interface that is up, loopback included and IPv6 link-local left out (unreachable without a zone), looked up again every 5 s.")
  String[] announceAddresses() default {};

  @AttributeDefinition(name = "I/O threads", description = "Netty event loop threads for connections; 0 means one per core.", min = "0", max = "256")
  int ioThreads() default 0;

  @AttributeDefinition(name = "Max connections", description = "Connections held at once, both directions; an inbound connection over it is closed at accept, a dial fails.", min = "1", max = "1000000")
  int maxConnections() default 16384;

  @AttributeDefinition(name = "Max connections per peer", description = "Connections to one peer id at once; another one is closed once the peer is known.", min = "1", max = "1000000")
  int maxConnectionsPerPeer() default 8;

  @AttributeDefinition(name = "Max pending upgrades", description = "Connections being secured and muxed at once (before the peer is known); more inbound ones are closed at accept.", min = "1", max = "100000")
  int maxPendingUpgrades() default 256;

  @AttributeDefinition(name = "Dial timeout (ms)", description = "TCP connect timeout.", min = "100", max = "600000")
  int dialTimeoutMillis() default 10000;

  @AttributeDefinition(name = "Upgrade timeout (ms)", description = "Deadline for security and muxer negotiation and the handshake of a new connection.", min = "100", max = "600000")
  int upgradeTimeoutMillis() default 15000;

  @AttributeDefinition(name = "Stream negotiation timeout (ms)", description = "Deadline for multistream-select on a new stream.", min = "100", max = "600000")
  int negotiationTimeoutMillis() default 10000;

  @AttributeDefinition(name = "Max multistream message", description = "Longest multistream-select message accepted, in bytes (go-multistream: 1024).", min = "64", max = "65535")
  int maxMultistreamMessage() default 1024;

  @AttributeDefinition(name = "Max multistream proposals", description = "Protocols a peer may propose on one connection or stream before it is cut off.", min = "1", max = "1024")
  int maxMultistreamProposals() default 16;

  @AttributeDefinition(name = "Max identify message", description = "Largest identify message accepted, in bytes.", min = "512", max = "1048576")
  int maxIdentifyMessage() default 8192;
}
