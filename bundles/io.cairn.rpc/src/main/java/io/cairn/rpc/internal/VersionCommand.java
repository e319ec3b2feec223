package io.cairn.rpc.internal;

import io.cairn.node.NodeInfo;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code version}: Kubo's fields; {@code Golang} carries the Java runtime, the field a client reads for the platform's language. */
@Component(property = RpcCommand.PATH + "=version")
public class VersionCommand implements RpcCommand {
  /** The repository layout version of the node home; bumped when its format changes. */
  static final String REPO_VERSION = "1";

  private final NodeInfo node;

  @Activate
  public VersionCommand(@Reference NodeInfo node) {
    this.node = node;
  }

  @Override
  public void execute(RpcRequest request, RpcResponse response) throws IOException {
    response.json(describe(node));
  }

  static Map<String, Object> describe(NodeInfo node) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("Version", node.version());
    v.put("Commit", node.commit());
    v.put("Repo", REPO_VERSION);
    v.put("System", goArch(System.getProperty("os.arch")) + "/" + System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_'));
    v.put("Golang", "java" + Runtime.version().feature() + "/" + Runtime.version());
    return v;
  }

  /** Go's names for the architectures, which Kubo reports. */
  static String goArch(String javaArch) {
    return switch (javaArch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> javaArch;
    };
  }
}
