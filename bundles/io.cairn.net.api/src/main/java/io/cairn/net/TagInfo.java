package io.cairn.net;

import java.time.Instant;
import java.util.Map;

/**
 * What the connection manager holds for one peer.
 *
 * @param firstSeen when the peer connected (or was first tagged, while not yet connected)
 * @param value the sum of its tags' values
 * @param tags each tag's value
 * @param connections each connection's remote address and when it opened
 */
public record TagInfo(Instant firstSeen, int value, Map<String, Integer> tags, Map<String, Instant> connections) {
  public TagInfo {
    tags = Map.copyOf(tags);
    connections = Map.copyOf(connections);
  }
}
