package io.cairn.node.internal;

import io.cairn.node.NodeInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Resolves and creates the node home once; everything the node persists lives below it. */
@Component(service = NodeInfo.class)
public class NodeHome implements NodeInfo {
  private final Path home;
  private final String version;
  private final String commit;

  /** Manifest header the build fills with the git revision (see bnd.bnd). */
  static final String GIT_HEADER = "Cairn-Git-Revision";

  @Activate
  public NodeHome(BundleContext context) {
    this(resolve(context.getProperty(HOME_PROPERTY), System.getenv("CAIRN_PATH"), System.getProperty("user.home")),
        context.getBundle().getVersion(), context.getBundle().getHeaders("").get(GIT_HEADER));
  }

  NodeHome(Path home, Version bundleVersion, String commit) {
    this.home = ensureDirectory(home);
    this.commit = commit == null ? "" : commit.trim();
    this.version = bundleVersion.getMajor() + "." + bundleVersion.getMinor() + "." + bundleVersion.getMicro();
  }

  static Path resolve(String property, String env, String userHome) {
    String chosen = property != null && !property.isBlank() ? property : env;
    if (chosen == null || chosen.isBlank()) {
      return Path.of(userHome, ".cairn").toAbsolutePath();
    }
    if (chosen.startsWith("~/")) {
      return Path.of(userHome, chosen.substring(2)).toAbsolutePath();
    }
    return Path.of(chosen).toAbsolutePath();
  }

  private static Path ensureDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      return dir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the node home " + dir + " (set CAIRN_PATH to a writable folder)", e);
    }
  }

  @Override
  public Path home() {
    return home;
  }

  @Override
  public String commit() {
    return commit;
  }

  @Override
  public String version() {
    return version;
  }
}
