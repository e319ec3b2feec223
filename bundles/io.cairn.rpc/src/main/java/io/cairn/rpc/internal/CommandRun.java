package io.cairn.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.rpc.MalformedBodyException;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.osgi.service.log.Logger;

/**
 * One request's command, run on a thread of its own (a virtual thread), off the HTTP server's threads:
 * the servlet request goes asynchronous and the server's thread returns at once, so a command that waits
 * (for a block no peer has) holds no thread the server needs for other requests.
 *
 * <p>The request's deadline (its {@code timeout} option) bounds the command as go-ipfs-cmds' context
 * does. At the deadline the futures the command bound are cancelled and its thread is interrupted; if it
 * has not started its answer, the deadline takes the answer and sends Kubo's
 * {@code context deadline exceeded} (500) at once, whatever the command does after; if it has, the error
 * goes into the {@code X-Stream-Error} trailer.
 *
 * <p>Who answers is decided once ({@link #state}); the servlet request is completed when both the
 * command's thread has ended and the answer is written ({@link #toFinish}), never while the command may
 * still read the request.
 */
final class CommandRun {
  static final String DEADLINE_EXCEEDED = "context deadline exceeded";
  /** The command runs and has not answered. */
  private static final int RUNNING = 0;
  /** The command started its answer. */
  private static final int ANSWERING = 1;
  /** The deadline (or the server stopping) took the answer before the command started it. */
  private static final int TAKEN = 2;
  /** The command ended and its answer is settled. */
  private static final int DONE = 3;

  private final RpcCommand command;
  private final HttpRpcRequest request;
  private final HttpServletRequest http;
  private final HttpServletResponse resp;
  private final ObjectMapper json;
  private final String server;
  private final int readAhead;
  private final Logger log;
  private final Runnable onThreadEnd;
  private final IntConsumer onFinish;
  private final HttpRpcResponse answer;
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  /** The command's thread and the answer's writer: when both are done, the request completes. */
  private final AtomicInteger toFinish = new AtomicInteger(2);
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private volatile boolean ended;
  private volatile Thread thread;
  private volatile ScheduledFuture<?> deadlineTask;
  private volatile ThreadFactory threads;
  private volatile AsyncContext async;

  /**
   * @param readAhead how many bytes of the body to read before the command runs (see {@link RequestBody})
   * @param onThreadEnd called once the command's thread is done with it
   * @param onFinish called with the answer's status once the request is answered
   */
  CommandRun(RpcCommand command, HttpRpcRequest request, HttpServletRequest http, HttpServletResponse resp,
      ObjectMapper json, String server, int readAhead, Logger log, Runnable onThreadEnd, IntConsumer onFinish) {
    this.command = command;
    this.request = request;
    this.http = http;
    this.resp = resp;
    this.json = json;
    this.server = server;
    this.readAhead = readAhead;
    this.log = log;
    this.onThreadEnd = onThreadEnd;
    this.onFinish = onFinish;
    this.answer = new HttpRpcResponse(resp, json, server, hasTrailers(http.getProtocol()),
        () -> state.compareAndSet(RUNNING, ANSWERING));
  }

  /** HTTP/1.1 and later carry trailers; HTTP/1.0 (and 0.9) do not. */
  static boolean hasTrailers(String protocol) {
    return protocol != null && !protocol.equals("HTTP/1.0") && !protocol.equals("HTTP/0.9");
  }

