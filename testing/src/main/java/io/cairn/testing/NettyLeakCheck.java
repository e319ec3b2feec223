package io.cairn.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test whose Netty buffers leaked. Netty's detector (PARANOID in every test JVM, from the root
 * pom) only logs a leak; the detectors made here record it too, and after each test garbage is
 * collected and new buffers tracked, so that one dropped without release is reported then.
 *
 * <p>Registered for every test of a module that has this jar on its test class path, through JUnit's
 * extension autodetection (enabled by the root pom's surefire configuration): the factory must be in
 * place before Netty makes its one ByteBuf detector, on first use of a buffer.
 */
public final class NettyLeakCheck implements AfterEachCallback {
  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
  private static final Set<Class<?>> TRACKED = ConcurrentHashMap.newKeySet();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      // Deprecated, yet the one abstract method of the factory: every other overload ends here.
      @SuppressWarnings("deprecation")
      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        TRACKED.add(resource);
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

  /** Collects garbage and returns the leaks reported since the last call (clearing them). */
  public static List<String> collectLeaks() throws InterruptedException {
    // A test that never touched a buffer has not made Netty create its detector yet: make it now, so the
    // check below tells "made before this factory" from "not made at all".
    Unpooled.buffer(1).release();
    assertTrue(TRACKED.contains(ByteBuf.class), "Netty made its ByteBuf leak detector before NettyLeakCheck was loaded");
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(20);
      // Each tracked allocation makes the detector poll its queue of reclaimed, unreleased buffers.
      Unpooled.buffer(1).release();
      ByteBufAllocator.DEFAULT.buffer(1).release();
      Unpooled.compositeBuffer().release();
    }
    List<String> leaks = new ArrayList<>();
    for (String leak; (leak = LEAKS.poll()) != null; ) {
      leaks.add(leak);
    }
    return leaks;
  }
}
