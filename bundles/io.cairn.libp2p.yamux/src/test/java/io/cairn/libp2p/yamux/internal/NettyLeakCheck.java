package io.cairn.libp2p.yamux.internal;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty's leak detector (PARANOID in the test JVM) reports a buffer that was never
 * released. Installed for every test through ServiceLoader, so its detector factory is in place before
 * the first buffer class is initialised. Leaks surface when the collector has reclaimed the buffer:
 * after each test it collects, then allocates so the detectors look at what was reclaimed.
 */
public final class NettyLeakCheck implements AfterEachCallback {
  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      // Deprecated, yet the one abstract method of the factory: every other overload ends here.
      @SuppressWarnings("deprecation")
      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<T>(resource, samplingInterval) {
          @Override
          protected boolean needReport() {
            return true;
          }

          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (no records)");
          }
        };
      }
    });
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    List<String> leaks = collectLeaks();
    if (!leaks.isEmpty()) {
      fail(leaks.size() + " leak(s) during or before " + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
    }
  }

  /** Collects garbage and returns the leaks reported since the last call. */
  static List<String> collectLeaks() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(20);
      // Each tracked allocation makes the detector poll its queue of reclaimed, unreleased buffers.
      Unpooled.buffer(1).release();
      ByteBufAllocator.DEFAULT.buffer(1).release();
      Unpooled.compositeBuffer().release();
    }
    List<String> leaks = new ArrayList<>();
    String leak;
    while ((leak = LEAKS.poll()) != null) {
      leaks.add(leak);
    }
    return leaks;
  }
}