  /**
   * Starts the command on a thread from {@code threads}, with its deadline on {@code timer}. The servlet
   * request goes asynchronous when it can; when it cannot (a filter in the chain does not allow it), this
   * waits here for the answer.
   */
  void start(ThreadFactory threads, ScheduledExecutorService timer) {
    this.threads = threads;
    if (http.isAsyncSupported()) {
      AsyncContext context = http.startAsync();
      // The command's deadline is the request's own; the container's default (30 s in Jetty) would cut
      // long commands (a pin) short.
      context.setTimeout(0);
      async = context;
    }
    Thread t = threads.newThread(this::run);
    thread = t;
    long left = request.nanosLeft();
    if (left != Long.MAX_VALUE) {
      try {
        deadlineTask = timer.schedule(() -> end(DEADLINE_EXCEEDED), Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException stopping) {
        end("the RPC server is stopping");
      }
    }
    t.start();
    if (async == null) {
      finished.join();
    }
  }

  /** The command's thread. */
  private void run() {
    RpcException failure = null;
    try {
      if (!ended) {
        if (hasBody(http)) {
          request.body(RequestBody.readAhead(http.getInputStream(), readAhead));
        }
        if (!ended) {
          command.execute(request, answer);
        }
      }
    } catch (RpcException e) {
      failure = e;
    } catch (MalformedBodyException e) {
      failure = e.error();
    } catch (IOException e) {
      // The client went away, or the deadline took the answer: nothing more can be said.
      log.debug("RPC {}: {}", request.path(), e.toString());
    } catch (RuntimeException | StackOverflowError e) {
      if (!ended) {
        log.error("RPC " + request.path() + " failed", e);
      }
      failure = new RpcException(RpcException.Code.NORMAL, e.toString(), e);
    } finally {
      request.end();
      ScheduledFuture<?> deadline = deadlineTask;
      if (deadline != null) {
        deadline.cancel(false);
      }
      onThreadEnd.run();
      settle(failure);
    }
  }

  /**
   * The command's thread, at its end: answers what the command left unsaid, if the answer is still its own.
   * A command that failed once its deadline had passed failed because its time ran out (its own wait gave up
   * at the same moment): that is answered in Kubo's words, as go-ipfs-cmds reports its context's error.
   */
  private void settle(RpcException failure) {
    // Within a millisecond: the wall clock a command's wait reads and the monotonic one read here differ by that much.
    if (failure != null && request.nanosLeft() <= TimeUnit.MILLISECONDS.toNanos(1)) {
      failure = RpcException.normal(DEADLINE_EXCEEDED);
    }
    if (state.compareAndSet(RUNNING, DONE)) {
      try {
        if (failure != null) {
          ErrorAnswer.write(resp, json, server, failure);
        }
      } catch (IOException | RuntimeException e) {
        log.debug("RPC {}: the error answer could not be sent: {}", request.path(), e.toString());
      } finally {
        arrive();
        arrive();
      }
    } else if (state.compareAndSet(ANSWERING, DONE)) {
      if (failure != null) {
        answer.failStream(failure.getMessage());
        if (!CommandRun.hasTrailers(http.getProtocol())) {
          log.debug("RPC {} over {}: the answer ends early, which HTTP/1.0 cannot tell: {}", request.path(),
              http.getProtocol(), failure.getMessage());
        }
      }
      arrive();
      arrive();
    } else {
      // TAKEN: the deadline's writer answers, and arrives for itself.
      arrive();
    }
  }

  /**
   * Ends the request early ({@code reason}: the deadline passed, or the server stops): cancels what the
   * command bound, interrupts its thread, and answers {@code reason} if the command has not started its
   * answer, else puts it in the trailer.
   */
  void end(String reason) {
    ended = true;
    // Who answers is settled first: the command, seeing its wait cancelled, must not answer "cancelled".
    if (state.compareAndSet(RUNNING, TAKEN)) {
      request.end();
      interrupt();
      Runnable writeAnswer = () -> {
        try {
          ErrorAnswer.write(resp, json, server, 500, RpcException.Code.NORMAL, reason, Map.of());
        } catch (IOException | RuntimeException e) {
          log.debug("RPC {}: the answer \"{}\" could not be sent: {}", request.path(), reason, e.toString());
        } finally {
          arrive();
        }
      };
      // Not on the timer's thread: writing may wait on the client.
      threads.newThread(writeAnswer).start();
    } else if (state.get() == ANSWERING) {
      answer.endStream(reason);
      request.end();
      interrupt();
    }
  }

  private void interrupt() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private void arrive() {
    if (toFinish.decrementAndGet() != 0) {
      return;
    }
    try {
      onFinish.accept(resp.getStatus());
    } finally {
      finished.complete(null);
      AsyncContext context = async;
      if (context != null) {
        try {
          context.complete();
        } catch (IllegalStateException alreadyCompleted) {
          // The container gave up on the request first (the connection broke).
        }
      }
    }
  }

  /** Whether the request declares a body: a length above zero, or chunks. */
  static boolean hasBody(HttpServletRequest http) {
    return http.getContentLengthLong() > 0 || "chunked".equalsIgnoreCase(http.getHeader("Transfer-Encoding"));
  }
}
