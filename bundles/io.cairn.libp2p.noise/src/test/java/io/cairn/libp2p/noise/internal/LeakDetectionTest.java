package io.cairn.libp2p.noise.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check that every test here relies on does see a leak. */
class LeakDetectionTest {
  @Test
  void aBufferDroppedWithoutReleaseIsReported() {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
        "the test JVM runs Netty's leak detector at PARANOID (root pom argLine)");
    leak();
    // collectLeaks also clears what it found, so this test itself passes the check after it.
    assertFalse(LeakDetection.collectLeaks().isEmpty());
  }

  private static void leak() {
    ByteBufAllocator.DEFAULT.buffer(64).writeLong(42);
  }
}
