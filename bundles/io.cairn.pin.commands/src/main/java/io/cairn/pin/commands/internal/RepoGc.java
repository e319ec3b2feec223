package io.cairn.pin.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.pin.GarbageCollector;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Kubo's {@code repo/gc}: NDJSON {@code {"Key":{"/":cid}}} per block removed, as it is removed. With
 * {@code stream-errors=true} each failure is a line {@code {"Key":null,"Error":"..."}} as well and the run
 * goes on, ending in Kubo's "encountered errors during gc run"; without, failures are gathered into the
 * stream's closing error. A run that cannot start or stops while marking is an error before any line.
 * ({@code quiet} only shortens Kubo's text output; the JSON is the same.)
 */
@Component(property = RpcCommand.PATH + "=repo/gc")
public final class RepoGc implements RpcCommand {
  static final String ERRORS = "encountered errors during gc run";

  private final GarbageCollector collector;

  @Activate
  public RepoGc(@Reference GarbageCollector collector) {
    this.collector = collector;
  }

  @Override
  public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
    boolean streamErrors = request.flag("stream-errors", false);
    request.flag("quiet", false); // accepted, as Kubo's JSON does not change with it
    AtomicReference<CompletableFuture<GarbageCollector.Result>> run = new AtomicReference<>();
    AtomicReference<String> lastError = new AtomicReference<>();
    // Lines are written from the collector's thread, one at a time; the first written opens the stream.
    AtomicReference<RpcResponse.JsonLines> lines = new AtomicReference<>();
    GarbageCollector.Listener listener = new GarbageCollector.Listener() {
      @Override
      public void removed(Cid cid, long bytes) {
        write(Map.of("Key", Map.of("/", cid.toString())));
      }

      @Override
      public void failed(Cid cid, String message) {
        lastError.set(message);
        if (streamErrors) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("Key", null);
          line.put("Error", message);
          write(line);
        }
      }

      private void write(Map<String, Object> line) {
        try {
          if (lines.get() == null) {
            lines.set(response.jsonLines());
          }
          lines.get().write(line);
        } catch (IOException e) {
          CompletableFuture<?> f = run.get();
          if (f != null) {
            f.cancel(true); // the client went away: stop between blocks
          }
        }
      }
    };
    CompletableFuture<GarbageCollector.Result> f = collector.collect(listener);
    run.set(f);
    GarbageCollector.Result result;
    try {
      result = f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw RpcException.normal("interrupted");
    } catch (ExecutionException | CancellationException e) {
      RpcException error = PinArgs.error(e);
      if (lines.get() == null) {
        throw error;
      }
      lines.get().fail(error.getMessage());
      return;
    }
    RpcResponse.JsonLines out = lines.get() == null ? response.jsonLines() : lines.get();
    if (result.errors() > 0) {
      out.fail(streamErrors || result.errors() > 1 ? ERRORS : lastError.get());
    }
  }
}
