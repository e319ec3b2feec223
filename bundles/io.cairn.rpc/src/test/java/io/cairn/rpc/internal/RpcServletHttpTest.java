package io.cairn.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The RPC servlet over real HTTP: readiness, HTTP/1.0, broken bodies, commands that wait, and timeouts. */
class RpcServletHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Bounds a test that would otherwise hang when the behaviour under test is missing. */
  private static final Duration HANG = Duration.ofSeconds(60);

  /** Answers {"Ran": n}: how often it ran; reads (and counts) its body when asked to. */
  static final class Counting implements RpcCommand {
    final AtomicInteger runs = new AtomicInteger();
    final boolean readsBody;
    volatile int bodyBytes = -1;

    Counting(boolean readsBody) {
      this.readsBody = readsBody;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      if (readsBody) {
        bodyBytes = request.body().readAllBytes().length;
      }
      int n = runs.incrementAndGet();
      RpcResponse.JsonLines lines = response.jsonLines();
      lines.write(Map.of("Ran", n));
    }
  }

  /** How a {@link Parked} command waits. */
  enum Wait {
    /** On a future bound to the request. */
    BOUND,
    /** On a future nobody cancels: only an interrupt ends the wait. */
    UNBOUND,
    /** Deaf to interrupts too, until released. */
    STUBBORN
  }

  /** Waits, as for a block no peer has, until the test releases it. */
  static final class Parked implements RpcCommand {
    final CompletableFuture<String> release = new CompletableFuture<>();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();
    final List<CompletableFuture<String>> bound = Collections.synchronizedList(new ArrayList<>());
    final boolean streamFirst;
    final Wait how;

    Parked(boolean streamFirst, Wait how) {
      this.streamFirst = streamFirst;
      this.how = how;
    }

    Parked() {
      this(false, Wait.BOUND);
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      try {
        CompletableFuture<String> wait = how == Wait.BOUND ? request.bind(new CompletableFuture<>()) : new CompletableFuture<>();
        bound.add(wait);
        release.thenAccept(wait::complete);
        RpcResponse.JsonLines lines = streamFirst ? response.jsonLines() : null;
        if (lines != null) {
          lines.write(Map.of("Progress", 1));
        }
        started.incrementAndGet();
        String value = how == Wait.STUBBORN ? release.join() : awaitInterruptibly(wait);
        if (lines != null) {
          lines.write(Map.of("Value", value));
        } else {
          response.json(Map.of("Value", value));
        }
      } finally {
        ended.incrementAndGet();
      }
    }

    private String awaitInterruptibly(CompletableFuture<String> wait) throws RpcException {
      try {
        return wait.get();
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw RpcException.normal("interrupted");
      } catch (CancellationException | ExecutionException e) {
        throw RpcException.normal("cancelled");
      }
    }
  }

  private static Map<?, ?> json(String body) throws IOException {
    return JSON.readValue(body, Map.class);
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + HANG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(5);
    }
  }

  // ---- readiness

  @Test
  void everyPathAnswers503UntilTheNodeIsReadyThenItsRealAnswer() throws Exception {
    try (TestServer server = new TestServer()) {
      Counting version = new Counting(false);
      server.command("version", version);
      for (String request : List.of(
          RawHttp.head("POST", "/api/v0/version", "HTTP/1.1", "Content-Length: 0\r\n"),
          RawHttp.head("POST", "/api/v0/block/put", "HTTP/1.1", "Content-Length: 0\r\n"),
          RawHttp.head("POST", "/api/v0/", "HTTP/1.1", "Content-Length: 0\r\n"),
          RawHttp.head("GET", "/api/v0/id", "HTTP/1.1", ""),
          RawHttp.head("OPTIONS", "/api/v0/pin/add", "HTTP/1.1", ""))) {
        RawHttp.Response r = RawHttp.exchange(server.port(), request);
        assertEquals(503, r.status(), request);
        Map<?, ?> error = json(r.body());
        assertTrue(((String) error.get("Message")).contains("node is starting"), r.body());
        assertEquals(0, error.get("Code"));
        assertEquals("error", error.get("Type"));
        assertEquals("1", r.header("Retry-After"));
      }
      assertEquals(0, version.runs.get(), "no command runs before the node is ready");

      server.ready();
      assertEquals(200, RawHttp.post(server.port(), "version").status());
      assertEquals(1, version.runs.get());
      assertEquals(404, RawHttp.post(server.port(), "block/put").status(), "an unknown command, once ready, is 404");
    }
  }

  @Test
  void aForbiddenOriginIsRefusedEvenWhileStarting() throws Exception {
    try (TestServer server = new TestServer()) {
      RawHttp.Response r = RawHttp.exchange(server.port(), RawHttp.head("POST", "/api/v0/version", "HTTP/1.1",
          "Origin: http://evil.example\r\nContent-Length: 0\r\n"));
      assertEquals(403, r.status());
    }
  }

  // ---- HTTP/1.0

  @Test
  void overHttp10TheCommandRunsAndAnswersWithoutTrailers() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Counting rm = new Counting(false);
      server.command("block/rm", rm);
      RawHttp.Response r = RawHttp.exchange(server.port(), RawHttp.head("POST", "/api/v0/block/rm?arg=x", "HTTP/1.0", ""));
      assertEquals(200, r.status(), r.toString());
      assertEquals("{\"Ran\":1}\n", r.body());
      assertNull(r.header("Trailer"), "HTTP/1.0 has no trailers to announce");
      assertEquals(1, rm.runs.get(), "the command ran, once");
      assertEquals(List.of(), server.errors());
    }
  }

  @Test
  void overHttp10AnErrorIsKubosErrorBody() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      server.command("fails", (request, response) -> {
        throw RpcException.client("bad argument");
      });
      RawHttp.Response r = RawHttp.exchange(server.port(), RawHttp.head("POST", "/api/v0/fails", "HTTP/1.0", ""));
      assertEquals(400, r.status());
      assertEquals(Map.of("Message", "bad argument", "Code", 1, "Type", "error"), json(r.body()));
    }
  }

  @Test
  void overHttp11AStreamErrorStillGoesIntoTheTrailer() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      server.command("half", (request, response) -> {
        response.jsonLines().write(Map.of("Progress", 1));
        throw RpcException.normal("broke half way");
      });
      RawHttp.Response r = RawHttp.post(server.port(), "half");
      assertEquals(200, r.status());
      assertEquals("X-Stream-Error", r.header("Trailer"));
      assertEquals("broke half way", r.trailers().get("x-stream-error"));
    }
  }

  // ---- broken bodies

  @Test
  void aBodyCutShortIsAClientErrorAndTheCommandDoesNotRun() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Counting rm = new Counting(false);
      server.command("block/rm", rm);
      byte[] request = (RawHttp.head("POST", "/api/v0/block/rm?arg=x", "HTTP/1.1", "Content-Length: 100\r\n")
          + "only forty bytes of the hundred promised").getBytes(StandardCharsets.ISO_8859_1);
      RawHttp.Response r = RawHttp.exchange(server.port(), request, true);
      assertEquals(400, r.status(), r.toString());
      Map<?, ?> error = json(r.body());
      assertEquals(1, error.get("Code"));
      assertTrue(((String) error.get("Message")).startsWith("the request body did not arrive whole"), r.body());
      assertEquals(0, rm.runs.get(), "a command never acts on a body that did not arrive whole");
    }
  }

  @Test
  void malformedChunkingIsAClientErrorAndTheCommandDoesNotRun() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Counting rm = new Counting(false);
      server.command("block/rm", rm);
      RawHttp.Response r = RawHttp.exchange(server.port(), RawHttp.head("POST", "/api/v0/block/rm?arg=x", "HTTP/1.1",
          "Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\nzz-not-a-size\r\nmore\r\n0\r\n\r\n");
      assertEquals(400, r.status(), r.toString());
      assertEquals(0, rm.runs.get(), "a command never acts on a body that did not arrive whole");
    }
  }

  @Test
  void anUploadCutShortPastTheReadAheadFailsWhereTheCommandReadsIt() throws Exception {
    try (TestServer server = new TestServer(Map.of("bodyReadAheadBytes", 16)).ready()) {
      Counting put = new Counting(true);
      server.command("block/put", put);
      byte[] request = (RawHttp.head("POST", "/api/v0/block/put", "HTTP/1.1", "Content-Length: 1000\r\n")
          + "x".repeat(500)).getBytes(StandardCharsets.ISO_8859_1);
      RawHttp.Response r = RawHttp.exchange(server.port(), request, true);
      assertEquals(400, r.status(), r.toString());
      assertTrue(json(r.body()).get("Message").toString().startsWith("the request body did not arrive whole"), r.body());
      assertEquals(0, put.runs.get(), "the command stopped where its body broke off");
    }
  }

  @Test
  void aWholeBodyReachesTheCommand() throws Exception {
    try (TestServer server = new TestServer(Map.of("bodyReadAheadBytes", 16)).ready()) {
      Counting put = new Counting(true);
      server.command("block/put", put);
      RawHttp.Response chunked = RawHttp.exchange(server.port(), RawHttp.head("POST", "/api/v0/block/put", "HTTP/1.1",
          "Transfer-Encoding: chunked\r\n") + "a\r\n0123456789\r\n14\r\n0123456789abcdefghij\r\n0\r\n\r\n");
      assertEquals(200, chunked.status(), chunked.toString());
      assertEquals(30, put.bodyBytes);
      RawHttp.Response sized = RawHttp.exchange(server.port(), RawHttp.head("POST", "/api/v0/block/put", "HTTP/1.1",
          "Content-Length: 5\r\n") + "hello");
      assertEquals(200, sized.status());
      assertEquals(5, put.bodyBytes);
    }
  }

  // ---- commands that wait hold no server thread

  @Test
  void manyCommandsWaitingOnTheNetworkLeaveTheServerAnsweringOthers() throws Exception {
    int parked = TestServer.JETTY_THREADS * 5;
    try (TestServer server = new TestServer().ready()) {
      Parked get = new Parked();
      Counting id = new Counting(false);
      server.command("block/get", get).command("id", id);
      List<Socket> waiting = new ArrayList<>();
      try {
        for (int i = 0; i < parked; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
          s.setSoTimeout(60_000);
          s.getOutputStream().write(RawHttp.head("POST", "/api/v0/block/get?arg=missing" + i, "HTTP/1.1",
              "Content-Length: 0\r\n").getBytes(StandardCharsets.ISO_8859_1));
          waiting.add(s);
        }
        assertTimeoutPreemptively(HANG, () -> {
          await(() -> get.started.get() == parked, parked + " block/gets waiting at once");
          RawHttp.Response answer = RawHttp.post(server.port(), "id");
          assertEquals(200, answer.status());
        });
        assertEquals(parked, server.servlet.inFlight(), "id was answered while every block/get still waited");
        assertEquals(0, get.ended.get());

        get.release.complete("found");
        for (Socket s : waiting) {
          RawHttp.Response r = RawHttp.parse(s.getInputStream().readAllBytes());
          assertEquals(200, r.status());
          assertEquals(Map.of("Value", "found"), json(r.body()));
        }
        await(() -> server.servlet.inFlight() == 0, "every command done");
      } finally {
        for (Socket s : waiting) {
          s.close();
        }
      }
    }
  }

  @Test
  void pastMaxCommandsInFlightARequestIsAnswered503AtOnce() throws Exception {
    try (TestServer server = new TestServer(Map.of("maxCommandsInFlight", 2)).ready()) {
      Parked get = new Parked();
      server.command("block/get", get).command("id", new Counting(false));
      List<CompletableFuture<RawHttp.Response>> two = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        CompletableFuture<RawHttp.Response> answer = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
          try {
            answer.complete(RawHttp.post(server.port(), "block/get?arg=missing"));
          } catch (IOException e) {
            answer.completeExceptionally(e);
          }
        });
        two.add(answer);
      }
      await(() -> get.started.get() == 2, "two block/gets waiting");
      RawHttp.Response refused = RawHttp.post(server.port(), "id");
      assertEquals(503, refused.status());
      assertEquals(3, json(refused.body()).get("Code"));
      get.release.complete("found");
      for (CompletableFuture<RawHttp.Response> f : two) {
        assertEquals(200, f.get().status());
      }
      await(() -> server.servlet.inFlight() == 0, "every command done");
      assertEquals(200, RawHttp.post(server.port(), "id").status(), "admitted again once they ended");
    }
  }

  // ---- timeout

  @Test
  void theTimeoutEndsACommandThatWaitsWithKubosContextDeadlineExceeded() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Parked get = new Parked();
      server.command("block/get", get);
      RawHttp.Response r = assertTimeoutPreemptively(HANG,
          () -> RawHttp.post(server.port(), "block/get?arg=missing&timeout=1s"));
      assertEquals(500, r.status());
      assertEquals(Map.of("Message", "context deadline exceeded", "Code", 0, "Type", "error"), json(r.body()));
      await(() -> server.servlet.inFlight() == 0, "the command's thread gone");
      // A command whose deadline passed before its thread ran is never started (a machine loaded enough
      // to delay a thread a whole second); one that started had its bound future cancelled.
      if (!get.bound.isEmpty()) {
        assertEquals(1, get.ended.get(), "the command ended");
        assertTrue(get.bound.get(0).isCancelled(), "the future the command bound was cancelled at the deadline");
      }
    }
  }

  @Test
  void theDeadlineInterruptsAWaitOnAnythingElse() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Parked cat = new Parked(false, Wait.UNBOUND);
      server.command("cat", cat);
      RawHttp.Response r = assertTimeoutPreemptively(HANG, () -> RawHttp.post(server.port(), "cat?arg=missing&timeout=200ms"));
      assertEquals("context deadline exceeded", json(r.body()).get("Message"));
      await(() -> cat.ended.get() == 1, "the command ended");
      assertEquals(1, cat.interrupted.get(), "its thread was interrupted at the deadline");
      assertFalse(cat.bound.get(0).isDone(), "an unbound future is the command's own");
    }
  }

  @Test
  void theDeadlineAnswersEvenWhenTheCommandIgnoresIt() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Parked stubborn = new Parked(false, Wait.STUBBORN);
      server.command("cat", stubborn);
      RawHttp.Response r = assertTimeoutPreemptively(HANG,
          () -> RawHttp.post(server.port(), "cat?arg=missing&timeout=200ms"));
      assertEquals(500, r.status());
      assertEquals("context deadline exceeded", json(r.body()).get("Message"));
      assertEquals(0, stubborn.ended.get(), "answered while the command still ran");
      stubborn.release.complete("late");
      await(() -> server.servlet.inFlight() == 0, "the command ended once released");
    }
  }

  @Test
  void aDeadlineAfterTheAnswerStartedGoesIntoTheTrailer() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Parked pin = new Parked(true, Wait.BOUND);
      server.command("pin/add", pin);
      RawHttp.Response r = assertTimeoutPreemptively(HANG,
          () -> RawHttp.post(server.port(), "pin/add?arg=x&timeout=300ms"));
      assertEquals(200, r.status());
      assertEquals("{\"Progress\":1}\n", r.body());
      assertEquals("context deadline exceeded", r.trailers().get("x-stream-error"));
    }
  }

  @Test
  void aCommandWhoseOwnWaitEndsAtTheDeadlineAnswersInKubosWords() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      server.command("block/get", (request, response) -> {
        // Its own wait, sized by the deadline, gives up when the deadline passes (as a bitswap fetch does).
        java.time.Instant deadline = request.deadline().orElseThrow();
        while (java.time.Instant.now().isBefore(deadline)) {
          Thread.onSpinWait();
        }
        throw RpcException.normal("block x is not local and no peer sent it within 200 ms");
      });
      RawHttp.Response r = RawHttp.post(server.port(), "block/get?arg=x&timeout=200ms");
      assertEquals(500, r.status());
      assertEquals("context deadline exceeded", json(r.body()).get("Message"));
    }
  }

  @Test
  void aCommandThatEndsInTimeIsNotTouched() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Parked get = new Parked();
      get.release.complete("here");
      server.command("block/get", get);
      RawHttp.Response r = RawHttp.post(server.port(), "block/get?arg=x&timeout=30s");
      assertEquals(200, r.status());
      assertEquals(Map.of("Value", "here"), json(r.body()));
      assertEquals(0, get.interrupted.get());
      assertFalse(get.bound.get(0).isCancelled());
    }
  }

  @Test
  void aMalformedTimeoutIsAClientError() throws Exception {
    try (TestServer server = new TestServer().ready()) {
      Counting id = new Counting(false);
      server.command("id", id);
      RawHttp.Response r = RawHttp.post(server.port(), "id?timeout=soon");
      assertEquals(400, r.status());
      assertEquals(0, id.runs.get());
    }
  }

}
