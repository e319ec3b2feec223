package io.cairn.bench;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DAG-level load steps of bench/dag-load.sh, each printing one JSON line:
 * <ul>
 *   <li>{@code file --out F --mib N [--seed S]}: N MiB of deterministic bytes (the test-block generator's
 *       stream; another seed gives bytes sharing no 256 KiB chunk);
 *   <li>{@code sha256 --file F}: the raw SHA-256 ceiling: MessageDigest over the file's bytes, best of 3, MB/s;
 *   <li>{@code add --api URL --file F [--query Q]}: {@code POST /api/v0/add?Q} (default {@code pin=true})
 *       of the file as kubo-rpc-client sends it (multipart, streamed), MB/s and the root CID;
 *   <li>{@code pin --api URL --cid C --bytes N}: {@code POST /api/v0/pin/add?progress=true}, reading the
 *       progress lines as they come; MB/s of N bytes and the last progress count.
 * </ul>
 */
public final class DagLoad {
  private static final Pattern HASH = Pattern.compile("\"Hash\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern PROGRESS = Pattern.compile("\"Progress\"\\s*:\\s*(\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private DagLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: DagLoad file|sha256|add|pin --option value ...");
    }
    Map<String, String> o = options(args);
    switch (args[0]) {
      case "file" -> file(Path.of(o.get("out")), Integer.parseInt(o.get("mib")), Long.parseLong(o.getOrDefault("seed", "0")));
      case "sha256" -> sha256(Path.of(o.get("file")));
      case "add" -> add(o.get("api"), Path.of(o.get("file")), o.getOrDefault("query", "pin=true"));
      case "pin" -> pin(o.get("api"), o.get("cid"), Long.parseLong(o.get("bytes")));
      default -> throw new IllegalArgumentException("unknown step " + args[0]);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new java.util.HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    return o;
  }

  /** {@code mib} MiB: test blocks (1 MiB) {@code seed * 2^32} onwards, so files of other seeds share no chunk. */
  private static void file(Path out, int mib, long seed) throws IOException {
    TestBlocks blocks = new TestBlocks(1 << 20);
    try (OutputStream os = Files.newOutputStream(out)) {
      for (int i = 0; i < mib; i++) {
        os.write(blocks.data((seed << 32) + i));
      }
    }
    System.out.println("{\"file\":\"" + out + "\",\"bytes\":" + ((long) mib << 20) + "}");
  }

  private static void sha256(Path file) throws IOException, NoSuchAlgorithmException {
    long size = Files.size(file);
    byte[] buf = new byte[1 << 20];
    double best = 0;
    for (int round = 0; round < 3; round++) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      long start = System.nanoTime();
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      md.digest();
      best = Math.max(best, size / 1e6 / ((System.nanoTime() - start) / 1e9));
    }
    System.out.printf("{\"step\":\"sha256\",\"bytes\":%d,\"mbPerSec\":%.1f}%n", size, best);
  }

  private static void add(String api, Path file, String query) throws IOException, InterruptedException {
    String boundary = "dagload" + System.nanoTime();
    String name = file.getFileName().toString();
    long size = Files.size(file);
    HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/v0/add?" + query))
        .timeout(Duration.ofHours(1))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
          try {
            return new SequenceInputStream(Collections.enumeration(List.of(
                text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"),
                Files.newInputStream(file),
                text("\r\n--" + boundary + "--\r\n"))));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })).build();
    long start = System.nanoTime();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    double seconds = (System.nanoTime() - start) / 1e9;
    if (r.statusCode() != 200) {
      throw new IOException("add answered " + r.statusCode() + ": " + r.body());
    }
    String root = null;
    Matcher m = HASH.matcher(r.body());
    while (m.find()) {
      root = m.group(1);
    }
    if (root == null) {
      throw new IOException("add answered no Hash: " + r.body());
    }
    System.out.printf("{\"step\":\"add\",\"query\":\"%s\",\"bytes\":%d,\"seconds\":%.3f,\"mbPerSec\":%.1f,\"root\":\"%s\"}%n",
        query, size, seconds, size / 1e6 / seconds, root);
  }

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void pin(String api, String cid, long bytes) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/v0/pin/add?arg=" + cid + "&recursive=true&progress=true"))
        .timeout(Duration.ofHours(1)).POST(HttpRequest.BodyPublishers.noBody()).build();
    long start = System.nanoTime();
    HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    long progress = 0;
    int lines = 0;
    StringBuilder last = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines++;
        Matcher m = PROGRESS.matcher(line);
        if (m.find()) {
          progress = Long.parseLong(m.group(1));
        }
        last.setLength(0);
        last.append(line);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String error = r.headers().firstValue("X-Stream-Error").orElse("");
    if (r.statusCode() != 200 || !error.isEmpty()) {
      throw new IOException("pin/add answered " + r.statusCode() + " " + error + ": " + last);
    }
    System.out.printf("{\"step\":\"pin\",\"bytes\":%d,\"seconds\":%.3f,\"mbPerSec\":%.1f,\"blocks\":%d,\"lines\":%d}%n",
        bytes, seconds, bytes / 1e6 / seconds, progress, lines);
  }
}
