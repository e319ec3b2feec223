package io.cairn.rpc.internal;

import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PeerId;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeInfo;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code id}: who this node is, in Kubo's field names (ipfs-cluster reads {@code ID} and {@code Addresses}). */
@Component(property = RpcCommand.PATH + "=id")
public class IdCommand implements RpcCommand {
  private final NodeIdentity identity;
  private final NodeInfo node;

  @Activate
  public IdCommand(@Reference NodeIdentity identity, @Reference NodeInfo node) {
    this.identity = identity;
    this.node = node;
  }

  @Override
  public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
    if (!request.arguments().isEmpty()) {
      PeerId asked;
      try {
        asked = PeerId.parse(request.arguments().get(0));
      } catch (MultiformatException e) {
        throw RpcException.client("invalid peer id \"" + request.arguments().get(0) + "\": " + e.getMessage());
      }
      if (!asked.equals(identity.peerId())) {
        throw RpcException.normal("peer " + asked + " is not connected and there is no routing to find it");
      }
    }
    response.json(describe(identity, node));
  }

  static Map<String, Object> describe(NodeIdentity identity, NodeInfo node) {
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("ID", identity.peerId().toString());
    id.put("PublicKey", Base64.getEncoder().encodeToString(identity.publicKey().toProtobuf()));
    id.put("Addresses", List.of());
    id.put("AgentVersion", node.agentVersion());
    id.put("Protocols", List.of());
    return id;
  }
}
