package io.cairn.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.node.NodeInfo;
import io.cairn.node.NodeReady;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.http.OriginPolicy;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /api/v0/*}: Kubo's HTTP conventions (POST only, Origin check, error shape) in front of
 * whichever {@link RpcCommand} services are registered.
 *
 * <p>Until the node is ready ({@link NodeReady}) every path answers {@code 503} with Kubo's error body:
 * commands register one by one as their bundles start, and a client must not take a {@code 404} from that
 * moment for a command the node lacks. Each admitted request then runs on a thread of its own
 * ({@link CommandRun}), at most {@code maxCommandsInFlight} at once, bounded by its {@code timeout}.
 */
@Component(service = Servlet.class, configurationPid = RpcServlet.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RpcServerConfig.class)
@HttpWhiteboardServletPattern(RpcServlet.PREFIX + "/*")
@HttpWhiteboardServletAsyncSupported
public class RpcServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  public static final String PID = "io.cairn.rpc";
  static final String PREFIX = "/api/v0";

  private static final Map<String, String> RETRY_SOON = Map.of("Retry-After", "1");
  static final String STARTING = "the node is starting: its commands are not all registered yet; try again in a moment";

  private final transient ObjectMapper json = new ObjectMapper();
  private final transient CommandRoutes routes = new CommandRoutes();
  private final transient Logger log;
  private final String serverHeader;
  /** Every command's thread: virtual, so a command waiting on the network costs no platform thread. */
  private final transient ThreadFactory threads = Thread.ofVirtual().name("cairn-rpc-", 0).factory();
  /** Ends requests at their deadline. */
  private final transient ScheduledThreadPoolExecutor deadlines;
  /** The commands running now (at most {@code maxCommandsInFlight}). */
  private final transient Set<CommandRun> inFlight = ConcurrentHashMap.newKeySet();
  private final transient AtomicInteger inFlightCount = new AtomicInteger();
  private volatile transient Settings settings;

  /**
   * Whether {@link NodeReady} was seen in the registry; until then every request is answered 503. The registry
   * is asked, not a reference bound: the launcher sees NodeReady there and writes the {@code api} file a moment
   * before a binding's event would reach this component, and a request in that moment must not answer 503.
   * Ready stays ready ({@link NodeReady}'s contract), so once seen it is not asked again.
   */
  private volatile boolean ready;

  /** The validated, immutable form of {@link RpcServerConfig}. */
  record Settings(OriginPolicy origins, int maxArguments, MultipartReader.Limits multipart, int maxCommandsInFlight,
      int bodyReadAheadBytes) {
    static Settings of(RpcServerConfig config) {
      List<String> origins = new ArrayList<>();
      for (String o : Arrays.stream(config.allowedOrigins()).flatMap(v -> Arrays.stream(v.split(","))).toList()) {
        if (o.isBlank()) {
          continue;
        }
        try {
          origins.add(OriginPolicy.validate(o.trim()));
        } catch (IllegalArgumentException e) {
          throw new InvalidConfigException("allowedOrigins", e.getMessage());
        }
      }
      int maxArguments = (int) Configs.inRange("maxArguments", config.maxArguments(), 1, 1_000_000);
      MultipartReader.Limits multipart = new MultipartReader.Limits(
          (int) Configs.inRange("multipartMaxHeaderBytes", config.multipartMaxHeaderBytes(), 256,
              MultipartReader.Limits.MAX_HEADER_BYTES),
          (int) Configs.inRange("multipartMaxParts", config.multipartMaxParts(), 1, 100_000_000));
      int maxInFlight = (int) Configs.inRange("maxCommandsInFlight", config.maxCommandsInFlight(), 1, 1_000_000);
      int readAhead = (int) Configs.inRange("bodyReadAheadBytes", config.bodyReadAheadBytes(), 0, 16 * 1024 * 1024);
      return new Settings(new OriginPolicy(origins), maxArguments, multipart, maxInFlight, readAhead);
    }
  }

  /** Where {@link NodeReady} is looked up. */
  private final transient BundleContext context;

  @Activate
  public RpcServlet(@Reference NodeInfo node, @Reference(service = LoggerFactory.class) Logger log, RpcServerConfig config,
      BundleContext context) {
    this.context = context;
    this.log = log;
    this.serverHeader = node.agentVersion();
    this.settings = Settings.of(Configs.defaults(RpcServerConfig.class));
    this.deadlines = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "cairn-rpc-deadlines");
      t.setDaemon(true);
      return t;
    });
    // A request that ends first takes its deadline off the queue (a long timeout must not linger).
    deadlines.setRemoveOnCancelPolicy(true);
    apply(config);
  }

  @Modified
  void modified(RpcServerConfig config) {
    apply(config);
  }

  /** Whether the node is ready: {@link NodeReady} is registered, or was. */
  private boolean ready() {
    if (!ready) {
      try {
        ready = context.getServiceReference(NodeReady.class) != null;
      } catch (IllegalStateException stopping) {
        return false;
      }
    }
    return ready;
  }

  /** Ends the commands still running (as their deadline would) and stops the deadline timer. */
  @Deactivate
  void deactivate() {
    deadlines.shutdownNow();
    for (CommandRun run : inFlight) {
      run.end("the RPC server is stopping");
    }
  }

  /** Validates the whole configuration first; on any invalid key nothing changes. */
  private void apply(RpcServerConfig config) {
    Configs.validate(PID, config, Settings::of, log).ifPresent(s -> settings = s);
  }

  @Reference(service = RpcCommand.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindCommand(RpcCommand command, Map<String, Object> properties) {
    routes.add(command, properties);
  }

  void unbindCommand(RpcCommand command) {
    routes.remove(command);
  }

  /**
   * The node's metric registry, when the monitoring bundle runs. Typed {@code Object} so that this class
   * loads without the metrics packages (optional imports): only {@link HttpMetrics} casts it.
   */
  @Reference(service = com.codahale.metrics.MetricRegistry.class, cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  transient volatile Object metrics;

  List<String> commandPaths() {
    return routes.paths();
  }

  /** Every request is counted and timed once answered, as Kubo's ipfs_http_requests_total and request duration. */
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    long start = System.nanoTime();
    if (!answer(req, resp, start)) {
      count(req.getMethod(), resp.getStatus(), start);
    }
  }

  private void count(String method, int status, long start) {
    Object registry = metrics;
    if (registry != null) {
      HttpMetrics.count(registry, method, status, System.nanoTime() - start);
    }
  }

  /** Answers here, or hands the request to a {@link CommandRun} (then true: the run counts it when answered). */
  private boolean answer(HttpServletRequest req, HttpServletResponse resp, long start) throws IOException {
    Instant arrived = Instant.now();
    String method = req.getMethod();
    Settings s = settings;
    if (!s.origins().permits(req.getHeader("Origin"), req.getHeader("Referer"), serverOrigin(req))) {
      plain(resp, 403, "403 - Forbidden");
      return false;
    }
    if (!ready()) {
      ErrorAnswer.write(resp, json, serverHeader, 503, RpcException.Code.NORMAL, STARTING, RETRY_SOON);
      return false;
    }
    if ("OPTIONS".equals(method)) {
      resp.setStatus(204);
      return false;
    }
    String path = CommandRoutes.normalise(req.getPathInfo());
    Optional<RpcCommand> command = path == null ? Optional.empty() : routes.find(path);
    if (command.isEmpty()) {
      plain(resp, 404, "404 page not found");
      return false;
    }
    if (!"POST".equals(method)) {
      resp.setHeader("Allow", "POST");
      plain(resp, 405, "405 - Method Not Allowed");
      return false;
    }
    HttpRpcRequest request;
    try {
      Map<String, String[]> parameters = parseQuery(req.getQueryString());
      List<String> args = Arrays.asList(parameters.getOrDefault("arg", new String[0]));
      if (args.size() > s.maxArguments()) {
        throw RpcException.client("too many arguments: " + args.size() + " (at most " + s.maxArguments() + ")");
      }
      request = new HttpRpcRequest(path, args, parameters, req.getContentType(), s.multipart(), arrived);
    } catch (RpcException e) {
      ErrorAnswer.write(resp, json, serverHeader, e);
      return false;
    }
    if (inFlightCount.incrementAndGet() > s.maxCommandsInFlight()) {
      inFlightCount.decrementAndGet();
      ErrorAnswer.write(resp, json, serverHeader, 503, RpcException.Code.RATE_LIMITED, "too many requests in flight: "
          + s.maxCommandsInFlight() + " commands are running (maxCommandsInFlight of " + PID + ")", RETRY_SOON);
      return false;
    }
    CommandRun[] self = new CommandRun[1];
    CommandRun run = new CommandRun(command.get(), request, req, resp, json, serverHeader, s.bodyReadAheadBytes(), log,
        () -> {
          inFlight.remove(self[0]);
          inFlightCount.decrementAndGet();
        },
        status -> count(method, status, start));
    self[0] = run;
    inFlight.add(run);
    run.start(threads, deadlines);
    return true;
  }

  /** How many commands run now. */
  int inFlight() {
    return inFlightCount.get();
  }

  private static void plain(HttpServletResponse resp, int status, String text) throws IOException {
    resp.setStatus(status);
    resp.setContentType("text/plain; charset=utf-8");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.getWriter().write(text + "\n");
  }

  /** The origin the request actually reached (the socket, not the Host header, which a rebinding page controls). */
  private static String serverOrigin(HttpServletRequest req) {
    String addr = req.getLocalAddr();
    if (addr.indexOf(':') >= 0 && !addr.startsWith("[")) {
      addr = "[" + addr + "]";
    }
    return req.getScheme() + "://" + addr + ":" + req.getLocalPort();
  }

  /**
   * Parses the query without touching the body (which may be a streamed multipart upload).
   * Malformed escapes are a client error.
   */
  static Map<String, String[]> parseQuery(String query) throws RpcException {
    Map<String, List<String>> collected = new LinkedHashMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        collected.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
    Map<String, String[]> result = new LinkedHashMap<>();
    collected.forEach((k, v) -> result.put(k, v.toArray(String[]::new)));
    return result;
  }

  private static String decode(String s) throws RpcException {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw RpcException.client("malformed query string: " + e.getMessage());
    }
  }

}
