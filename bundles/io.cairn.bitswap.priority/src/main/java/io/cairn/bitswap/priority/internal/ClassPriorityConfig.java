package io.cairn.bitswap.priority.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap priority classes",
    description = "Orders the bitswap engine's work in classes (cairn.strategy=classes, ranking 10): wants of critical peers are critical (target 10 ms), want-have high (50 ms), want-block normal; a want that waited past its class's target moves up one class; peers never served or waiting past the starvation time go first, in a salted-hash order (boxo#1143). Changes apply live to wants that arrive afterwards.")
@interface ClassPriorityConfig {
  @AttributeDefinition(name = "Critical peers", required = false,
      description = "Peer IDs (base58 or CID form) whose wants are all critical: the node's protected peers, e.g. its cluster peers. Empty: none.")
  String[] criticalPeers() default {};

  @AttributeDefinition(name = "Normal promotion (ms)", min = "0", max = "3600000",
      description = "Normal wants have no latency target; one queued this long moves to high (and on to critical after high's 50 ms), so want-blocks are not starved by a stream of want-haves. Only wants that did not ask for DONT_HAVE move: the engine sheds the others when it is over capacity, and serves them in turn when it is not. 0: never.")
  int normalPromotionMillis() default 1000;

  @AttributeDefinition(name = "Starvation time (ms)", min = "1", max = "3600000",
      description = "A peer with queued wants that has waited this long since its last turn goes before peers that have not (boxo#1141: 10 s); a peer never served goes first at once.")
  int starvationMillis() default 10_000;
}
