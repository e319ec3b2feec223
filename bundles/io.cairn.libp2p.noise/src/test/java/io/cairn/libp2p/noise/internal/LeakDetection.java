package io.cairn.libp2p.noise.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test whose buffers leaked. Netty's detector (at PARANOID in every test JVM, from the root pom)
 * only logs a leak; the detectors made here also record it, and after each test collected garbage is
 * made to surface so that a buffer dropped without release is reported then.
 *
 * <p>Registered for every test through JUnit's extension autodetection: the factory must be in place
 * before Netty makes its one ByteBuf detector, on first use of a buffer.
 */
public final class LeakDetection implements AfterEachCallback {
  private static final List<String> LEAKS = new ArrayList<>();
  private static final Set<Class<?>> TRACKED = ConcurrentHashMap.newKeySet();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      @SuppressWarnings("deprecation") // the three-argument form is the one factories must implement
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        TRACKED.add(resource);
        return new ResourceLeakDetector<>(resource, samplingInterval) {
          @Override
          protected boolean needReport() {
            return true;
          }

          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            record(resourceType + " leaked:" + records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            record(resourceType + " leaked (no records)");
          }
        };
      }
    });
  }

  private static synchronized void record(String leak) {
    LEAKS.add(leak);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> leaks = collectLeaks();
    if (!leaks.isEmpty()) {
      fail(leaks.size() + " buffer leak(s); the first: " + leaks.get(0));
    }
  }

  /** The leaks reported since the last call, after giving garbage collection a chance to find them. */
  static List<String> collectLeaks() {
    assertTrue(TRACKED.contains(ByteBuf.class), "Netty made its ByteBuf leak detector before LeakDetection was loaded");
    for (int round = 0; round < 5; round++) {
      System.gc();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      // A detector reports collected, unreleased buffers when it is asked to track a new one.
      ByteBufAllocator.DEFAULT.buffer(1).release();
      Unpooled.buffer(1).release();
    }
    synchronized (LeakDetection.class) {
      List<String> leaks = List.copyOf(LEAKS);
      LEAKS.clear();
      return leaks;
    }
  }
}
