package io.cairn.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class RefusalLogTest {
  private static final long SECOND = 1_000_000_000L;

  /** WARN lines, {} filled in. */
  private static Logger logger(List<String> lines) {
    List<String> sink = Collections.synchronizedList(lines);
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, a) -> {
      if (m.getName().equals("warn")) {
        String line = (String) a[0];
        Object[] args = a.length == 2 && a[1] instanceof Object[] varargs ? varargs : java.util.Arrays.copyOfRange(a, 1, a.length);
        for (Object arg : args) {
          line = line.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(arg)));
        }
        sink.add("WARN " + line);
      }
      return m.getReturnType() == boolean.class ? false : null;
    });
  }

  @Test
  void aLimitIsLoggedOncePerIntervalNamingTheLatestSourceAndTheCountBetween() {
    List<String> lines = new ArrayList<>();
    AtomicLong now = new AtomicLong(5 * SECOND);
    RefusalLog log = new RefusalLog(logger(lines), Duration.ofSeconds(10), List.of("maxPerIp"), now::get);
    for (int i = 0; i < 100; i++) {
      now.set(5 * SECOND + i * SECOND / 20); // 100 in 5 s
      log.refused("maxPerIp", "refused a connection from {}: {}", "192.0.2.1", "8 pending");
    }
    now.set(11 * SECOND);
    log.refused("maxPerIp", "refused a connection from {}: {}", "192.0.2.2", "8 pending"); // within 10 s of the first
    now.set(15 * SECOND);
    log.refused("maxPerIp", "refused a connection from {}: {}", "192.0.2.3", "8 pending");
    now.set(26 * SECOND);
    log.refused("maxPerIp", "refused a connection from {}: {}", "192.0.2.4", "8 pending");
    assertEquals(List.of(
        "WARN refused a connection from 192.0.2.1: 8 pending",
        "WARN refused a connection from 192.0.2.3: 8 pending; 100 more refusals since the last such line",
        "WARN refused a connection from 192.0.2.4: 8 pending"), lines);
  }

  @Test
  void eachLimitHasItsOwnWindow() {
    List<String> lines = new ArrayList<>();
    AtomicLong now = new AtomicLong();
    RefusalLog log = new RefusalLog(logger(lines), Duration.ofSeconds(10), List.of("a", "b"), now::get);
    log.refused("a", "a from {}", "x");
    log.refused("a", "a from {}", "x");
    log.refused("b", "b from {}", "y");
    assertEquals(List.of("WARN a from x", "WARN b from y"), lines);
    assertThrows(IllegalArgumentException.class, () -> log.refused("c", "c"), "only the limits it was made with");
  }

  @Test
  void aFloodFromManySourcesWritesOneLinePerIntervalWhateverItsAddresses() {
    List<String> lines = new ArrayList<>();
    AtomicLong now = new AtomicLong();
    RefusalLog log = new RefusalLog(logger(lines), Duration.ofSeconds(10), List.of("maxConnectionsPerIp"), now::get);
    for (int i = 0; i < 100_000; i++) {
      now.set(i * 1_000_000L); // 100 s, every source a new one
      log.refused("maxConnectionsPerIp", "refused {}", "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    }
    assertEquals(10, lines.size(), "one line per 10 s: " + lines);
    assertEquals("WARN refused 10.0.39.16; 9999 more refusals since the last such line", lines.get(1));
  }

  @Test
  void aZeroIntervalLogsEveryRefusal() {
    List<String> lines = new ArrayList<>();
    RefusalLog log = new RefusalLog(logger(lines), Duration.ZERO, List.of("a"), () -> 0);
    for (int i = 0; i < 3; i++) {
      log.refused("a", "refused {}", i);
    }
    assertEquals(List.of("WARN refused 0", "WARN refused 1", "WARN refused 2"), lines);
  }

  @Test
  void refusalsFromManyThreadsAreEachLoggedOrCounted() throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    AtomicLong now = new AtomicLong();
    RefusalLog log = new RefusalLog(logger(lines), Duration.ofSeconds(1), List.of("a"), now::get);
    int threads = 4;
    int each = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          now.addAndGet(100_000); // the clock moves on: lines are written now and then, from any thread
          log.refused("a", "refused");
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    now.addAndGet(10 * SECOND);
    log.refused("a", "refused");
    long counted = 0;
    for (String line : lines) {
      int at = line.indexOf("; ");
      counted += 1 + (at < 0 ? 0 : Long.parseLong(line.substring(at + 2, line.indexOf(' ', at + 2))));
    }
    assertEquals(threads * each + 1, counted, "every refusal is in a line or in a line's count");
    assertTrue(lines.size() < threads * each / 100, lines.size() + " lines");
  }
}
