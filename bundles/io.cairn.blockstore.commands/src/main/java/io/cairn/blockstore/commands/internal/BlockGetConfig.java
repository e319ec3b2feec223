package io.cairn.blockstore.commands.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn RPC block/get",
    description = "block/get answers a block the blockstore lacks by fetching it from peers over bitswap, when the bitswap client runs.")
@interface BlockGetConfig {
  @AttributeDefinition(name = "Fetch timeout (ms)", min = "1", max = "86400000",
      description = "How long block/get waits for a block that is not local to arrive from peers when the request gives no timeout option; then it fails.")
  long fetchTimeoutMillis() default 60_000;
}
