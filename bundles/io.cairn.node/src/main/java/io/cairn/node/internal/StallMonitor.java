package io.cairn.node.internal;

import io.cairn.node.stall.ProcessStalls;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Measures the process's stalls as a pause monitor does: a thread that asks to sleep {@link #TICK_NANOS}
 * and notes how much later than that it woke. Whatever kept it from running (a garbage collection
 * pause, a safepoint, every CPU taken) kept the rest of the process from running too. Lateness up to
 * {@link #THRESHOLD_NANOS} is ordinary scheduling and not counted.
 *
 * <p>A stall in progress is counted from the last wake-up on, so a reader that runs before this thread
 * after a pause (a timeout due during the pause fires as it ends) already sees it; once this thread wakes
 * it records the same stall, whole, and the sum goes on from there without going back.
 *
 * <p>Stalls of a second or more are logged, as they explain timeouts an operator sees around them.
 */
@Component(service = ProcessStalls.class)
public class StallMonitor implements ProcessStalls {
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  static final long THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long LOGGED_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Logger log;
  private final LongSupplier nanoTime;
  private final Thread thread;
  /** Written by the monitor thread only; one reference so a reader sees the two fields of one wake-up. */
  private volatile Tick last;
  private volatile boolean running = true;

  @Activate
  public StallMonitor(@Reference(service = LoggerFactory.class) Logger log) {
    this(log, System::nanoTime);
    thread.start();
  }

  /** With a driven clock and no thread started (tests drive {@link #woke}). */
  StallMonitor(Logger log, LongSupplier nanoTime) {
    this.log = log;
    this.nanoTime = nanoTime;
    this.last = new Tick(nanoTime.getAsLong(), 0);
    this.thread = new Thread(this::run, "cairn-stall-monitor");
    thread.setDaemon(true);
  }

  @Deactivate
  void deactivate() {
    running = false;
    LockSupport.unpark(thread);
  }

  private void run() {
    while (running) {
      LockSupport.parkNanos(TICK_NANOS);
      woke();
    }
  }

  /** One wake-up of the monitor thread: records the lateness past the threshold, and sleeps again. */
  void woke() {
    Tick previous = last;
    long now = nanoTime.getAsLong();
    long late = now - previous.at - TICK_NANOS;
    if (late <= THRESHOLD_NANOS) {
      last = new Tick(now, previous.stalledNanos);
      return;
    }
    last = new Tick(now, previous.stalledNanos + late);
    if (late >= LOGGED_NANOS) {
      log.warn("the process stood still for {} ms (garbage collection, a safepoint or no CPU); timeouts do not count it",
          TimeUnit.NANOSECONDS.toMillis(late));
    }
  }

  @Override
  public long stalledNanos() {
    Tick tick = last;
    long pending = nanoTime.getAsLong() - tick.at - TICK_NANOS;
    return pending > THRESHOLD_NANOS ? tick.stalledNanos + pending : tick.stalledNanos;
  }

  /** A wake-up of the monitor thread: when, and the stalls recorded up to it. */
  private record Tick(long at, long stalledNanos) {
  }
}
