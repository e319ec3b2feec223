package io.cairn.libp2p.yamux.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check itself: a buffer dropped without release must be reported, or no test proves anything. */
class NettyLeakCheckTest {
  @Test
  void anUnreleasedBufferIsReported() throws InterruptedException {
    assertTrue(ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID, "run with PARANOID leak detection");
    NettyLeakCheck.collectLeaks();
    leakOne();
    boolean reported = false;
    for (int attempt = 0; attempt < 10 && !reported; attempt++) {
      reported = NettyLeakCheck.collectLeaks().stream().anyMatch(l -> l.contains("leaked"));
    }
    assertTrue(reported, "the deliberately leaked buffer was not reported");
    assertFalse(NettyLeakCheck.collectLeaks().stream().anyMatch(l -> l.contains("leaked")));
  }

  private static void leakOne() {
    ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(16);
    leaked.writeInt(42);
  }
}
