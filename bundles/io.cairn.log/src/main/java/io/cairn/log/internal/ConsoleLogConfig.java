package io.cairn.log.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Cairn console log",
    description = "Which log entries of every bundle reach the console (standard error).")
@interface ConsoleLogConfig {

  @AttributeDefinition(
      name = "Level",
      description = "Lowest level written and the root level of the OSGi logger admin, so that entries below it are not even created.",
      options = {
        @Option(label = "ERROR", value = "ERROR"),
        @Option(label = "WARN", value = "WARN"),
        @Option(label = "INFO", value = "INFO"),
        @Option(label = "DEBUG", value = "DEBUG"),
        @Option(label = "TRACE", value = "TRACE")
      })
  String level() default "INFO";

  @AttributeDefinition(
      name = "Framework events level",
      description = "Level of the framework's own event entries (Events.Bundle, Events.Service, Events.Framework loggers): INFO writes every bundle and service event.",
      options = {
        @Option(label = "ERROR", value = "ERROR"),
        @Option(label = "WARN", value = "WARN"),
        @Option(label = "INFO", value = "INFO"),
        @Option(label = "DEBUG", value = "DEBUG")
      })
  String frameworkEvents() default "WARN";

  @AttributeDefinition(
      name = "Replay at start",
      description = "How many of the newest entries logged before this component started (early boot) are looked at when it starts; those at or above the levels are written. 0 writes none.",
      min = "0", max = "1000")
  int replay() default 100;
}
