package io.cairn.unixfs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn UnixFS",
    description = "Bounds on what UnixFS reads accept from the DAGs they are given (hostile input: LIMITS.md), how "
        + "missing blocks are waited for, and how imports write.")
@interface UnixFsConfig {
  @AttributeDefinition(name = "Maximum HAMT fanout", min = "2", max = "1024",
      description = "The largest HAMT shard fanout read (a power of two). A shard with a larger fanout, or a fanout "
          + "that is not a power of two, is refused (CVE-2023-23625).")
  int maxHamtFanout() default 1024;

  @AttributeDefinition(name = "Maximum path depth", min = "1", max = "4096",
      description = "The most segments a path to resolve may have below its root CID.")
  int maxPathDepth() default 256;

  @AttributeDefinition(name = "Maximum links per node", min = "1", max = "1000000",
      description = "The most links one dag-pb node may have to be read (a directory, a file node, a HAMT shard).")
  int maxLinksPerNode() default 65_536;

  @AttributeDefinition(name = "Maximum directory entries", min = "1", max = "100000000",
      description = "The most entries one directory listing (HAMT shards included) yields before failing.")
  int maxDirectoryEntries() default 1_000_000;

  @AttributeDefinition(name = "Maximum file DAG depth", min = "1", max = "1024",
      description = "The deepest a file's DAG may be below its root (Kubo's balanced layout reaches 4 levels at "
          + "petabytes).")
  int maxFileDepth() default 64;

  @AttributeDefinition(name = "Block timeout (ms)", min = "1", max = "86400000",
      description = "How long a read waits for one block that is not local (fetched over bitswap when the client "
          + "runs) before failing.")
  long blockTimeoutMillis() default 60_000;

  @AttributeDefinition(name = "Read-ahead blocks", min = "0", max = "256",
      description = "How many sibling blocks a file read asks for ahead of the one it is reading.")
  int readAheadBlocks() default 8;

  @AttributeDefinition(name = "Write batch (bytes)", min = "65536", max = "268435456",
      description = "Imports write their blocks to the blockstore in batches of about this many bytes (one "
          + "durable write each, one batch in flight while the next is hashed).")
  int writeBatchBytes() default 4 << 20;
}
