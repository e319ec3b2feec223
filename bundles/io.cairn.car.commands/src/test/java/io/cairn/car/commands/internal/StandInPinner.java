package io.cairn.car.commands.internal;

import io.cairn.dag.DagService;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.pin.PinException;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * A stand-in for the pinner (built in parallel on branch pin): a recursive pin walks the DAG locally with
 * the real DAG service and is recorded only if every block was there, as the Pinner contract says.
 */
final class StandInPinner implements Pinner {
  final List<Cid> pinned = new CopyOnWriteArrayList<>();
  private final DagService dag;

  StandInPinner(DagService dag) {
    this.dag = dag;
  }

  @Override
  public CompletableFuture<Void> pin(Cid root, PinType type, int maxDepth, String name, LongConsumer progress) {
    return dag.walk(List.of(root), WalkOptions.local().withMaxDepth(maxDepth), (b, d) -> true).done()
        .handle((r, e) -> {
          if (e != null) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new CompletionException(new PinException("pinning " + root + " failed: " + cause.getMessage()));
          }
          pinned.add(root);
          return null;
        });
  }
}
