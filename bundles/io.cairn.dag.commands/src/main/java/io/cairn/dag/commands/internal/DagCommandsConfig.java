package io.cairn.dag.commands.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn RPC dag/import, dag/export, dag/stat",
    description = "How CAR archives are imported into the blockstore, and how long DAG walks wait for missing blocks.")
@interface DagCommandsConfig {
  @AttributeDefinition(name = "Import batch (blocks)", min = "1", max = "65536",
      description = "dag/import stores blocks in batches of at most this many (one durable write per batch).")
  int importBatchBlocks() default 256;

  @AttributeDefinition(name = "Import batch (bytes)", min = "1", max = "1073741824",
      description = "dag/import stores a batch once its blocks reach this many bytes, whatever their count.")
  long importBatchBytes() default 8L << 20;

  @AttributeDefinition(name = "Maximum CAR header (bytes)", min = "16", max = "67108864",
      description = "The largest CAR header (the roots) dag/import accepts; sections are bounded by the blockstore's maximum block size.")
  int maxHeaderBytes() default 1 << 20;

  @AttributeDefinition(name = "Block timeout (ms)", min = "1", max = "86400000",
      description = "How long dag/export, dag/stat and dag/import's root pins wait for one missing block to arrive from peers before failing.")
  long blockTimeoutMillis() default 60_000;
}
