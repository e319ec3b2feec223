package io.cairn.bitswap.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.config.InvalidConfigException;
import io.cairn.testing.Components;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The window rule, on a driven clock: no sleeping, no timing of the test itself. */
class WantWindowTest {
  static final long MS = 1_000_000L;
  static final int BLOCK = 256 * 1024;

  static ClientSettings settings(Map<String, Object> overrides) {
    return ClientSettings.of((ClientConfig) Components.config(ClientConfig.class, overrides));
  }

  /** A path of {@code rttMs} round trip and {@code bytesPerSec}: delivers a window's worth per round trip, at most the path's rate. */
  static final class Path {
    final WantWindow window;
    long now = 1_000 * MS;

    Path(WantWindow window) {
      this.window = window;
    }

    /** Runs {@code ms} of transfer: each round trip the session's window of blocks (capped by the path) arrive. */
    void run(long ms, long rttMs, long bytesPerSec) {
      long end = now + ms * MS;
      while (now < end) {
        int inFlight = window.window();
        long pathBlocks = Math.max(1, bytesPerSec * rttMs / 1000 / BLOCK);
        long blocks = Math.min(inFlight, pathBlocks);
        // The blocks of one round trip arrive spread over it; their round trip is at least the path's.
        long spacing = rttMs * MS / blocks;
        for (long i = 0; i < blocks; i++) {
          now += spacing;
          window.rtt(rttMs * MS + i * (inFlight > pathBlocks ? spacing : 0), now);
          window.delivered(BLOCK, now);
        }
      }
    }
  }

  @Test
  void growsToTheBandwidthDelayProductTimesGain() {
    Path path = new Path(new WantWindow(() -> settings(Map.of())));
    assertEquals(32, path.window.window(), "starts at windowMin");
    // 100 ms, 160 MB/s: BDP 16 MB = 61 blocks of 256 KiB; gain 2 -> about 122.
    path.run(5_000, 100, 160_000_000);
    int w = path.window.window();
    assertTrue(w >= 110 && w <= 135, "window " + w);
    assertTrue(path.window.rate() > 140_000_000 && path.window.rate() < 180_000_000, "rate " + path.window.rate());
    assertEquals(100 * MS, path.window.minRttNanos());
  }

  @Test
  void growsWithTheRoundTrip() {
    Path near = new Path(new WantWindow(() -> settings(Map.of())));
    near.run(5_000, 50, 160_000_000);
    Path far = new Path(new WantWindow(() -> settings(Map.of())));
    far.run(5_000, 100, 160_000_000);
    assertTrue(far.window.window() > near.window.window() * 3 / 2,
        near.window.window() + " at 50 ms, " + far.window.window() + " at 100 ms");
  }

  @Test
  void aShortPathStaysAtTheFloor() {
    Path direct = new Path(new WantWindow(() -> settings(Map.of())));
    direct.run(2_000, 1, 160_000_000);
    assertEquals(32, direct.window.window());
  }

  @Test
  void boundedByWindowMaxAndByTheBytesAwaitingHashCheck() {
    Path capped = new Path(new WantWindow(() -> settings(Map.of("windowMax", 100))));
    capped.run(5_000, 200, 1_000_000_000);
    assertEquals(100, capped.window.window());
    // 16 MiB awaiting hash check at most: 64 blocks of 256 KiB.
    Path memory = new Path(new WantWindow(() -> settings(Map.of("maxPendingVerifyBytes", 16L << 20))));
    memory.run(5_000, 200, 1_000_000_000);
    assertEquals(64, memory.window.window());
    Path wants = new Path(new WantWindow(() -> settings(Map.of("maxWants", 50))));
    wants.run(5_000, 200, 1_000_000_000);
    assertEquals(50, wants.window.window());
  }

  @Test
  void shrinksWhenTheRateDrops() {
    Path path = new Path(new WantWindow(() -> settings(Map.of())));
    path.run(5_000, 100, 160_000_000);
    int fast = path.window.window();
    path.run(5_000, 100, 40_000_000);
    int slow = path.window.window();
    assertTrue(slow < fast / 2 && slow >= 32, fast + " then " + slow);
  }

  @Test
  void blocksBeingStoredComeOnTopOfTheWindowUpToAWindowsWorth() {
    WantWindow window = new WantWindow(() -> settings(Map.of()));
    assertEquals(32, window.getsInFlight(0));
    assertEquals(32 + 20, window.getsInFlight(20), "the wants on the path stay 32 while 20 blocks are stored");
    assertEquals(64, window.getsInFlight(500), "a store that falls behind holds the wants back");
    WantWindow fixed = new WantWindow(() -> settings(Map.of("windowMode", "static")));
    assertEquals(32, fixed.getsInFlight(20), "static: the fixed number");
  }

  @Test
  void staticModeKeepsTheFloor() {
    Map<String, Object> config = new HashMap<>(Map.of("windowMode", "static", "windowMin", 48));
    Path path = new Path(new WantWindow(() -> settings(config)));
    path.run(5_000, 100, 160_000_000);
    assertEquals(48, path.window.window());
    assertTrue(path.window.rate() > 0, "still measured in static mode");
  }

  @Test
  void invalidWindowKeysAreRefusedByName() {
    InvalidConfigException mode = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
        () -> settings(Map.of("windowMode", "fast")));
    assertEquals("windowMode", mode.key());
    InvalidConfigException max = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
        () -> settings(Map.of("windowMin", 64, "windowMax", 32)));
    assertEquals("windowMax", max.key());
    InvalidConfigException gain = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
        () -> settings(Map.of("windowGain", 0.5)));
    assertEquals("windowGain", gain.key());
  }
}
