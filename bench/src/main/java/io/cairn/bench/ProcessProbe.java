package io.cairn.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time and memory of a process from Linux's /proc, and a JVM's heap through {@code jcmd}: what the
 * load tool reports of the server it measures (and of itself).
 */
final class ProcessProbe {
  private static final Pattern HEAP_USED = Pattern.compile("used ([0-9][0-9,]*)K");

  private final long pid;
  private final long ticksPerSecond;

  /** @param ticksPerSecond the kernel's USER_HZ ({@code getconf CLK_TCK}, 100 on Linux/x86) */
  ProcessProbe(long pid, long ticksPerSecond) {
    this.pid = pid;
    this.ticksPerSecond = ticksPerSecond;
  }

  long pid() {
    return pid;
  }

  /** @return user + system CPU time of every thread of the process so far, in ms */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14), stime (15)
    return ticks * 1000 / ticksPerSecond;
  }

  /** @return a field of /proc/pid/status in KiB (VmRSS: resident now; VmHWM: its peak), if present */
  OptionalLong statusKib(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
      if (line.startsWith(field + ":")) {
        return OptionalLong.of(Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]));
      }
    }
    return OptionalLong.empty();
  }

  /** @return whether the process is a JVM (jcmd can ask it for its heap) */
  boolean isJvm() throws IOException {
    byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    String first = new String(cmdline, StandardCharsets.UTF_8).split("\0", 2)[0];
    return first.endsWith("/java") || first.equals("java");
  }

  /**
   * @param fullGcFirst whether to run a full GC before (then the figure is the live heap)
   * @return the JVM's used heap in KiB as {@code jcmd GC.heap_info} reports it, if jcmd answers
   */
  OptionalLong jvmHeapUsedKib(boolean fullGcFirst) {
    try {
      if (fullGcFirst) {
        jcmd("GC.run");
      }
      Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1).replace(",", ""))) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  /** @return this JVM's CPU time so far (every thread), in ms */
  static long ownCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
        / 1_000_000;
  }

  /** @return this JVM's used heap now, in KiB */
  static long ownHeapUsedKib() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
  }

  /** @return the sum of the heap pools' peak usage since start, in KiB (an upper bound of the heap's peak) */
  static long ownHeapPeakKib() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / 1024;
  }
}
