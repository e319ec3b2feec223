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
      description = "Wants nobody has answered with a block are sent again to every connected peer, first after this long; each further re-send of the same want waits twice as long (up to rebroadcastMaxIntervalMillis), with jitter.")
  int rebroadcastIntervalMillis() default 10_000;

  @AttributeDefinition(name = "Max rebroadcast interval (ms)", min = "100", max = "3600000",
      description = "The longest a want waits between re-sends as its backoff doubles; equal to rebroadcastIntervalMillis (and no jitter) gives a fixed interval, the static counterpart. Less than rebroadcastIntervalMillis is refused.")
  int rebroadcastMaxIntervalMillis() default 160_000;

  @AttributeDefinition(name = "Rebroadcast jitter (%)", min = "0", max = "100",
      description = "Each re-send delay is moved by a random amount up to this share of it, either way, so wants that failed together are not re-sent together.")
  int rebroadcastJitterPercent() default 25;

  @AttributeDefinition(name = "Want window mode", options = {
      @org.osgi.service.metatype.annotations.Option(label = "adaptive", value = "adaptive"),
      @org.osgi.service.metatype.annotations.Option(label = "static", value = "static")},
      description = "How many gets a session (a DAG walk, a pin) keeps in flight. adaptive: the measured delivery rate times the least round trip of a want-block, over the mean block size, times windowGain, within windowMin..windowMax and the memory bounds (maxWants, maxPendingVerifyBytes). static: always windowMin (the walk's fixed number, as before). The window is internal to the client, so it is a key here rather than a strategy service; both modes can be compared in one benchmark run.")
  String windowMode() default "adaptive";

  @AttributeDefinition(name = "Min want window", min = "1", max = "65536",
      description = "The fewest gets a session is told to keep in flight, and the static mode's number. A DAG walk keeps at least its own concurrency key in flight whatever this says.")
  int windowMin() default 32;

  @AttributeDefinition(name = "Max want window", min = "1", max = "65536",
      description = "The most gets a session is told to keep in flight (the server queues at most 1024 wants per peer by default). Less than windowMin is refused.")
  int windowMax() default 1024;

  @AttributeDefinition(name = "Want window gain", min = "1", max = "8",
      description = "The window is this many times the measured bandwidth-delay product, so it can grow while the path is not yet full (2, as BBR's congestion window).")
  double windowGain() default 2.0;

  @AttributeDefinition(name = "Send batch entries", min = "1", max = "100000",
      description = "Wantlist entries waiting for a peer that are sent at once, without waiting for the send delay (boxo's 256).")
  int sendBatchEntries() default 256;

  @AttributeDefinition(name = "Send delay per peer (microseconds)", min = "0", max = "1000000",
      description = "After a message to a peer, further wants to it wait the number of connected peers times this before the next message (boxo's 125), clamped to sendDelayMinMillis..sendDelayMaxMillis. A want to a peer with nothing sent lately goes at once.")
  int sendDelayPerPeerMicros() default 125;

  @AttributeDefinition(name = "Min send delay (ms)", min = "0", max = "60000",
      description = "The least wait between messages of wants to one peer (boxo's 20 ms); 0 sends whenever the client's queue runs dry, as before.")
  int sendDelayMinMillis() default 20;

  @AttributeDefinition(name = "Max send delay (ms)", min = "0", max = "60000",
      description = "The longest wait between messages of wants to one peer (boxo's 2 s). Less than sendDelayMinMillis is refused.")
  int sendDelayMaxMillis() default 2_000;

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

  @AttributeDefinition(name = "Route optimizer strategy (filter)",
      description = "Which RouteOptimizer services the client may use, an LDAP filter on their properties, e.g. (cairn.strategy=static) to ask peers in the order they answered and never move a want; the best ranked of those matching is used; with none, that static order.")
  String routeOptimizer_target() default "(cairn.strategy=*)";
}
