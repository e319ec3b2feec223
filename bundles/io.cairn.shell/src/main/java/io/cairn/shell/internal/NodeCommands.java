package io.cairn.shell.internal;

import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeInfo;
import java.util.Base64;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code cairn:id} and {@code cairn:version}. */
@Component(service = NodeCommands.class, property = {
    "osgi.command.scope=cairn", "osgi.command.function=id", "osgi.command.function=version"})
public class NodeCommands {
  private final NodeIdentity identity;
  private final NodeInfo node;

  @Activate
  public NodeCommands(@Reference NodeIdentity identity, @Reference NodeInfo node) {
    this.identity = identity;
    this.node = node;
  }

  public String id() {
    return "ID            " + identity.peerId()
        + "\nPublicKey     " + Base64.getEncoder().encodeToString(identity.publicKey().toProtobuf())
        + "\nAgentVersion  " + node.agentVersion()
        + "\nHome          " + node.home();
  }

  public String version() {
    String commit = node.commit().isEmpty() ? "" : " (" + node.commit() + ")";
    return "cairn " + node.version() + commit + " on Java " + Runtime.version();
  }
}
