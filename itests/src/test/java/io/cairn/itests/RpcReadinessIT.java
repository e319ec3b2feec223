package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@code bin/cairn daemon}, polled from the moment it is launched: no command ever answers 404 before it
 * works (the node answers 503 until every command is registered, and writes its {@code api} file after);
 * then, on the ready node, the RPC's hardening: HTTP/1.0, bodies cut short, the {@code timeout} option of
 * {@code cat} and {@code block/get}, and a cheap command answered while hundreds wait for blocks no peer has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcReadinessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final byte[] BLOCK = "a block put while the node starts".getBytes(StandardCharsets.UTF_8);
  /** The command the pollers hammer; "no/such/command" is the control that must end as 404. */
  private static final List<String> COMMANDS = List.of("version", "id", "block/put", "pin/add", "add", "swarm/peers");
  private static final String UNKNOWN = "no/such/command";

  /** One request of a poller: when it was sent, whether the api file existed then, and the answer (-1: none). */
  record Seen(String path, long sent, long answered, boolean apiFileBefore, int status, String type, String body) {
    boolean starting() {
      return status == 503 && body.contains("node is starting");
    }

    @Override
    public String toString() {
      return path + " -> " + status + " " + type + " " + body.substring(0, Math.min(100, body.length())).strip()
          + (apiFileBefore ? " (api file written)" : "");
    }
  }

  private Path home;
  private CairnProcess node;
  private String base;
  private Rpc rpc;
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  void launchAndPollFromTheStart() throws Exception {
    home = CairnOptions.tempDir("cairn-ready");
    int port = CairnOptions.freePort();
    base = "http://127.0.0.1:" + port;
    String blockCid = Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, BLOCK)).toString();
    node = CairnProcess.daemon(home, "--api-address", "127.0.0.1:" + port, "--swarm-address", "/ip4/127.0.0.1/tcp/0");
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> pollers = new ArrayList<>();
    List<String> paths = new ArrayList<>(COMMANDS);
    paths.add(UNKNOWN);
    for (String path : paths) {
      HttpRequest request = request(path, blockCid);
      pollers.add(Thread.ofPlatform().name("poll-" + path).start(() -> {
        while (!stop.get()) {
          boolean apiFile = Files.exists(home.resolve("api"));
          long sent = System.nanoTime();
          try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            seen.add(new Seen(path, sent, System.nanoTime(), apiFile, r.statusCode(),
                r.headers().firstValue("Content-Type").orElse(""), r.body()));
          } catch (IOException e) {
            // Not listening yet.
            Thread.onSpinWait();
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(home.resolve("api")) && System.nanoTime() < deadline && node.isAlive()) {
      Thread.sleep(5);
    }
    assertTrue(Files.exists(home.resolve("api")), "the node never became ready:\n" + node.output());
    // Keep polling a while on the ready node: every command must answer for real now.
    long after = System.nanoTime();
    while (paths.stream().anyMatch(p -> answeredAfter(p, after) < 5) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    stop.set(true);
    for (Thread t : pollers) {
      t.join(30_000);
    }
    base = node.awaitRpcBase(10);
    rpc = new Rpc(base);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.terminate(30);
    }
  }

  private long answeredAfter(String path, long after) {
    synchronized (seen) {
      return seen.stream().filter(s -> s.path().equals(path) && s.sent() > after).count();
    }
  }

  private HttpRequest request(String path, String blockCid) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v0/" + switch (path) {
      case "block/put" -> "block/put?cid-codec=raw";
      case "pin/add" -> "pin/add?timeout=5s&arg=" + blockCid;
      default -> path;
    })).timeout(Duration.ofSeconds(30));
    if (path.equals("block/put") || path.equals("add")) {
      String boundary = "readinessBoundary";
      byte[] body = multipart(boundary, BLOCK);
      return b.header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }
    return b.POST(HttpRequest.BodyPublishers.noBody()).build();
  }

  private static byte[] multipart(String boundary, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  // ---- readiness

  @Test
  void noCommandEverAnswered404BeforeItWorked() {
    List<Seen> all;
    synchronized (seen) {
      all = List.copyOf(seen);
    }
    // The port opens only once the RPC servlet is in the whiteboard (io.cairn.rpc's ApiListener): from the
    // first connection it accepts, every answer is 503 (starting) or the command's own, never a 404.
    List<String> wrong = new ArrayList<>();
    int starting = 0;
    for (Seen s : all) {
      boolean command = !s.path().equals(UNKNOWN);
      if (s.starting()) {
        starting++;
        JsonNode error = parse(s.body());
        if (error == null || error.path("Code").asInt(-1) != 0 || !error.path("Type").asText().equals("error")) {
          wrong.add("503 without Kubo's error body: " + s);
        }
        if (s.apiFileBefore()) {
          long firstAfterApi = all.stream().filter(Seen::apiFileBefore).mapToLong(Seen::sent).min().orElse(0);
          wrong.add("503 after the api file was written (sent " + (s.sent() - firstAfterApi) / 1_000_000 + " ms after the first such request, answered after "
              + (s.answered() - s.sent()) / 1_000_000 + " ms): " + s);
        }
      } else if (s.status() == 404 && command) {
        wrong.add("404 for a command that exists: " + s);
      } else if (s.status() == 503) {
        wrong.add("503 that is not the node starting: " + s);
      } else if (!command && s.status() != 404) {
        wrong.add("an unknown command, once ready, is 404: " + s);
      }
    }
    assertEquals(List.of(), wrong, "every answer is 503 (starting) or the command's own");
    assertTrue(starting > 0, "the pollers started too late to see the node starting (" + all.size() + " answers)");
    for (String path : COMMANDS) {
      List<Seen> ready = all.stream().filter(s -> s.path().equals(path) && s.apiFileBefore()).toList();
      assertFalse(ready.isEmpty(), path + " was never asked once the node was ready");
      for (Seen s : ready) {
        assertTrue(s.status() == 200 || s.status() == 500 && path.equals("pin/add"), "after ready: " + s);
      }
    }
    System.out.printf("readiness: %d answers, %d of them 503 while starting%n", all.size(), starting);
  }

  // ---- hardening, on the ready node

  @Test
  void overHttp10BlockRmRemovesAndAnswers() throws Exception {
    String cid = putBlock("removed over HTTP/1.0");
    String answer = raw("POST /api/v0/block/rm?arg=" + cid + " HTTP/1.0\r\nHost: x\r\n\r\n", false);
    assertTrue(answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.0 200"), answer);
    assertFalse(answer.toLowerCase().contains("trailer:"), answer);
    assertTrue(answer.endsWith("{\"Hash\":\"" + cid + "\"}\n"), answer);
    assertEquals(500, rpc.post("/api/v0/block/stat?arg=" + cid).statusCode(), "the block is gone");
  }

  @Test
  void aBodyCutShortIsAClientErrorAndNothingIsDone() throws Exception {
    String cid = putBlock("kept: the request to remove it broke off");
    String answer = raw("POST /api/v0/block/rm?arg=" + cid + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nten bytes.", true);
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(answer.contains("\"Code\":1") && answer.contains("did not arrive whole"), answer);
    assertEquals(200, rpc.post("/api/v0/block/stat?arg=" + cid).statusCode(), "the block is still there");
  }

  @Test
  void catAndBlockGetHonourTheTimeout() throws Exception {
    String missing = randomCid();
    for (String command : List.of("cat", "block/get")) {
      HttpResponse<String> r = rpc.post("/api/v0/" + command + "?arg=" + missing + "&timeout=500ms", Duration.ofSeconds(50));
      assertEquals(500, r.statusCode(), command + ": " + r.body());
      assertEquals("context deadline exceeded", JSON.readTree(r.body()).path("Message").asText(), command + ": " + r.body());
    }
  }

  @Test
  void aCheapCommandAnswersWhileHundredsWaitForBlocksNoPeerHas() throws Exception {
    int waiting = 220;
    List<Socket> sockets = new ArrayList<>();
    java.util.Set<String> missing = new java.util.HashSet<>();
    try {
      for (int i = 0; i < waiting; i++) {
        String cid = randomCid();
        missing.add(cid);
        Socket s = new Socket();
        URI uri = URI.create(base);
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        s.getOutputStream().write(("POST /api/v0/block/get?arg=" + cid + " HTTP/1.1\r\nHost: x\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        sockets.add(s);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
      int wanted = 0;
      while (wanted < waiting && System.nanoTime() < deadline) {
        wanted = 0;
        for (JsonNode key : JSON.readTree(rpc.post("/api/v0/bitswap/wantlist").body()).path("Keys")) {
          wanted += missing.contains(key.path("/").asText()) ? 1 : 0;
        }
        Thread.sleep(20);
      }
      assertEquals(waiting, wanted, "every block/get waits for its block");
      HttpResponse<String> id = rpc.post("/api/v0/id");
      assertEquals(200, id.statusCode(), id.body());
      for (Socket s : sockets) {
        assertEquals(0, s.getInputStream().available(), "id was answered while every block/get still waited");
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private String putBlock(String text) throws Exception {
    HttpResponse<String> put = rpc.putBlock(text.getBytes(StandardCharsets.UTF_8), "?cid-codec=raw");
    assertEquals(200, put.statusCode(), put.body());
    return JSON.readTree(put.body()).path("Key").asText();
  }

  /** A raw exchange over one connection: the whole answer, read to the end. */
  private String raw(String request, boolean halfClose) throws IOException {
    URI uri = URI.create(base);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      if (halfClose) {
        s.shutdownOutput();
      }
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String randomCid() throws Exception {
    byte[] data = new byte[32];
    new SecureRandom().nextBytes(data);
    return Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, data)).toString();
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
