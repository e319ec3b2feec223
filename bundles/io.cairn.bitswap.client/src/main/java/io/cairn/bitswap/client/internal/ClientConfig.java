package io.cairn.bitswap.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap client",
    description = "Fetches blocks from peers: timeouts, how long a peer has to answer before the next is asked, rebroadcast, and the bounds on wants and on blocks waiting to be hash-checked.")
@interface ClientConfig {
  @AttributeDefinition(name = "Default timeout (ms)", min = "1", max = "86400000",
      description = "How long get(cid) waits for a block when the caller gives no timeout.")
  long defaultTimeoutMillis() default 60_000;

  @AttributeDefinition(name = "Peer response timeout (ms)", min = "10", max = "600000",
      description = "How long a peer asked for a block (want-block) has to send it or DONT_HAVE before the next peer that has it is asked.")
  int peerResponseTimeoutMillis() default 2_000;

  @AttributeDefinition(name = "Rebroadcast interval (ms)", min = "100", max = "3600000",
      description = "Wants nobody has answered with a block are sent again to every connected peer this often.")
  int rebroadcastIntervalMillis() default 10_000;

  @AttributeDefinition(name = "Max wants", min = "1", max = "10000000",
      description = "Distinct CIDs wanted at once; more and get fails at once with MemoryPressureException.")
  int maxWants() default 100_000;

  @AttributeDefinition(name = "Max wantlist entries per message", min = "1", max = "100000",
      description = "Entries sent to a peer in one message; more go in further messages.")
  int maxEntriesPerMessage() default 1_000;

  @AttributeDefinition(name = "Max bytes awaiting hash check", min = "1048576", max = "4294967296",
      description = "Received block bytes waiting to be hashed; blocks arriving past it are dropped (and counted), so a flood cannot grow the heap.")
  long maxPendingVerifyBytes() default 64L << 20;

  @AttributeDefinition(name = "Verify threads", min = "1", max = "256",
      description = "Threads that hash received blocks larger than the inline size; 0 is not allowed.")
  int verifyThreads() default 2;

  @AttributeDefinition(name = "Inline verify size (bytes)", min = "0", max = "4194304",
      description = "Blocks up to this size are hashed on the network thread (cheaper than a hand-off); larger ones on the verify threads.")
  int inlineVerifyBytes() default 16 * 1024;
}
