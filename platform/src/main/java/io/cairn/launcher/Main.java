package io.cairn.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts a Cairn node: reads the framework properties, locks the node home, boots Felix with the
 * distribution's bundles, and prints who and where the node is once it answers.
 *
 * <pre>
 * bin/cairn [daemon] [--api-address HOST:PORT] [--path DIR] [--conf DIR] [-Dkey=value ...]
 * </pre>
 *
 * <p>Without a terminal on standard input (a service, {@code nohup}, CI, {@code < /dev/null}) there is
 * no one to type into the shell, and Gogo would read end-of-file and stop the node: the node then runs
 * as {@code daemon} does. {@code bin/cairn} tells the launcher with {@value #INTERACTIVE_PROPERTY}.
 */
public final class Main {
  static final String USAGE = """
      usage: cairn [daemon] [options]
        (no command)   run the node in the foreground with the Gogo shell
                       (without a terminal on stdin, as daemon)
        daemon         run the node without a shell; SIGTERM stops it cleanly
      options (each is also a property in conf/cairn.properties and an environment variable):
        --api-address HOST:PORT     HTTP RPC and Web Console   (cairn.api.address, CAIRN_API_ADDRESS)
        --swarm-address MULTIADDR   libp2p listen address(es)  (cairn.swarm.address, CAIRN_SWARM_ADDRESS)
        --gateway-address HOST:PORT trustless gateway          (cairn.gateway.address, CAIRN_GATEWAY_ADDRESS)
        --path DIR                  node home                  (cairn.path, CAIRN_PATH)
        --conf DIR                  configuration folder       (cairn.conf, CAIRN_CONF)
        --deploy DIR                hot-deploy folder          (cairn.deploy, CAIRN_DEPLOY)
        -Dkey=value                 any framework property
      """;

  /**
   * System property set by {@code bin/cairn}: {@code true} when standard input is a terminal. Without it
   * (the launcher started some other way) the JVM's own test decides: {@code System.console() != null}.
   */
  static final String INTERACTIVE_PROPERTY = "cairn.interactive";

  private final PrintStream out;
  private final PrintStream err;

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = new Main(System.out, System.err).run(Arrays.asList(args), System.getenv());
    System.exit(code);
  }

  int run(List<String> args, Map<String, String> env) {
    long launched = System.nanoTime();
    Map<String, String> props;
    boolean interactive;
    boolean noTerminal;
    try {
      Path dist = Path.of(System.getProperty("cairn.dist", ".")).toAbsolutePath().normalize();
      props = LauncherProperties.load(dist.resolve("conf/cairn.properties"));
      props.put("cairn.dist", dist.toString());
      LauncherProperties.applyEnvironment(props, env);
      List<String> rest = LauncherProperties.applyCommandLine(props, args);
      if (rest.contains("help") || rest.contains("-h")) {
        out.print(USAGE);
        return 0;
      }
      if (rest.size() > 1 || (rest.size() == 1 && !rest.get(0).equals("daemon"))) {
        err.print("cairn: unknown command " + rest + "\n" + USAGE);
        return 2;
      }
      interactive = runsShell(rest, isInteractive());
      noTerminal = rest.isEmpty() && !interactive;
      props.put("cairn.path", expandHome(props.getOrDefault("cairn.path", "~/.cairn")));
      props = LauncherProperties.substitute(props);
      NodeAddresses.applyApiAddress(props);
    } catch (IOException | IllegalArgumentException e) {
      err.println("cairn: " + e.getMessage());
      return 2;
    }
    props.put("gosh.args", interactive ? "" : "--nointeractive");
    return boot(props, launched, noTerminal);
  }

  /** Whether the node runs the Gogo shell: asked for (no {@code daemon}) and someone at a terminal to use it. */
  static boolean runsShell(List<String> commands, boolean interactive) {
    return commands.isEmpty() && interactive;
  }

  private static boolean isInteractive() {
    String told = System.getProperty(INTERACTIVE_PROPERTY);
    return told != null ? Boolean.parseBoolean(told) : System.console() != null;
  }

  private int boot(Map<String, String> props, long launched, boolean noTerminal) {
    Path home = Path.of(props.get("cairn.path"));
    try {
      if (!Files.isDirectory(home)) {
        // The home holds the identity key: owner only, as io.cairn.node would make it.
        Files.createDirectories(home, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      }
      Files.createDirectories(Path.of(props.get("cairn.deploy")));
    } catch (IOException e) {
      err.println("cairn: cannot create " + e.getMessage() + ": set CAIRN_PATH or --path to a writable folder");
      return 1;
    }
    try (FileChannel lockFile = FileChannel.open(home.resolve("repo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = tryLock(lockFile)) {
      if (lock == null) {
        err.println("cairn: another node is running with the home " + home + " (its repo.lock is held)");
        return 1;
      }
      Optional<String> unavailable = PortCheck.firstUnavailable(PortCheck.listeners(props));
      if (unavailable.isPresent()) {
        err.println("cairn: " + unavailable.get());
        return 1;
      }
      return runFramework(props, home, launched, noTerminal);
    } catch (IOException e) {
      err.println("cairn: cannot lock the node home " + home + ": " + e.getMessage());
      return 1;
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private int runFramework(Map<String, String> props, Path home, long launched, boolean noTerminal) {
    BundleCache cache = BundleCache.of(props);
    Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
        .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/ is incomplete)"))
        .newFramework(props);
    Path apiFile = home.resolve("api");
    Thread stopper = new Thread(() -> stop(framework, apiFile), "cairn-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      framework.init();
      WeavingScope.install(framework.getBundleContext(), props.get(WeavingScope.PROPERTY));
      List<Bundle> installed = installBundles(framework.getBundleContext(), Path.of(props.get("cairn.dist"), "bundle"));
      cache.installed();
      framework.start();
      List<String> afterReady = Arrays.asList(props.getOrDefault("cairn.start.after.ready", "").split("\\s*,\\s*"));
      List<Bundle> late = new ArrayList<>();
      for (Bundle b : inStartOrder(installed)) {
        if (afterReady.contains(b.getSymbolicName())) {
          late.add(b);
        } else {
          start(b);
        }
      }
      long timeoutSeconds = Long.parseLong(props.getOrDefault("cairn.start.timeout", "30"));
      Ready ready = awaitReady(framework.getBundleContext(), System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds));
      if (ready.missing() != null) {
        err.println("cairn: the node was not ready after " + timeoutSeconds + " s: " + ready.missing() + " (the log above says why)");
        return 1;
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
      String endpoint = ready.endpoint().endsWith("/") ? ready.endpoint() : ready.endpoint() + "/";
      Files.writeString(apiFile, NodeAddresses.toMultiaddr(URI.create(endpoint)) + "\n", StandardCharsets.UTF_8);
      out.println("Cairn " + framework.getBundleContext().getProperty("cairn.version") + " ready in " + millis + " ms");
      out.println("Peer ID      " + ready.peerId());
      out.println("RPC API      " + endpoint + "api/v0");
      out.println("Web Console  " + endpoint + "system/console " + consoleLogin(framework.getBundleContext(), home));
      out.println("Home         " + home);
      if (noTerminal) {
        out.println("Shell        none: standard input is not a terminal, so the node runs as `cairn daemon` (SIGTERM stops it)");
      }
      out.flush();
      late.forEach(this::start);
      FrameworkEvent stopped = framework.waitForStop(0);
      return stopped.getType() == FrameworkEvent.ERROR ? 1 : 0;
    } catch (BundleException | IOException | RuntimeException e) {
      err.println("cairn: the node failed to start: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
        stop(framework, apiFile);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already running the hook, which stops the framework.
      }
    }
  }

  private void start(Bundle b) {
    if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
      return;
    }
    try {
      // Transient: the cache keeps no "started" mark, so the next launch starts nothing before this
      // launcher has, in its order (extenders first, the shell after ready).
      b.start(Bundle.START_TRANSIENT);
    } catch (BundleException e) {
      err.println("cairn: bundle " + b.getSymbolicName() + " did not start: " + e.getMessage());
    }
  }

  private List<Bundle> installBundles(BundleContext context, Path dir) throws BundleException, IOException {
    List<Path> jars;
    try (var files = Files.list(dir)) {
      jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
    List<Bundle> installed = new ArrayList<>();
    for (Path jar : jars) {
      String location = jar.toUri().toString();
      Bundle cached = context.getBundle(location);
      installed.add(cached != null ? cached : context.installBundle(location));
    }
    return installed;
  }

  /**
   * Extenders first (SPI Fly, SCR), then pure ServiceLoader providers (an slf4j binding, which
   * provides and consumes nothing through ServiceLoader), then the rest: a bundle that looks up a
   * provider while starting (Jetty asks slf4j for its logger) must find it registered.
   */
  static List<Bundle> inStartOrder(List<Bundle> bundles) {
    List<Bundle> ordered = new ArrayList<>(bundles);
    ordered.sort(java.util.Comparator.comparingInt(Main::startRank));
    return ordered;
  }

  private static int startRank(Bundle b) {
    String provided = b.getHeaders().get(Constants.PROVIDE_CAPABILITY);
    if (hasNamespace(provided, "osgi.extender")) {
      return 0;
    }
    boolean consumer = hasNamespace(b.getHeaders().get(Constants.REQUIRE_CAPABILITY), "osgi.serviceloader");
    return hasNamespace(provided, "osgi.serviceloader") && !consumer ? 1 : 2;
  }

  /** Whether a Provide- or Require-Capability header has a clause in {@code namespace} (not merely its name in a value). */
  static boolean hasNamespace(String header, String namespace) {
    return header != null && java.util.regex.Pattern.compile("(^|,)\\s*" + java.util.regex.Pattern.quote(namespace) + "\\s*(;|,|$)")
        .matcher(header).find();
  }

  private static void stop(Framework framework, Path apiFile) {
    try {
      Files.deleteIfExists(apiFile);
    } catch (IOException ignored) {
      // The next start overwrites it.
    }
    if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
      return;
    }
    try {
      framework.stop();
      framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
    } catch (BundleException | InterruptedException e) {
      System.err.println("cairn: clean stop failed: " + e);
    }
  }

  private record Ready(String peerId, String endpoint, String missing) {}

  /**
   * The service io.cairn.node registers once every started bundle's components are satisfied and active
   * (io.cairn.node.NodeReady); named by its filter, since the launcher imports none of the node's packages.
   */
  static final String NODE_READY = "(objectClass=io.cairn.node.NodeReady)";

  /**
   * io.cairn.rpc's listener publishes the API's bound endpoint once it listens, which it does only after the
   * RPC servlet is in the whiteboard (so the port never answers the HTTP server's own 404).
   */
  static final String API_ENDPOINT = "(cairn.api.endpoint=*)";

  /**
   * Ready means: the identity is loaded, the API listens ({@link #API_ENDPOINT}), and the
   * node says it is ready ({@link #NODE_READY}): every command is registered, so the {@code api} file and
   * the banner never announce an API that still answers 503 or 404.
   */
  private static Ready awaitReady(BundleContext context, long deadline) throws InterruptedException {
    String peerId = null;
    String endpoint = null;
    boolean nodeReady = false;
    while (true) {
      peerId = peerId != null ? peerId : firstProperty(context, "(cairn.peer.id=*)", "cairn.peer.id");
      endpoint = endpoint != null ? endpoint : firstProperty(context, API_ENDPOINT, "cairn.api.endpoint");
      nodeReady = nodeReady || firstProperty(context, NODE_READY, Constants.OBJECTCLASS) != null;
      if (peerId != null && endpoint != null && nodeReady) {
        return new Ready(peerId, endpoint, null);
      }
      if (System.nanoTime() > deadline) {
        return new Ready(peerId, endpoint, peerId == null ? "no node identity"
            : endpoint == null ? "no HTTP server endpoint"
            : "its components are not all active (io.cairn.node.NodeReady was not registered)");
      }
      if ((context.getBundle().getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
        return new Ready(peerId, endpoint, "the framework was stopped while starting");
      }
      Thread.sleep(10);
    }
  }

  /**
   * Where the console's password is: io.cairn.console's {@code passwordFile} when configured (relative to
   * the home), else {@code console.password} in the home, which it generates on first start.
   */
  static String consoleLogin(BundleContext context, Path home) {
    String filter = "(webconsole.security.provider.id=cairn)";
    String file = firstProperty(context, filter, "passwordFile");
    String user = firstProperty(context, filter, "username");
    Path password = home.resolve(file == null || file.isBlank() ? "console.password" : file.strip());
    return "(user " + (user == null || user.isBlank() ? "admin" : user.strip()) + ", password in " + password + ")";
  }

  private static String firstProperty(BundleContext context, String filter, String key) {
    try {
      if ((context.getBundle().getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
        return null;
      }
      ServiceReference<?>[] refs = context.getAllServiceReferences(null, filter);
      if (refs == null) {
        return null;
      }
      Object value = refs[0].getProperty(key);
      if (value instanceof String[] a) {
        return a.length == 0 ? null : a[0];
      }
      if (value instanceof Collection<?> c) {
        return c.isEmpty() ? null : String.valueOf(c.iterator().next());
      }
      return value == null ? null : value.toString();
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    } catch (IllegalStateException stopped) {
      return null; // the framework stopped between the check and the look-up
    }
  }

  static String expandHome(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return System.getProperty("user.home") + path.substring(1);
    }
    return new File(path).getAbsolutePath();
  }
}
