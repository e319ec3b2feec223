package io.cairn.console.internal;

import io.cairn.node.net.IpPrefix;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins per client network, each making the next attempt wait: {@code first}, then twice as
 * long after every further failure, up to {@code max}. A client is its IPv4 address or its IPv6 /64
 * ({@link ConsoleSecurity#clientKey}): an IPv6 host can take any address of its /64, and would otherwise
 * start afresh from each. Bounded: at most {@code capacity} clients, the least recently seen forgotten
 * first; failures older than twice {@code max} are forgotten too.
 */
final class LoginBackoff {
  private record Failures(int count, long lastMillis, long waitUntilMillis) {}

  private final long first;
  private final long max;
  private final Map<IpPrefix, Failures> clients;

  LoginBackoff(long first, long max, int capacity) {
    this.first = first;
    this.max = max;
    this.clients = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<IpPrefix, Failures> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Milliseconds the client must still wait before its next attempt; 0 when it may try now. */
  synchronized long waitMillis(IpPrefix client, long nowMillis) {
    Failures f = current(client, nowMillis);
    return f == null ? 0 : Math.max(0, f.waitUntilMillis() - nowMillis);
  }

  /** Records a failed login; returns how long the client must now wait. */
  synchronized long failed(IpPrefix client, long nowMillis) {
    Failures previous = current(client, nowMillis);
    int count = previous == null ? 1 : previous.count() + 1;
    // first is at most 60,000 (< 2^16): shifted by at most 40 it stays far below Long.MAX_VALUE.
    long wait = Math.min(max, first << Math.min(count - 1, 40));
    clients.put(client, new Failures(count, nowMillis, nowMillis + wait));
    return wait;
  }

  synchronized void succeeded(IpPrefix client) {
    clients.remove(client);
  }

  synchronized int tracked() {
    return clients.size();
  }

  private Failures current(IpPrefix client, long nowMillis) {
    Failures f = clients.get(client);
    if (f != null && nowMillis - f.lastMillis() > 2 * max) {
      clients.remove(client);
      return null;
    }
    return f;
  }
}
