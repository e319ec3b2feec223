package io.cairn.dag.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.Blockstore;
import io.cairn.multiformats.Cid;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** A blockstore that passes every call to a real one; tests override a call to change when answers come. */
class DelegatingBlockstore implements Blockstore {
  private final Blockstore store;

  DelegatingBlockstore(Blockstore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Boolean> has(Cid cid) {
    return store.has(cid);
  }

  @Override
  public CompletableFuture<Block> get(Cid cid) {
    return store.get(cid);
  }

  @Override
  public CompletableFuture<Integer> getSize(Cid cid) {
    return store.getSize(cid);
  }

  @Override
  public CompletableFuture<Void> put(Block block) {
    return store.put(block);
  }

  @Override
  public CompletableFuture<Void> putMany(List<Block> blocks) {
    return store.putMany(blocks);
  }

  @Override
  public CompletableFuture<Boolean> delete(Cid cid) {
    return store.delete(cid);
  }

  @Override
  public Stream<Cid> keys() {
    return store.keys();
  }
}
