package io.cairn.rpc.internal;

import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeNetwork;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Kubo's {@code config/show} and {@code config <key>}, read-only, beside {@code id} and {@code version}:
 * Cairn's settings live in ConfigAdmin (one file per PID), and these answer the keys tools look up, each
 * from the service that owns it. {@code Datastore.StorageMax} is the blockstore's capacity (what
 * {@code repo/stat} reports); {@code Addresses.API} and {@code Addresses.Gateway} are the framework
 * properties {@code cairn.api.address} and {@code cairn.gateway.address} (Kubo's defaults where none is
 * set); {@code Addresses.Swarm} is what the libp2p host is set to listen on ({@link NodeNetwork}), or,
 * while no host runs, the {@code cairn.swarm.address} property.
 */
final class ConfigCommands {
  static final String API_PROPERTY = "cairn.api.address";
  static final String GATEWAY_PROPERTY = "cairn.gateway.address";
  static final String SWARM_PROPERTY = "cairn.swarm.address";

  private ConfigCommands() {}

  /** What both commands read, gathered at each request (addresses and capacity change live). */
  static final class Source {
    private final LongSupplier storageMax;
    private final NodeIdentity identity;
    private final Supplier<NodeNetwork> network;
    private final UnaryOperator<String> frameworkProperty;

    /**
     * @param network the libp2p host's view of the network, or null while none runs
     */
    Source(LongSupplier storageMax, NodeIdentity identity, Supplier<NodeNetwork> network,
        UnaryOperator<String> frameworkProperty) {
      this.storageMax = storageMax;
      this.identity = identity;
      this.network = network;
      this.frameworkProperty = frameworkProperty;
    }

    Map<String, Object> document() throws RpcException {
      try {
        return NodeConfig.document(new NodeConfig.Facts(storageMax.getAsLong(), identity.peerId().toString(),
            property(API_PROPERTY, NodeConfig.DEFAULT_API), property(GATEWAY_PROPERTY, NodeConfig.DEFAULT_GATEWAY),
            swarm()));
      } catch (IllegalArgumentException e) {
        throw RpcException.normal("the node's configuration is malformed: " + e.getMessage());
      }
    }

    private String property(String key, String fallback) {
      String value = frameworkProperty.apply(key);
      return value == null || value.isBlank() ? fallback : value;
    }

    private List<String> swarm() {
      NodeNetwork host = network.get();
      if (host != null) {
        return host.swarmAddresses();
      }
      String override = frameworkProperty.apply(SWARM_PROPERTY);
      return override == null ? List.of()
          : Arrays.stream(override.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /** {@code config <key>}'s answer; a request that tries to set a value (a second argument, --bool, --json) is refused. */
    Map<String, Object> answer(RpcRequest request) throws RpcException {
      String key = request.requireArgument(0, "key");
      if (request.arguments().size() > 1 || request.option("bool").isPresent() || request.option("json").isPresent()) {
        throw RpcException.client("setting configuration is not supported here: Cairn's settings are changed "
            + "through ConfigAdmin (conf/<pid>.cfg, the Web Console or cairn:config)");
      }
      Object value;
      try {
        value = NodeConfig.lookup(document(), key);
      } catch (IllegalArgumentException e) {
        throw RpcException.normal(e.getMessage());
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("Key", key);
      answer.put("Value", value);
      return answer;
    }
  }

  /** {@code config/show}: the whole document. */
  @Component(property = RpcCommand.PATH + "=config/show")
  public static final class Show implements RpcCommand {
    /** The network stack, when it runs: without it the swarm addresses are the property's, if any. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeNetwork network;
    private final Source source;

    @Activate
    public Show(@Reference MultiTierBlockstore store, @Reference NodeIdentity identity, BundleContext context) {
      source = new Source(() -> store.stats().capacityBytes(), identity, () -> network, context::getProperty);
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      response.json(source.document());
    }
  }

  /**
   * {@code config <key>}: {@code {"Key", "Value"}}. Setting a value ({@code config <key> <value>}) is
   * refused: Cairn's settings are changed through ConfigAdmin, where they are validated.
   */
  @Component(property = RpcCommand.PATH + "=config")
  public static final class Get implements RpcCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeNetwork network;
    private final Source source;

    @Activate
    public Get(@Reference MultiTierBlockstore store, @Reference NodeIdentity identity, BundleContext context) {
      source = new Source(() -> store.stats().capacityBytes(), identity, () -> network, context::getProperty);
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      response.json(source.answer(request));
    }
  }
}
