package io.cairn.net.connmgr.internal;

import io.cairn.multiformats.PeerId;
import io.cairn.net.TagInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * What the connection manager knows of each peer, as go-libp2p's {@code BasicConnMgr} keeps it: its
 * connections, its tags and their sum, when it was first seen, and apart from that, which tags protect it.
 * A peer tagged before it connects gets a <em>temporary</em> entry holding the tags until it does; the
 * entry goes with the peer's last connection, or at a trim once it is past its grace period unconnected.
 * Any thread: each entry is guarded by its own lock, held for a few steps.
 *
 * @param <C> a connection (the manager's are libp2p {@code Connection}s; tests use plain tokens)
 */
final class ConnTable<C> {
  /** One connection: whether the peer dialled it, and when it opened. */
  record Conn(boolean inbound, Instant opened, String address) {}

  /** A peer's entry; guarded by itself. */
  static final class Entry<C> {
    final PeerId peer;
    long firstSeen;
    Instant firstSeenAt;
    boolean temporary;
    final Map<String, Integer> tags = new HashMap<>(4);
    int value;
    final Map<C, Conn> conns = new LinkedHashMap<>(2);

    Entry(PeerId peer, long now, Instant at, boolean temporary) {
      this.peer = peer;
      this.firstSeen = now;
      this.firstSeenAt = at;
      this.temporary = temporary;
    }
  }

  /** A peer a trim may disconnect: its entry's state when the trim looked, and its connections. */
  record Candidate<C>(PeerId peer, int value, Map<C, Conn> conns) {}

  private final Map<PeerId, Entry<C>> peers = new ConcurrentHashMap<>();
  /** The tags protecting each protected peer; a peer leaves the map with its last tag. */
  private final Map<PeerId, Set<String>> protections = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger inbound = new AtomicInteger();

  int connections() {
    return connections.get();
  }

  /** Of {@link #connections()}, those the peers dialled. */
  int inbound() {
    return inbound.get();
  }

  int protectedPeers() {
    return protections.size();
  }

  /** A connection opened; answers false if it was already tracked. */
  boolean connected(PeerId peer, C conn, Conn info, long now, Instant at) {
    while (true) {
      Entry<C> e = peers.computeIfAbsent(peer, p -> new Entry<>(p, now, at, false));
      synchronized (e) {
        if (peers.get(peer) != e) {
          continue; // its last connection closed meanwhile and took the entry: start on a live one
        }
        if (e.temporary) {
          // Tags came first; the grace period counts from the connection.
          e.temporary = false;
          e.firstSeen = now;
          e.firstSeenAt = at;
        }
        if (e.conns.putIfAbsent(conn, info) != null) {
          return false;
        }
      }
      connections.incrementAndGet();
      if (info.inbound()) {
        inbound.incrementAndGet();
      }
      return true;
    }
  }

  /** A connection closed; the peer's entry (and its tags) goes with its last one, as in go-libp2p. */
  void disconnected(PeerId peer, C conn) {
    Entry<C> e = peers.get(peer);
    if (e == null) {
      return;
    }
    Conn removed;
    synchronized (e) {
      removed = e.conns.remove(conn);
      if (removed != null && e.conns.isEmpty()) {
        peers.remove(peer, e);
      }
    }
    if (removed != null) {
      connections.decrementAndGet();
      if (removed.inbound()) {
        inbound.decrementAndGet();
      }
    }
  }

  private Entry<C> entryForTags(PeerId peer, long now, Instant at) {
    return peers.computeIfAbsent(peer, p -> new Entry<>(p, now, at, true));
  }

  void upsert(PeerId peer, String tag, IntUnaryOperator upsert, long now, Instant at) {
    while (true) {
      Entry<C> e = entryForTags(peer, now, at);
      synchronized (e) {
        if (peers.get(peer) != e) {
          continue; // removed meanwhile by its last disconnection: start again on the live entry
        }
        int old = e.tags.getOrDefault(tag, 0);
        int next = upsert.applyAsInt(old);
        e.value += next - old;
        e.tags.put(tag, next);
        return;
      }
    }
  }

  void untag(PeerId peer, String tag) {
    Entry<C> e = peers.get(peer);
    if (e != null) {
      synchronized (e) {
        Integer old = e.tags.remove(tag);
        if (old != null) {
          e.value -= old;
        }
      }
    }
  }

  void protect(PeerId peer, String tag) {
    protections.compute(peer, (p, tags) -> {
      Set<String> next = tags == null ? ConcurrentHashMap.newKeySet(2) : tags;
      next.add(tag);
      return next;
    });
  }

  boolean unprotect(PeerId peer, String tag) {
    Set<String> left = protections.computeIfPresent(peer, (p, tags) -> {
      tags.remove(tag);
      return tags.isEmpty() ? null : tags;
    });
    return left != null;
  }

  boolean isProtected(PeerId peer, String tag) {
    Set<String> tags = protections.get(peer);
    if (tags == null) {
      return false;
    }
    return tag == null || tag.isEmpty() || tags.contains(tag);
  }

  Optional<TagInfo> tagInfo(PeerId peer) {
    Entry<C> e = peers.get(peer);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e) {
      Map<String, Instant> conns = new HashMap<>();
      e.conns.values().forEach(c -> conns.put(c.address(), c.opened()));
      return Optional.of(new TagInfo(e.firstSeenAt, e.value, e.tags, conns));
    }
  }

  /**
   * The peers a trim may disconnect: connected, not protected, first seen before {@code graceStart}.
   * Temporary entries past their grace period are dropped on the way, as go-libp2p drops them.
   */
  List<Candidate<C>> candidates(long graceStart) {
    List<Candidate<C>> out = new ArrayList<>();
    for (Entry<C> e : peers.values()) {
      if (protections.containsKey(e.peer)) {
        continue;
      }
      synchronized (e) {
        if (e.firstSeen - graceStart > 0) {
          continue;
        }
        if (e.temporary) {
          peers.remove(e.peer, e);
          continue;
        }
        if (!e.conns.isEmpty()) {
          out.add(new Candidate<>(e.peer, e.value, Map.copyOf(e.conns)));
        }
      }
    }
    return out;
  }
}
