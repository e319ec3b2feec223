package io.cairn.node;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** Facts about this node that do not change while it runs. */
@ProviderType
public interface NodeInfo {
  /**
   * Framework property naming the node home; the launcher sets it from {@code $CAIRN_PATH}, whose
   * default is {@code ~/.cairn}, as Kubo's {@code $IPFS_PATH}.
   */
  String HOME_PROPERTY = "cairn.path";

  /** The node home: identity key, blockstore, persisted configuration. Exists, mode 0700 where the file system has modes. */
  Path home();

  /** The release, {@code major.minor.micro}. */
  String version();

  /** The source revision this build came from (short git hash), or an empty string when unknown. */
  String commit();

  /** What identify and {@code /api/v0/id} announce: {@code cairn/<version>}. */
  default String agentVersion() {
    return "cairn/" + version();
  }
}
