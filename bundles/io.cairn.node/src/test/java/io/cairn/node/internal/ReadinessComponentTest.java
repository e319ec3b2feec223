package io.cairn.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.log.Logger;

/**
 * When {@link ReadinessComponent} looks at the node: {@code settleMillis} after the last event, on a clock
 * and a timer the test drives (no real time passes, nothing is timed).
 */
class ReadinessComponentTest {
  private static final long MS = 1_000_000;
  private static final long SETTLE = 200 * MS;

  /** The test's clock, in nanoseconds. */
  private final AtomicLong now = new AtomicLong(5_000 * MS);
  private final ManualTimer timer = new ManualTimer();
  /** The one bundle besides the framework: not started until the test starts it. */
  private volatile int state = Bundle.RESOLVED;
  private final List<BundleListener> bundleListeners = new ArrayList<>();
  private final List<ServiceListener> serviceListeners = new ArrayList<>();
  private final AtomicInteger registered = new AtomicInteger();

  @Test
  void readinessFollowsTheEventThatCompletesItAfterTheSettleTime() {
    ReadinessComponent readiness = component();
    advance(SETTLE);
    assertFalse(readiness.ready(), "a bundle is not started yet");

    advance(100 * MS);
    state = Bundle.ACTIVE;
    bundleStarted();
    assertTrue(timer.pendingIn(SETTLE), "a look is scheduled at the settle time after the event: " + timer.delays());
    advance(SETTLE - MS);
    assertFalse(readiness.ready(), "not before things have been quiet for the settle time");
    advance(MS);
    assertTrue(readiness.ready(), "ready at the settle time after the event that made it so");
    assertEquals(1, registered.get());
  }

  @Test
  void eachEventPushesTheLookToTheSettleTimeAfterIt() {
    ReadinessComponent readiness = component();
    advance(SETTLE);
    state = Bundle.ACTIVE;
    bundleStarted();
    advance(150 * MS);
    bundleStarted();
    advance(100 * MS);
    assertFalse(readiness.ready(), "250 ms after the first event, only 100 ms after the second");
    advance(100 * MS);
    assertTrue(readiness.ready(), "the settle time after the last event");
  }

  @Test
  void aNodeNotReadyWaitsForTheNextEventWithoutPolling() {
    ReadinessComponent readiness = component();
    advance(SETTLE);
    assertFalse(readiness.ready());
    assertEquals(1, timer.pendingCount(), "only the report is scheduled: " + timer.delays());
    readiness.deactivate();
  }

  private ReadinessComponent component() {
    return new ReadinessComponent(context(), scr(), logger(), config(), timer, now::get);
  }

  private void advance(long nanos) {
    timer.runUntil(now.get() + nanos);
  }

  private void bundleStarted() {
    for (BundleListener l : List.copyOf(bundleListeners)) {
      l.bundleChanged(new BundleEvent(BundleEvent.STARTED, bundle()));
    }
  }

  private BundleContext context() {
    return proxy(BundleContext.class, (m, a) -> switch (m) {
      case "getProperty" -> null;
      case "getBundles" -> new Bundle[] {bundle()};
      case "addBundleListener" -> bundleListeners.add((BundleListener) a[0]);
      case "addServiceListener" -> serviceListeners.add((ServiceListener) a[0]);
      case "removeBundleListener" -> bundleListeners.remove(a[0]);
      case "removeServiceListener" -> serviceListeners.remove(a[0]);
      case "registerService" -> {
        registered.incrementAndGet();
        yield proxy(ServiceRegistration.class, (m2, a2) -> null);
      }
      default -> throw new UnsupportedOperationException(m);
    });
  }

  private Bundle bundle() {
    Dictionary<String, String> headers = new Hashtable<>();
    return proxy(Bundle.class, (m, a) -> switch (m) {
      case "getHeaders" -> headers;
      case "getState" -> state;
      case "adapt" -> null;
      case "getSymbolicName" -> "io.cairn.example";
      case "getBundleId" -> 1L;
      default -> throw new UnsupportedOperationException(m);
    });
  }

  private static ServiceComponentRuntime scr() {
    return proxy(ServiceComponentRuntime.class, (m, a) -> switch (m) {
      case "getComponentDescriptionDTOs" -> List.of();
      default -> throw new UnsupportedOperationException(m);
    });
  }

  private static Logger logger() {
    return proxy(Logger.class, (m, a) -> null);
  }

  private static ReadinessConfig config() {
    return proxy(ReadinessConfig.class, (m, a) -> switch (m) {
      case "annotationType" -> ReadinessConfig.class;
      case "settleMillis" -> (int) (SETTLE / MS);
      case "reportAfterSeconds" -> 10;
      default -> throw new UnsupportedOperationException(m);
    });
  }

  interface Answer {
    Object answer(String method, Object[] args);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Answer answer) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> switch (m.getName()) {
      case "hashCode" -> System.identityHashCode(p);
      case "equals" -> p == a[0];
      case "toString" -> type.getSimpleName();
      default -> answer.answer(m.getName(), a);
    });
  }

  /** Runs what is scheduled on it only when the test moves {@link #now} on, in the order it falls due. */
  private final class ManualTimer extends ScheduledThreadPoolExecutor {
    private final List<Task> tasks = new ArrayList<>();

    ManualTimer() {
      super(1);
    }

    final class Task implements ScheduledFuture<Object> {
      final long at;
      final Runnable work;
      boolean cancelled;
      boolean done;

      Task(long at, Runnable work) {
        this.at = at;
        this.work = work;
      }

      @Override
      public long getDelay(TimeUnit unit) {
        return unit.convert(at - now.get(), TimeUnit.NANOSECONDS);
      }

      @Override
      public int compareTo(Delayed o) {
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
      }

      @Override
      public boolean cancel(boolean interrupt) {
        if (done) {
          return false;
        }
        cancelled = true;
        tasks.remove(this);
        return true;
      }

      @Override
      public boolean isCancelled() {
        return cancelled;
      }

      @Override
      public boolean isDone() {
        return done || cancelled;
      }

      @Override
      public Object get() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Object get(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException();
      }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      Task t = new Task(now.get() + unit.toNanos(delay), command);
      tasks.add(t);
      return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    /** Moves the clock to {@code until}, running each task as its time comes. */
    void runUntil(long until) {
      while (true) {
        Task next = tasks.stream().filter(t -> t.at <= until).min((a, b) -> Long.compare(a.at, b.at)).orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
        now.set(Math.max(now.get(), next.at));
        next.done = true;
        next.work.run();
      }
      now.set(until);
    }

    boolean pendingIn(long delay) {
      return tasks.stream().anyMatch(t -> t.at - now.get() == delay);
    }

    int pendingCount() {
      return tasks.size();
    }

    List<Long> delays() {
      return tasks.stream().map(t -> (t.at - now.get()) / MS).toList();
    }

    @Override
    public List<Runnable> shutdownNow() {
      tasks.clear();
      return super.shutdownNow();
    }

    @Override
    public void shutdown() {
      tasks.clear();
      super.shutdown();
    }
  }
}
