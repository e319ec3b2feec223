package io.cairn.blockstore.tiered.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The active tiers at one moment, immutable: readers take the current layout from a volatile field and
 * never lock; a tier coming, going or changing rank, or a new write-tier setting, builds a new one.
 *
 * @param tiers every tier in read order (rank, then name, then service id), leaving ones included
 * @param persistent the persistent tiers in read order, leaving ones included (they still hold blocks)
 * @param writable the persistent tiers that take writes and demoted blocks: not leaving, in read order
 * @param writeTier where writes go: the configured persistent tier, else the first writable one, else the
 *     first non-persistent (memory) tier when there is no persistent tier at all; null with no tier
 * @param cache the read cache promotion fills: the first non-persistent tier, or null
 * @param fallback why writes do not go where the configuration says, or empty
 * @param warned whether that reason (or writes landing in memory only) was logged under this layout
 */
record Layout(List<TierHandle> tiers, List<TierHandle> persistent, List<TierHandle> writable, TierHandle writeTier,
    TierHandle cache, Optional<String> fallback, AtomicBoolean warned) {

  static final Layout EMPTY = of(List.of(), "");

  static final Comparator<TierHandle> READ_ORDER = Comparator.<TierHandle>comparingInt(t -> t.rank)
      .thenComparing(t -> t.name).thenComparingLong(t -> t.serviceId);

  static Layout of(List<TierHandle> active, String configuredWriteTier) {
    List<TierHandle> tiers = new ArrayList<>(active);
    tiers.sort(READ_ORDER);
    List<TierHandle> persistent = tiers.stream().filter(t -> t.persistent).toList();
    List<TierHandle> writable = persistent.stream().filter(t -> !t.leaving).toList();
    TierHandle cache = tiers.stream().filter(t -> !t.persistent).findFirst().orElse(null);
    TierHandle write;
    Optional<String> fallback = Optional.empty();
    if (!configuredWriteTier.isEmpty()) {
      write = writable.stream().filter(t -> t.name.equals(configuredWriteTier)).findFirst().orElse(null);
      if (write == null && !writable.isEmpty()) {
        fallback = Optional.of("the configured write tier \"" + configuredWriteTier
            + "\" is not an active persistent tier; writing to \"" + writable.get(0).name + "\"");
      }
    } else {
      write = null;
    }
    if (write == null) {
      write = writable.isEmpty() ? null : writable.get(0);
    }
    if (write == null && cache != null && persistent.isEmpty()) {
      write = cache;
      fallback = Optional.of("no persistent block tier is active: blocks are written to the \"" + cache.name
          + "\" tier only and will not survive a restart");
    }
    return new Layout(List.copyOf(tiers), persistent, writable, write, cache, fallback, new AtomicBoolean());
  }

  Optional<TierHandle> named(String name) {
    return tiers.stream().filter(t -> t.name.equals(name)).findFirst();
  }

  /** The writable persistent tier after {@code tier} in read order, where its blocks go when it is full. */
  Optional<TierHandle> nextWritable(TierHandle tier) {
    return writable.stream().filter(t -> READ_ORDER.compare(t, tier) > 0).findFirst();
  }

  /** The tiers that hold the store's blocks (not copies): the persistent ones, or all when there is none. */
  List<TierHandle> holders() {
    return persistent.isEmpty() ? tiers : persistent;
  }

  int indexOf(TierHandle tier) {
    return tiers.indexOf(tier);
  }
}
