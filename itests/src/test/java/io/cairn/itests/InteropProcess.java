package io.cairn.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Node.js script from itests/interop (npm packages pinned by package-lock.json, installed by the
 * build with npm ci). Such a script prints one JSON object a line on stdout and logs on stderr; this
 * reads both. Closing it sends SIGTERM (the scripts stop cleanly on it), then kills it after 10 s.
 */
public class InteropProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_STDERR_CHARS = 20_000;

  private final String script;
  private final Process process;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final StringBuilder stderr = new StringBuilder();

  protected InteropProcess(String script, List<String> args) throws IOException {
    this.script = script;
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(interopDir().toFile());
    // -Dcairn.interop.debug=<namespaces>: js-libp2p's debug log (its DEBUG variable) on the script's stderr.
    String debug = System.getProperty("cairn.interop.debug", "");
    if (!debug.isEmpty()) {
      builder.environment().put("DEBUG", debug);
    }
    this.process = builder.start();
    Thread out = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          try {
            events.add(JSON.readTree(line));
          } catch (IOException notJson) {
            appendStderr(line);
          }
        }
      } catch (IOException ignored) {
        // exited
      }
    }, script + "-out");
    out.setDaemon(true);
    out.start();
    Thread err = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          appendStderr(line);
        }
      } catch (IOException ignored) {
        // exited
      }
    }, script + "-err");
    err.setDaemon(true);
    err.start();
  }

  private void appendStderr(String line) {
    synchronized (stderr) {
      if (stderr.length() < MAX_STDERR_CHARS) {
        stderr.append(line).append('\n');
      }
    }
  }

  /** Runs {@code script} from itests/interop with {@code args}. */
  public static InteropProcess run(String script, String... args) throws IOException {
    return new InteropProcess(script, List.of(args));
  }

  /** Every JSON line printed so far. */
  public List<JsonNode> events() {
    return List.copyOf(events);
  }

  public static Path interopDir() {
    return CairnOptions.source().resolve("itests/interop");
  }

  /** Waits for the first event matching {@code test}. */
  public JsonNode await(Predicate<JsonNode> test, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (JsonNode e : events) {
        if (test.test(e)) {
          return e;
        }
      }
      if (!process.isAlive() && events.stream().noneMatch(test)) {
        Thread.sleep(100); // let the reader drain the last lines
        for (JsonNode e : events) {
          if (test.test(e)) {
            return e;
          }
        }
        throw new AssertionError(script + " exited (" + process.exitValue() + ") without that event: " + describe());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no such event from " + script + " within " + seconds + " s: " + describe());
  }

  public JsonNode awaitEvent(String name, long seconds) throws InterruptedException {
    return await(e -> name.equals(e.path("event").asText()), seconds);
  }

  /** Waits up to {@code seconds} for the script to end, without ending it; true if it has. */
  public boolean exited(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  public int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(script + " did not exit within " + seconds + " s: " + describe());
    }
    return process.exitValue();
  }

  public String describe() {
    synchronized (stderr) {
      return "events " + events + "\nstderr:\n" + stderr;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
