package io.cairn.testing.net;

import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.net.ConnManagerInfo;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.ConnectionQuality;
import io.cairn.net.TagInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;

/**
 * What a component told the network layer, in order, one line per call ({@code tag T V}, {@code untag T},
 * {@code protect T}, {@code unprotect T}, {@code succeeded}, {@code failed KIND}, {@code measured}): for the
 * unit tests of the bundles that report to the connection manager and to connection quality without
 * running them (the network layer's own tests run the real ones on real hosts).
 */
public final class NetworkCalls implements ConnManager, ConnectionQualities {
  public final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public void tagPeer(PeerId peer, String tag, int value) {
    calls.add("tag " + tag + " " + value);
  }

  @Override
  public void untagPeer(PeerId peer, String tag) {
    calls.add("untag " + tag);
  }

  @Override
  public void upsertTag(PeerId peer, String tag, IntUnaryOperator upsert) {
    calls.add("upsert " + tag);
  }

  @Override
  public void protect(PeerId peer, String tag) {
    calls.add("protect " + tag);
  }

  @Override
  public boolean unprotect(PeerId peer, String tag) {
    calls.add("unprotect " + tag);
    return false;
  }

  @Override
  public boolean isProtected(PeerId peer, String tag) {
    return false;
  }

  @Override
  public Optional<TagInfo> tagInfo(PeerId peer) {
    return Optional.empty();
  }

  @Override
  public ConnManagerInfo info() {
    throw new UnsupportedOperationException("not recorded");
  }

  @Override
  public CompletableFuture<Integer> trim() {
    throw new UnsupportedOperationException("not recorded");
  }

  @Override
  public Optional<ConnectionQuality> connectionQuality(PeerId peer) {
    return Optional.empty();
  }

  @Override
  public List<ConnectionQuality> all() {
    return List.of();
  }

  @Override
  public void succeeded(PeerId peer) {
    calls.add("succeeded");
  }

  @Override
  public void failed(PeerId peer, Failure failure) {
    calls.add("failed " + failure);
  }

  @Override
  public void measured(PeerId peer, Duration roundTrip) {
    calls.add("measured");
  }
}
