package io.cairn.pin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn garbage collector",
    description = "Removes the blocks no pin holds (repo/gc): marks from every pin, then sweeps the rest, while puts "
        + "and pins go on; nothing pinned or put during a run is removed.")
@interface GarbageCollectorConfig {
  @AttributeDefinition(name = "Lock stripes",
      description = "Locks the live set is split over (a power of two); a put or pin waits only for a removal of the same stripe.",
      min = "1", max = "65536")
  int lockStripes() default 1024;

  @AttributeDefinition(name = "Removals in flight",
      description = "Blocks the sweep removes at once; the persistent tier makes each group of them durable with one force.",
      min = "1", max = "4096")
  int sweepConcurrency() default 256;

  @AttributeDefinition(name = "Roots per marking walk",
      description = "Recursive pins marked by one walk of the DAG walker (its blocks are visited once per walk).",
      min = "1", max = "65536")
  int markRootsPerWalk() default 256;
}
