package io.cairn.node.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn readiness",
    description = "When the node says it is ready (the launcher then writes $CAIRN_PATH/api and the RPC stops answering 503): every started bundle started, every enabled component satisfied and, when immediate, active. Once ready it stays ready.")
@interface ReadinessConfig {
  @AttributeDefinition(
      name = "Settle (ms)",
      description = "How long the node must be ready with no bundle or service changing before it says so: a moment during start-up when everything started so far happens to be satisfied does not count.",
      min = "0", max = "60000")
  int settleMillis() default 200;

  @AttributeDefinition(
      name = "Report after (s)",
      description = "When the node is still not ready this long after the readiness check started, what it waits for (bundles, components and their missing references) is logged once at WARN.",
      min = "1", max = "3600")
  int reportAfterSeconds() default 10;
}
