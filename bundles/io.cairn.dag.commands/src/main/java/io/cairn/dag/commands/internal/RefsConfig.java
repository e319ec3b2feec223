package io.cairn.dag.commands.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn refs command",
    description = "Kubo's refs RPC command: lists the links of DAGs, fetching blocks missing locally over bitswap when it runs.")
@interface RefsConfig {
  @AttributeDefinition(name = "Block timeout (ms)",
      description = "How long one block missing locally may take to arrive before the listing of its DAG ends with an error line.",
      min = "1", max = "3600000")
  long blockTimeoutMillis() default 60_000;
}
