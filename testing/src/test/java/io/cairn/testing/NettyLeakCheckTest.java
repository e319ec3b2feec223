package io.cairn.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check every module's tests rely on does see a leak. */
class NettyLeakCheckTest {
  @Test
  void aBufferDroppedWithoutReleaseIsReported() throws InterruptedException {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
        "the test JVM runs Netty's leak detector at PARANOID (root pom argLine)");
    leak();
    // collectLeaks also clears what it found, so this test itself passes the check after it.
    assertFalse(NettyLeakCheck.collectLeaks().isEmpty());
  }

  private static void leak() {
    ByteBufAllocator.DEFAULT.buffer(64).writeLong(42);
  }
}
