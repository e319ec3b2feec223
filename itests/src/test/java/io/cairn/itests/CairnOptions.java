package io.cairn.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The one place that says how an OSGi test framework is set up: the distribution's own bundle set
 * (platform/target/cairn/bundle, exactly what bnd resolved from the features), a fresh node home, a
 * free API port, and FileInstall watching a folder the test owns.
 */
public final class CairnOptions {
  private CairnOptions() {}

  /** The built distribution, {@code platform/target/cairn}. */
  public static Path dist() {
    return Path.of(System.getProperty("cairn.dist", "../platform/target/cairn")).toAbsolutePath().normalize();
  }

  /** The source tree's root (for configadmin/ and features/). */
  public static Path source() {
    return Path.of(System.getProperty("cairn.source", "..")).toAbsolutePath().normalize();
  }

  /** A node as the distribution runs it, with {@code conf} watched by FileInstall. */
  public static Option node(Path home, Path conf, int apiPort) {
    List<Option> options = new ArrayList<>();
    try (Stream<Path> jars = Files.list(dist().resolve("bundle"))) {
      jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> options.add(isFragment(p)
          ? bundle(p.toUri().toString()).noStart()
          : bundle(p.toUri().toString())));
    } catch (IOException e) {
      throw new UncheckedIOException("the distribution is not built: run the platform module first", e);
    }
    options.add(frameworkProperty("cairn.path").value(home.toString()));
    options.add(frameworkProperty("felix.cm.dir").value(home.resolve("config").toString()));
    options.add(frameworkProperty("cairn.api.host").value("127.0.0.1"));
    options.add(frameworkProperty("cairn.api.port").value(Integer.toString(apiPort)));
    // Felix HTTP's own connector, on a free loopback port, is closed once the API listens (see NodeAddresses).
    options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
    options.add(frameworkProperty("org.osgi.service.http.port").value("0"));
    options.add(frameworkProperty("felix.fileinstall.dir").value(conf.toString()));
    options.add(frameworkProperty("felix.fileinstall.filter").value(".*\\.(cfg|config|jar)"));
    options.add(frameworkProperty("felix.fileinstall.poll").value("100"));
    options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
    options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
    options.add(frameworkProperty("gosh.args").value("--nointeractive"));
    options.add(frameworkProperty("org.osgi.service.log.admin.loglevel").value("INFO"));
    // As conf/cairn.properties: component changes are announced at once, for the node's readiness check.
    options.add(frameworkProperty("ds.service.changecount.timeout").value("100"));
    // As conf/cairn.properties: the API port opens on the whiteboard's change event, without Felix's 2 s delay.
    options.add(frameworkProperty("org.apache.felix.http.whiteboard.changecount.delay").value("0"));
    options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")));
    options.add(junitBundles());
    return composite(options.toArray(Option[]::new));
  }

  /** Fragments (Netty's native epoll code) attach to their host and cannot be started. */
  private static boolean isFragment(Path jar) {
    try (java.util.jar.JarFile jf = new java.util.jar.JarFile(jar.toFile())) {
      return jf.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A folder for one test run's node home or config. */
  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The test's RPC client, on the port the framework was configured with. Pax Exam evaluates a test
   * class's static fields again inside the probe bundle, so the probe must read what {@link #node}
   * set rather than a field.
   */
  public static Rpc rpc(org.osgi.framework.BundleContext context) {
    return Rpc.onPort(Integer.parseInt(context.getProperty("cairn.api.port")));
  }

  /** The folder FileInstall watches, as {@link #node} set it (see {@link #rpc}). */
  public static Path watchedConf(org.osgi.framework.BundleContext context) {
    return Path.of(context.getProperty("felix.fileinstall.dir"));
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
