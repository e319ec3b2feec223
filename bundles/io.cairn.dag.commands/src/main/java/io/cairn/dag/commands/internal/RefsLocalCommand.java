package io.cairn.dag.commands.internal;

import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.util.Iterator;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Kubo's {@code refs/local}: every block the blockstore holds, one NDJSON line {@code {"Ref": <cid>, "Err": ""}}
 * each, streamed as the store lists them (weakly consistent with puts and deletes meanwhile).
 */
@Component(service = RpcCommand.class, property = RpcCommand.PATH + "=refs/local")
public class RefsLocalCommand implements RpcCommand {
  private final MultiTierBlockstore store;

  @Activate
  public RefsLocalCommand(@Reference MultiTierBlockstore store) {
    this.store = store;
  }

  @Override
  public void execute(RpcRequest request, RpcResponse response) throws IOException {
    RpcResponse.JsonLines lines = response.jsonLines();
    try (Stream<Cid> keys = store.keys()) {
      for (Iterator<Cid> it = keys.iterator(); it.hasNext(); ) {
        lines.write(RefsCommand.line(it.next().toString(), ""));
      }
    }
  }
}
