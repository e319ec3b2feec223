package io.cairn.bitswap.message;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link VarintBench}'s pairs timed by the thread's CPU time instead of the wall clock, for a machine that
 * other work keeps busy (JMH's wall-clock times there count the time the benchmark waited for a core).
 * Each side of a pair runs in its own JVM (as JMH forks), nine JVMs a side, old and new alternating: in
 * each, rounds of 2,000 calls (2,048,000 varints), the fastest of the last 40 of 60 rounds; the figure is
 * the median of the nine. Run: {@code java -cp bench/target/benchmarks.jar
 * io.cairn.bitswap.message.VarintCpuTime SMALL} (or {@code WIDE}); one side alone: add its method name.
 */
public final class VarintCpuTime {
  private static final int CALLS = 2000;
  private static final int ROUNDS = 60;
  private static final int WARM_ROUNDS = 20;
  private static final int JVMS = 9;
  private static final String[] SIDES = {"old", "new"};
  private static final String[] PAIRS = {"WireWrite", "WireRead", "FrameLength", "ArrayRead", "ArrayWrite", "StreamWrite"};

  private VarintCpuTime() {}

  public static void main(String[] args) throws Exception {
    String values = args.length > 0 ? args[0] : "SMALL";
    if (args.length > 1) {
      System.out.printf("%s %s %.2f%n", values, args[1], nanosPerVarint(values, args[1]));
      return;
    }
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    String classPath = System.getProperty("java.class.path");
    for (String pair : PAIRS) {
      double[][] runs = new double[2][JVMS];
      for (int run = 0; run < JVMS; run++) {
        // Sides alternate, and which goes first alternates, so that drifting load falls on both alike.
        for (int k = 0; k < 2; k++) {
          int side = (run + k) % 2;
          Process p = new ProcessBuilder(javaCommand, "-Dio.netty.leakDetection.level=disabled", "-cp", classPath,
              VarintCpuTime.class.getName(), values, SIDES[side] + pair).start();
          String out = new String(p.getInputStream().readAllBytes()).trim();
          if (p.waitFor() != 0) {
            throw new IllegalStateException(SIDES[side] + pair + " failed: " + out);
          }
          runs[side][run] = Double.parseDouble(out.substring(out.lastIndexOf(' ') + 1));
        }
      }
      System.out.printf("%-12s %-5s old %5.2f ns  new %5.2f ns  (median of %d JVMs each; old %s, new %s)%n", pair, values,
          median(runs[0]), median(runs[1]), JVMS, java.util.Arrays.toString(runs[0]), java.util.Arrays.toString(runs[1]));
    }
  }

  private static double median(double[] xs) {
    double[] sorted = xs.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double nanosPerVarint(String values, String method) throws Exception {
    VarintBench bench = new VarintBench();
    bench.values = values;
    bench.setup();
    Map<String, LongSupplier> methods = new LinkedHashMap<>();
    methods.put("oldWireWrite", () -> bench.oldWireWrite().writerIndex());
    methods.put("newWireWrite", () -> bench.newWireWrite().writerIndex());
    methods.put("oldWireRead", bench::oldWireRead);
    methods.put("newWireRead", bench::newWireRead);
    methods.put("oldFrameLength", bench::oldFrameLength);
    methods.put("newFrameLength", bench::newFrameLength);
    methods.put("oldArrayRead", bench::oldArrayRead);
    methods.put("newArrayRead", bench::newArrayRead);
    methods.put("oldArrayWrite", bench::oldArrayWrite);
    methods.put("newArrayWrite", bench::newArrayWrite);
    methods.put("oldStreamWrite", bench::oldStreamWrite);
    methods.put("newStreamWrite", bench::newStreamWrite);
    LongSupplier body = methods.get(method);
    if (body == null) {
      throw new IllegalArgumentException("no method " + method + " (" + methods.keySet() + ")");
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long best = Long.MAX_VALUE;
    long sink = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long start = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < CALLS; i++) {
        sink += body.getAsLong();
      }
      long took = mx.getCurrentThreadCpuTime() - start;
      if (round >= WARM_ROUNDS) {
        best = Math.min(best, took);
      }
    }
    bench.tearDown();
    if (sink == 42) {
      System.err.println("(keeps the results alive)");
    }
    return best / ((double) CALLS * VarintBench.COUNT);
  }
}
