package io.cairn.bitswap.network.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap network",
    description = "Bitswap over libp2p: message limits on inbound streams, the send timeout, and what a peer that breaks the protocol costs it.")
@interface NetworkConfig {
  @AttributeDefinition(name = "Max message (bytes)",
      description = "Largest bitswap message accepted or sent, checked from its length prefix before anything is allocated (boxo: 4 MiB; a 2 MiB block must fit).",
      min = "2097152", max = "67108864")
  int maxMessageBytes() default 4 * 1024 * 1024;

  @AttributeDefinition(name = "Max wantlist entries per message", min = "1", max = "1000000",
      description = "Entries one message may carry; more and the message is malformed.")
  int maxWantlistEntriesPerMessage() default 10_000;

  @AttributeDefinition(name = "Max blocks per message", min = "1", max = "100000",
      description = "Blocks one message may carry; more and the message is malformed.")
  int maxBlocksPerMessage() default 1_000;

  @AttributeDefinition(name = "Max presences per message", min = "1", max = "1000000",
      description = "HAVE / DONT_HAVE presences one message may carry; more and the message is malformed.")
  int maxPresencesPerMessage() default 10_000;

  @AttributeDefinition(name = "Max CID (bytes)", min = "34", max = "4096",
      description = "Longer CIDs in wantlists and presences are skipped (boxo: 168).")
  int maxCidBytes() default 168;

  @AttributeDefinition(name = "Send timeout base (ms)", min = "100", max = "600000",
      description = "A message must be written within this plus its size at the minimum send rate, or the stream is reset (boxo: 2 s + size at 100 kbit/s).")
  int sendTimeoutMillis() default 2000;

  @AttributeDefinition(name = "Minimum send rate (bytes/s)", min = "1024", max = "1073741824",
      description = "The slowest rate a peer may read our messages at before the send times out (boxo: 100 kbit/s).")
  int minSendBytesPerSecond() default 12_500;

  @AttributeDefinition(name = "Max inbound streams per peer", min = "1", max = "1024",
      description = "Bitswap streams a peer may hold open towards us at once; more are reset.")
  int maxInboundStreamsPerPeer() default 32;

  @AttributeDefinition(name = "Malformed messages before disconnect", min = "1", max = "1000",
      description = "Each malformed message resets its stream; this many from one peer close its connections.")
  int malformedMessagesBeforeDisconnect() default 1;

  @AttributeDefinition(name = "Max held bytes per paused peer", min = "0", max = "1073741824",
      description = "While a peer is paused by its circuit breaker (its messages keep timing out), messages to it are held, not attempted, up to this many encoded bytes; a message beyond that fails at once. What is held goes when a probe is written, and fails if the peer is paused again.")
  int maxHeldBytesPerPeer() default 4 * 1024 * 1024;

  @AttributeDefinition(name = "Peer guard strategy (filter)",
      description = "Which circuit breaker strategies (CircuitBreakers services, cairn.breaker.scope=peer) guard the sends to each peer, an LDAP filter on their properties, e.g. (cairn.strategy=static); the best ranked of those matching is used, and with none sends are not guarded.")
  String peerGuard_target() default "(cairn.strategy=*)";
}
