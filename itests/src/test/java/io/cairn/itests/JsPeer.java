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
 * A js-libp2p node from itests/interop/peer.mjs (npm, pinned by package-lock.json, installed by the
 * build with npm ci). It prints one JSON object a line; this reads them.
 */
public final class JsPeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final StringBuilder stderr = new StringBuilder();

  private JsPeer(Process process) {
    this.process = process;
    Thread out = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          try {
            events.add(JSON.readTree(line));
          } catch (IOException notJson) {
            synchronized (stderr) {
              stderr.append(line).append('\n');
            }
          }
        }
      } catch (IOException ignored) {
        // exited
      }
    }, "js-peer-out");
    out.setDaemon(true);
    out.start();
    Thread err = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (stderr) {
            if (stderr.length() < 20_000) {
              stderr.append(line).append('\n');
            }
          }
        }
      } catch (IOException ignored) {
        // exited
      }
    }, "js-peer-err");
    err.setDaemon(true);
    err.start();
  }

  public static Path interopDir() {
    return CairnOptions.source().resolve("itests/interop");
  }

  public static JsPeer start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", "peer.mjs"));
    command.addAll(List.of(args));
    return new JsPeer(new ProcessBuilder(command).directory(interopDir().toFile()).start());
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
        throw new AssertionError("js peer exited (" + process.exitValue() + ") without that event: " + describe());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no such event from the js peer within " + seconds + " s: " + describe());
  }

  public JsonNode awaitEvent(String name, long seconds) throws InterruptedException {
    return await(e -> name.equals(e.path("event").asText()), seconds);
  }

  public int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("js peer did not exit within " + seconds + " s: " + describe());
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
