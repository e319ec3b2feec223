package io.cairn.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node started from the distribution's {@code bin/cairn}, as an operator starts it. */
public final class CairnProcess implements AutoCloseable {
  private static final Pattern RPC = Pattern.compile("RPC API\\s+(http://\\S+)/api/v0");
  private static final Pattern PEER = Pattern.compile("Peer ID\\s+(\\S+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  /** Copies the process's output into {@link #output}, a line at a time: it lags behind what was printed. */
  private final Thread reader;

  private CairnProcess(Process process) {
    this.process = process;
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.add(line);
        }
      } catch (IOException ignored) {
        // The process ended.
      }
    }, "cairn-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code bin/cairn daemon} with the given home and extra arguments; the API, swarm and gateway on
   * free ports (a later argument wins), so that nodes of parallel runs never collide on 4001 or 8080.
   */
  public static CairnProcess daemon(Path home, String... args) throws IOException {
    return start(home, true, false, args);
  }

  /**
   * Starts {@code bin/cairn} without {@code daemon}, as {@code ./cairnw run} does, with standard input from
   * {@code /dev/null} (no terminal: a service, nohup, CI).
   */
  public static CairnProcess withoutTerminal(Path home, String... args) throws IOException {
    return start(home, false, true, args);
  }

  private static CairnProcess start(Path home, boolean daemon, boolean devNull, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(CairnOptions.dist().resolve("bin/cairn").toString()));
    if (daemon) {
      command.add("daemon");
    }
    command.addAll(List.of("--api-address", "127.0.0.1:0", "--swarm-address", "/ip4/127.0.0.1/tcp/0",
        "--gateway-address", "127.0.0.1:0"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (devNull) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Map<String, String> env = pb.environment();
    env.put("CAIRN_PATH", home.toString());
    return new CairnProcess(pb.start());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the banner's RPC line; empty if the process ended first or the time ran out. */
  public String awaitRpcBase(long seconds) throws InterruptedException {
    return awaitLine(RPC, seconds);
  }

  public String peerId() throws InterruptedException {
    return awaitLine(PEER, 1);
  }

  private String awaitLine(Pattern pattern, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (String line : output) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
      if (!process.isAlive()) {
        return "";
      }
      Thread.sleep(20);
    }
    return "";
  }

  /**
   * Waits for a line containing {@code text}: the output is read by another thread, so a line printed just
   * before (the banner's last lines, a log line about a request just answered) may not be in
   * {@link #output()} yet. False if the process ended first or the time ran out.
   */
  public boolean awaitOutput(String text, long seconds) throws InterruptedException {
    return !awaitLine(Pattern.compile("(" + Pattern.quote(text) + ")"), seconds).isEmpty();
  }

  public String output() {
    return String.join("\n", output);
  }

  public long pid() {
    return process.pid();
  }

  /** Sends SIGTERM and waits for the exit code. */
  public int terminate(long seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the node did not stop within " + seconds + " s of SIGTERM:\n" + output());
    }
    return process.exitValue();
  }

  /** Waits for the exit code, and for the reader to have taken the output up to its end. */
  public int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the node did not exit within " + seconds + " s:\n" + output());
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
