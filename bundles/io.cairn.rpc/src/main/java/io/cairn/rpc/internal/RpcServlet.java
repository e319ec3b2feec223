package io.cairn.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.node.NodeInfo;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.rpc.MalformedBodyException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
 */
@Component(service = Servlet.class, configurationPid = RpcServlet.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RpcServerConfig.class)
@HttpWhiteboardServletPattern(RpcServlet.PREFIX + "/*")
@HttpWhiteboardServletAsyncSupported
public class RpcServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  public static final String PID = "io.cairn.rpc";
  static final String PREFIX = "/api/v0";

  private final transient ObjectMapper json = new ObjectMapper();
  private final transient CommandRoutes routes = new CommandRoutes();
  private final transient Logger log;
  private final String serverHeader;
  private volatile transient Settings settings;

  /** The validated, immutable form of {@link RpcServerConfig}. */
  record Settings(OriginPolicy origins, int maxArguments, MultipartReader.Limits multipart) {
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
      return new Settings(new OriginPolicy(origins), maxArguments, multipart);
    }
  }

  @Activate
  public RpcServlet(@Reference NodeInfo node, @Reference(service = LoggerFactory.class) Logger log, RpcServerConfig config) {
    this.log = log;
    this.serverHeader = node.agentVersion();
    this.settings = Settings.of(Configs.defaults(RpcServerConfig.class));
    apply(config);
  }

  @Modified
  void modified(RpcServerConfig config) {
    apply(config);
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
    try {
      answer(req, resp);
    } finally {
      Object registry = metrics;
      if (registry != null) {
        HttpMetrics.count(registry, req.getMethod(), resp.getStatus(), System.nanoTime() - start);
      }
    }
  }

  private void answer(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String method = req.getMethod();
    Settings s = settings;
    if (!s.origins().permits(req.getHeader("Origin"), req.getHeader("Referer"), serverOrigin(req))) {
      plain(resp, 403, "403 - Forbidden");
      return;
    }
    if ("OPTIONS".equals(method)) {
      resp.setStatus(204);
      return;
    }
    String path = CommandRoutes.normalise(req.getPathInfo());
    Optional<RpcCommand> command = path == null ? Optional.empty() : routes.find(path);
    if (command.isEmpty()) {
      plain(resp, 404, "404 page not found");
      return;
    }
    if (!"POST".equals(method)) {
      resp.setHeader("Allow", "POST");
      plain(resp, 405, "405 - Method Not Allowed");
      return;
    }
    HttpRpcResponse answer = new HttpRpcResponse(resp, json, serverHeader);
    try {
      Map<String, String[]> parameters = parseQuery(req.getQueryString());
      List<String> args = Arrays.asList(parameters.getOrDefault("arg", new String[0]));
      if (args.size() > s.maxArguments()) {
        throw RpcException.client("too many arguments: " + args.size() + " (at most " + s.maxArguments() + ")");
      }
      HttpRpcRequest request = new HttpRpcRequest(path, args, parameters, req, s.multipart());
      request.timeout(); // a global option, as in Kubo: malformed is a client error for every command
      command.get().execute(request, answer);
    } catch (RpcException e) {
      fail(resp, answer, e);
    } catch (MalformedBodyException e) {
      fail(resp, answer, e.error());
    } catch (IOException e) {
      // The client went away or the body broke off: nothing more can be said to it.
      log.debug("RPC {}: {}", path, e.toString());
    } catch (RuntimeException e) {
      log.error("RPC " + path + " failed", e);
      fail(resp, answer, new RpcException(RpcException.Code.NORMAL, e.toString(), e));
    }
  }

  private void fail(HttpServletResponse resp, HttpRpcResponse answer, RpcException e) throws IOException {
    if (answer.started()) {
      answer.failStream(e.getMessage());
      return;
    }
    if (resp.isCommitted()) {
      return;
    }
    resp.reset();
    resp.setStatus(e.code().httpStatus());
    resp.setHeader("Server", serverHeader);
    resp.setContentType("application/json");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Message", e.getMessage());
    body.put("Code", e.code().value());
    body.put("Type", "error");
    byte[] bytes = json.writeValueAsBytes(body);
    resp.getOutputStream().write(bytes);
    resp.getOutputStream().write('\n');
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
