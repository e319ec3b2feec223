package io.cairn.blockstore.commands.internal;

import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.node.NodeIdentity;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Kubo's {@code config/show} and {@code config <key>}, read-only: Cairn's settings live in ConfigAdmin
 * (one file per PID), and these answer the keys tools look up. {@code Datastore.StorageMax} is the
 * capacity {@code repo/stat} reports; the addresses come from the framework properties
 * {@code cairn.api.address}, {@code cairn.gateway.address} and {@code cairn.swarm.address} (else the libp2p
 * host's {@code listenAddresses}), with Kubo's defaults where none is set.
 */
final class ConfigCommands {
  static final String API_PROPERTY = "cairn.api.address";
  static final String GATEWAY_PROPERTY = "cairn.gateway.address";
  static final String SWARM_PROPERTY = "cairn.swarm.address";
  static final String HOST_PID = "io.cairn.libp2p.host";

  private ConfigCommands() {}

  /** What both commands read, gathered at each request (addresses and capacity change live). */
  static final class Source {
    private final MultiTierBlockstore store;
    private final NodeIdentity identity;
    private final UnaryOperator<String> frameworkProperty;

    Source(MultiTierBlockstore store, NodeIdentity identity, UnaryOperator<String> frameworkProperty) {
      this.store = store;
      this.identity = identity;
      this.frameworkProperty = frameworkProperty;
    }

    Map<String, Object> document(ConfigurationAdmin configAdmin) throws RpcException {
      try {
        return NodeConfig.document(new NodeConfig.Facts(store.stats().capacityBytes(), identity.peerId().toString(),
            property(API_PROPERTY, NodeConfig.DEFAULT_API), property(GATEWAY_PROPERTY, NodeConfig.DEFAULT_GATEWAY),
            swarm(configAdmin)));
      } catch (IllegalArgumentException e) {
        throw RpcException.normal("the node's configuration is malformed: " + e.getMessage());
      }
    }

    private String property(String key, String fallback) {
      String value = frameworkProperty.apply(key);
      return value == null || value.isBlank() ? fallback : value;
    }

    private List<String> swarm(ConfigurationAdmin configAdmin) {
      String override = frameworkProperty.apply(SWARM_PROPERTY);
      if (override != null && !override.isBlank()) {
        return splitList(override);
      }
      if (configAdmin != null) {
        try {
          Configuration[] found = configAdmin.listConfigurations("(service.pid=" + HOST_PID + ")");
          Dictionary<String, Object> props = found == null || found.length == 0 ? null : found[0].getProperties();
          Object listen = props == null ? null : props.get("listenAddresses");
          if (listen instanceof String[] a && a.length > 0) {
            return Arrays.stream(a).flatMap(v -> splitList(v).stream()).toList();
          }
          if (listen instanceof String s && !s.isBlank()) {
            return splitList(s);
          }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
          // Not readable now: the default below is what the host uses without a configuration.
        }
      }
      return List.of(NodeConfig.DEFAULT_SWARM);
    }

    private static List<String> splitList(String value) {
      return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
  }

  /** {@code config/show}: the whole document. */
  @Component(property = RpcCommand.PATH + "=config/show")
  public static final class Show implements RpcCommand {
    private final Source source;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    @Activate
    public Show(@Reference MultiTierBlockstore store, @Reference NodeIdentity identity, BundleContext context) {
      this(new Source(store, identity, context::getProperty));
    }

    Show(Source source) {
      this.source = source;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      response.json(source.document(configAdmin));
    }
  }

  /**
   * {@code config <key>}: {@code {"Key", "Value"}}. Setting a value ({@code config <key> <value>}) is
   * refused: Cairn's settings are changed through ConfigAdmin, where they are validated.
   */
  @Component(property = RpcCommand.PATH + "=config")
  public static final class Get implements RpcCommand {
    private final Source source;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    @Activate
    public Get(@Reference MultiTierBlockstore store, @Reference NodeIdentity identity, BundleContext context) {
      this(new Source(store, identity, context::getProperty));
    }

    Get(Source source) {
      this.source = source;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      String key = request.requireArgument(0, "key");
      if (request.arguments().size() > 1 || request.option("bool").isPresent() || request.option("json").isPresent()) {
        throw RpcException.client("setting configuration is not supported here: Cairn's settings are changed "
            + "through ConfigAdmin (conf/<pid>.cfg, the Web Console or cairn:config)");
      }
      Object value;
      try {
        value = NodeConfig.lookup(source.document(configAdmin), key);
      } catch (IllegalArgumentException e) {
        throw RpcException.normal(e.getMessage());
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("Key", key);
      answer.put("Value", value);
      response.json(answer);
    }
  }
}
