package io.cairn.pin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn pinner",
    description = "The pin set (recursive and direct pins with names, in MapDB under the node home) and pinning: a "
        + "recursive pin walks the DAG, fetching missing blocks over bitswap, and is recorded only once every block is local.")
@interface PinnerConfig {
  @AttributeDefinition(name = "Block timeout (seconds)",
      description = "How long one missing block may take to arrive while pinning before the pin fails (nothing is recorded).",
      min = "1", max = "86400")
  long blockTimeoutSeconds() default 120;

  @AttributeDefinition(name = "Concurrent pins",
      description = "Pins walking at once; more wait their turn (ipfs-cluster sends 10 at a time by default).",
      min = "1", max = "1024")
  int maxConcurrentPins() default 16;

  @AttributeDefinition(name = "Path",
      description = "The pin store's folder, relative to the node home. Fixed while the pinner runs.")
  String path() default "pins";
}
