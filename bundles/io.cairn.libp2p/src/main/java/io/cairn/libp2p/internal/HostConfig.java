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

  @AttributeDefinition(name = "Max pending upgrades",
      description = "Inbound connections being secured and muxed at once (before the peer is known), from all sources together; more are closed at accept. 0: scaled to memory as go-libp2p scales its transient scope, 32 plus 16 per GiB of the JVM's maximum heap, but never below 256 (so that a few subnets at their maxPendingUpgradesPerSubnet share cannot fill it).",
      min = "0", max = "100000")
  int maxPendingUpgrades() default 0;

  @AttributeDefinition(name = "Max pending upgrades per IP",
      description = "Inbound connections mid-upgrade at once from one IP (an IPv4 address, the ipv6PrefixLength of an IPv6 one), so that one source cannot take the shared pool; more from it are closed at accept. Applies to loopback too: a local process flooding the port gets no more than anyone else.",
      min = "1", max = "100000")
  int maxPendingUpgradesPerIp() default 8;

  @AttributeDefinition(name = "Max pending upgrades per subnet",
      description = "Inbound connections mid-upgrade at once from one subnet (ipv4SubnetPrefixLength, ipv6SubnetPrefixLength); more from it are closed at accept.",
      min = "1", max = "100000")
  int maxPendingUpgradesPerSubnet() default 32;

  @AttributeDefinition(name = "Max connections per IP",
      description = "Inbound connections held at once from one IP, upgraded or not (go-libp2p's ConnLimitPerSubnet: 8 per IPv4 /32 and IPv6 /56); more are closed at accept. Sources in connectionLimitExemptNetworks are not counted.",
      min = "1", max = "1000000")
  int maxConnectionsPerIp() default 8;

  @AttributeDefinition(name = "Max connections per IPv6 subnet",
      description = "Inbound connections held at once from one IPv6 subnet (ipv6SubnetPrefixLength; go-libp2p: 64 per /48); more are closed at accept. IPv4 has no such limit, as in go-libp2p: many honest nodes share a hosting provider's /24.",
      min = "1", max = "1000000")
  int maxConnectionsPerIpv6Subnet() default 64;

  @AttributeDefinition(name = "IPv4 subnet prefix length", description = "The IPv4 subnet of the per-subnet pending-upgrade limit, in bits.", min = "8", max = "32")
  int ipv4SubnetPrefixLength() default 24;

  @AttributeDefinition(name = "IPv6 prefix length",
      description = "How much of an IPv6 address is one IP for the per-IP limits, in bits (go-libp2p: /56; a single host often holds a whole /64).",
      min = "32", max = "64")
  int ipv6PrefixLength() default 56;

  @AttributeDefinition(name = "IPv6 subnet prefix length", description = "The IPv6 subnet of the per-subnet limits, in bits (go-libp2p: /48); at most ipv6PrefixLength.", min = "16", max = "64")
  int ipv6SubnetPrefixLength() default 48;

  @AttributeDefinition(name = "Connection limit exempt networks",
      description = "Networks (a.b.c.d/n, x::y/n) whose sources the per-IP and per-subnet connection limits do not count, so that nodes on one machine connect freely (go-libp2p's default: loopback). Their pending upgrades are still limited per IP and subnet.")
  String[] connectionLimitExemptNetworks() default {"127.0.0.0/8", "::1/128"};

  @AttributeDefinition(name = "Refusal log interval (s)",
      description = "Connections refused by one limit are logged at WARN at most once per interval: the line names the latest source and counts those left out since the limit's previous line, however many addresses they came from; every refusal is counted in libp2p_rcmgr_blocked_resources.",
      min = "1", max = "3600")
  int refusalLogIntervalSeconds() default 10;

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
