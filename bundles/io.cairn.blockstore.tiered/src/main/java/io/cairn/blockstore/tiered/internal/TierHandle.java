package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.BlockTier;
import org.osgi.framework.Bundle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bound tier and what the store knows of it: its service properties as read at bind time, the bundle
 * that provides it (null outside a framework), whether it survives a restart (asked once: it cannot
 * change), whether it is leaving (still read, no longer written or demoted into), and the writes handed
 * to the BatchIOManager for it that are not yet durable (a leaving tier's are awaited before its blocks
 * are migrated, so none is missed).
 */
final class TierHandle {
  final BlockTier store;
  final String name;
  final int rank;
  final long serviceId;
  final Bundle provider;
  final boolean persistent;
  final Set<CompletableFuture<?>> pendingWrites;
  volatile boolean leaving;

  TierHandle(BlockTier store, String name, int rank, long serviceId, Bundle provider) {
    this(store, name, rank, serviceId, provider, store.persistent(), ConcurrentHashMap.newKeySet());
  }

  private TierHandle(BlockTier store, String name, int rank, long serviceId, Bundle provider, boolean persistent,
      Set<CompletableFuture<?>> pendingWrites) {
    this.store = store;
    this.name = name;
    this.rank = rank;
    this.serviceId = serviceId;
    this.provider = provider;
    this.persistent = persistent;
    this.pendingWrites = pendingWrites;
  }

  /** The same tier under a new rank (its service properties changed); pending writes stay tracked. */
  TierHandle withRank(int newRank) {
    TierHandle h = new TierHandle(store, name, newRank, serviceId, provider, persistent, pendingWrites);
    h.leaving = leaving;
    return h;
  }

  /** Whether the bundle providing this tier is stopping: the tier is about to leave too. */
  boolean providerStopping() {
    return provider != null && provider.getState() == Bundle.STOPPING;
  }

  /** Tracks a write to this tier until it completes. */
  <T> CompletableFuture<T> track(CompletableFuture<T> write) {
    pendingWrites.add(write);
    write.whenComplete((v, e) -> pendingWrites.remove(write));
    return write;
  }

  @Override
  public String toString() {
    return name + "(rank " + rank + (persistent ? ", persistent" : "") + (leaving ? ", leaving" : "") + ")";
  }
}
