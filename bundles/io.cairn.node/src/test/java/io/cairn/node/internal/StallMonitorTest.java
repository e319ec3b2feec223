package io.cairn.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class StallMonitorTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final AtomicLong now = new AtomicLong(7_000 * MS);
  private final List<String> warnings = new ArrayList<>();
  private final StallMonitor monitor = new StallMonitor(logger(), now::get);

  private Logger logger() {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, a) -> {
      if (m.getName().equals("warn")) {
        warnings.add(a[0] + " " + a[1]);
      }
      return m.getReturnType() == boolean.class ? false : null;
    });
  }

  /** The monitor thread sleeps a tick plus {@code late}, then wakes. */
  private void tick(long late) {
    now.addAndGet(StallMonitor.TICK_NANOS + late);
    monitor.woke();
  }

  @Test
  void ordinarySchedulingLatenessIsNotAStall() {
    for (int i = 0; i < 100; i++) {
      tick(i % 2 == 0 ? 0 : StallMonitor.THRESHOLD_NANOS);
    }
    assertEquals(0, monitor.stalledNanos());
    assertTrue(warnings.isEmpty());
  }

  @Test
  void aStallCountsWhileItLastsAndStaysCountedOnceTheMonitorWakes() {
    tick(0);
    long before = monitor.stalledNanos();
    // A 957 ms pause: the monitor asleep through it; a timeout firing as it ends reads first.
    now.addAndGet(StallMonitor.TICK_NANOS + 957 * MS);
    long whileUnseen = monitor.stalledNanos();
    assertEquals(957 * MS, whileUnseen - before, "seen before the monitor thread ran again");
    now.addAndGet(3 * MS);
    monitor.woke();
    long recorded = monitor.stalledNanos();
    assertEquals(960 * MS, recorded - before);
    assertTrue(recorded >= whileUnseen, "never decreases");
    tick(0);
    assertEquals(recorded, monitor.stalledNanos(), "a stall is counted once");
    assertTrue(warnings.isEmpty(), "under a second is not logged: " + warnings);
  }

  @Test
  void stallsAddUpAndLongOnesAreLogged() {
    tick(100 * MS);
    tick(0);
    tick(1_500 * MS);
    assertEquals(1_600 * MS, monitor.stalledNanos());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("1500"), warnings.toString());
  }

  @Test
  void theMonitorThreadStopsAtDeactivate() throws Exception {
    StallMonitor live = new StallMonitor(logger());
    Thread thread = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("cairn-stall-monitor")).findFirst().orElseThrow();
    live.deactivate();
    thread.join(5_000);
    assertTrue(!thread.isAlive(), "the monitor thread ended");
  }
}
