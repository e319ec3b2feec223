package io.cairn.rpc.internal;

import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PeerId;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeInfo;
import io.cairn.node.NodeNetwork;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code id}: who this node is, in Kubo's field names (ipfs-cluster reads {@code ID} and {@code Addresses}). */
@Component(property = RpcCommand.PATH + "=id")
public class IdCommand implements RpcCommand {
  private final NodeIdentity identity;
  private final NodeInfo node;
  /** The network stack, when it runs: without it the node has no addresses or protocols to list. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile NodeNetwork network;

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
    response.json(describe(identity, node, network));
  }

  static Map<String, Object> describe(NodeIdentity identity, NodeInfo node, NodeNetwork network) {
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("ID", identity.peerId().toString());
    id.put("PublicKey", Base64.getEncoder().encodeToString(identity.publicKey().toProtobuf()));
    id.put("Addresses", network == null ? List.of() : network.announcedAddresses());
    id.put("AgentVersion", node.agentVersion());
    id.put("Protocols", network == null ? List.of() : network.protocols().stream().sorted().toList());
    return id;
  }
}
