package io.cairn.console.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.node.net.IpPrefix;
import io.cairn.node.net.RefusalLog;
import io.cairn.rpc.http.HostAllowList;
import io.cairn.rpc.http.OriginPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The Web Console's security provider. The console (Felix Web Console 5) asks it about every request
 * under {@code /system/console}, pages and resources alike, and requires it by id
 * ({@code felix.webconsole.security.providers=cairn} in {@code conf/cairn.properties}): without it the
 * console does not answer at all, so its built-in {@code admin}/{@code admin} is never in force.
 *
 * <p>In order: the {@code Host} must be allowed (403: DNS rebinding), the {@code Origin} or
 * {@code Referer} must be the console's own or allowed (403: another site's page), the client address
 * must not be waiting after failed logins (429 with {@code Retry-After}), and HTTP Basic credentials
 * must match the user and the password in the password file (401 asks for them).
 */
@Component(service = SecurityProvider.class, immediate = true, configurationPid = ConsoleSecurity.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurity.PROVIDER_ID, "service.ranking:Integer=1000"})
@Designate(ocd = ConsoleSecurityConfig.class)
public final class ConsoleSecurity implements SecurityProvider {
  public static final String PID = "io.cairn.console";
  /** The id the console is told to require ({@code felix.webconsole.security.providers}). */
  public static final String PROVIDER_ID = "cairn";
  /** The password file's name in the node home when {@code passwordFile} is empty. */
  public static final String DEFAULT_PASSWORD_FILE = "console.password";
  static final String REALM = "Cairn Web Console";
  /** The refusals logged, one window each: a refused Host, a refused Origin, a failed login. */
  static final String HOSTS = "allowedHosts";
  static final String ORIGINS = "allowedOrigins";
  static final String LOGINS = "failedLogins";
  /** Where a client address that is not an IP literal is counted: all such together. */
  private static final IpPrefix UNKNOWN_CLIENT = new IpPrefix(false, 0, 0, 0);

  private record Settings(String username, Path passwordFile, HostAllowList hosts, OriginPolicy origins,
      LoginBackoff backoff, RefusalLog refusals) {}

  private final Logger log;
  private final Path home;
  private final String apiHost;
  private final LongSupplier clock;
  private volatile Settings settings;
  private volatile ConsolePassword password;

  @Activate
  public ConsoleSecurity(BundleContext context, @Reference(service = LoggerFactory.class) Logger log,
      ConsoleSecurityConfig config) throws IOException {
    this(Path.of(context.getProperty("cairn.path")), context.getProperty("cairn.api.host"), log, config,
        () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
  }

  /** @param clock monotonic milliseconds: the back-off and the refusal log measure intervals on it */
  ConsoleSecurity(Path home, String apiHost, Logger log, ConsoleSecurityConfig config, LongSupplier clock) throws IOException {
    this.log = log;
    this.home = home;
    this.apiHost = apiHost;
    this.clock = clock;
    Settings initial = Configs.validate(PID, config, this::settings, log)
        .orElseGet(() -> settings(Configs.defaults(ConsoleSecurityConfig.class)));
    this.settings = initial;
    this.password = loadPassword(initial.passwordFile());
  }

  @Modified
  void modified(ConsoleSecurityConfig config) throws IOException {
    Settings next = Configs.validate(PID, config, this::settings, log).orElse(null);
    if (next == null) {
      return;
    }
    if (!next.passwordFile().equals(settings.passwordFile())) {
      password = loadPassword(next.passwordFile());
    }
    settings = next;
  }

  private Settings settings(ConsoleSecurityConfig c) {
    String username = c.username() == null ? "" : c.username().strip();
    if (username.isEmpty() || username.contains(":")) {
      throw new InvalidConfigException("username", "must be a name without ':'");
    }
    String file = c.passwordFile() == null ? "" : c.passwordFile().strip();
    Path passwordFile = file.isEmpty() ? home.resolve(DEFAULT_PASSWORD_FILE) : home.resolve(file);
    List<String> hosts = new ArrayList<>();
    if (apiHost != null && !apiHost.isBlank()) {
      try {
        hosts.add(HostAllowList.validate(apiHost));
      } catch (IllegalArgumentException notAName) {
        // 0.0.0.0 and the like: listening everywhere names no host
      }
    }
    for (String h : split(c.allowedHosts())) {
      try {
        hosts.add(HostAllowList.validate(h));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("allowedHosts", e.getMessage());
      }
    }
    List<String> origins = new ArrayList<>();
    for (String o : split(c.allowedOrigins())) {
      try {
        origins.add(OriginPolicy.validate(o));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("allowedOrigins", e.getMessage());
      }
    }
    long first = Configs.inRange("loginBackoffMillis", c.loginBackoffMillis(), 1, 60_000);
    long max = Configs.inRange("maxLoginBackoffMillis", c.maxLoginBackoffMillis(), 1000, 86_400_000);
    if (max < first) {
      throw new InvalidConfigException("maxLoginBackoffMillis", "must be at least loginBackoffMillis (" + first + ")");
    }
    int tracked = (int) Configs.inRange("trackedClients", c.trackedClients(), 1, 1_000_000);
    long interval = Configs.inRange("refusalLogIntervalMillis", c.refusalLogIntervalMillis(), 0, 3_600_000);
    return new Settings(username, passwordFile, new HostAllowList(hosts), new OriginPolicy(origins),
        new LoginBackoff(first, max, tracked),
        new RefusalLog(log, Duration.ofMillis(interval), List.of(HOSTS, ORIGINS, LOGINS), () -> clock.getAsLong() * 1_000_000));
  }

  private static List<String> split(String[] values) {
    return values == null ? List.of()
        : Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).filter(v -> !v.isEmpty()).toList();
  }

  private ConsolePassword loadPassword(Path file) throws IOException {
    ConsolePassword.Loaded loaded = ConsolePassword.load(file);
    if (loaded.created()) {
      log.info("Web Console password generated in {} (user {})", file, settings.username());
    }
    String loose = ConsolePassword.looseMode(file);
    if (loose != null) {
      log.warn("{} can be read by others ({}): chmod 600 it", file, loose);
    }
    return loaded.password();
  }

  @Override
  public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
    Settings s = settings;
    long now = clock.getAsLong();
    String client = request.getRemoteAddr();
    IpPrefix clientKey = clientKey(client);
    String host = request.getHeader("Host");
    try {
      if (!s.hosts().permits(host)) {
        s.refusals().refused(HOSTS, "Web Console: refused a request for Host {} from {} (not an allowed host: add it to"
            + " allowedHosts of {} if it is yours)", printable(host), client, PID);
        refuse(response, 403, "403 - Forbidden: this console does not answer to the host " + printable(host));
        return null;
      }
      String self = host == null || host.isEmpty() ? null : request.getScheme() + "://" + host;
      if (!s.origins().permits(request.getHeader("Origin"), request.getHeader("Referer"), self == null ? "" : self)) {
        s.refusals().refused(ORIGINS, "Web Console: refused a cross-site request from origin {} (client {})",
            printable(request.getHeader("Origin") != null ? request.getHeader("Origin") : request.getHeader("Referer")),
            client);
        refuse(response, 403, "403 - Forbidden: cross-site request");
        return null;
      }
      long wait = s.backoff().waitMillis(clientKey, now);
      if (wait > 0) {
        response.setHeader("Retry-After", Long.toString((wait + 999) / 1000));
        refuse(response, 429, "429 - Too Many Requests: wait " + ((wait + 999) / 1000) + " s after a failed login");
        return null;
      }
      String authorization = request.getHeader("Authorization");
      String[] credentials = basicCredentials(authorization);
      if (credentials == null) {
        challenge(response);
        return null;
      }
      if (credentials[0].equals(s.username()) && passwordMatches(credentials[1])) {
        s.backoff().succeeded(clientKey);
        return s.username();
      }
      long next = s.backoff().failed(clientKey, now);
      s.refusals().refused(LOGINS, "Web Console: failed login for user {} from {}; its next attempt must wait {} ms",
          printable(credentials[0]), client, next);
      challenge(response);
      return null;
    } catch (IOException e) {
      return null; // the client went away while we answered
    }
  }

  /**
   * The network a client's failed logins are counted under: its IPv4 address, or its IPv6 address's /64 (a
   * host can take any address of it). An address that is not an IP literal is counted with all such.
   */
  static IpPrefix clientKey(String remoteAddr) {
    String a = remoteAddr == null ? "" : remoteAddr.strip();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    int zone = a.indexOf('%');
    if (zone >= 0) {
      a = a.substring(0, zone);
    }
    if (a.isEmpty() || a.indexOf('/') >= 0) {
      return UNKNOWN_CLIENT;
    }
    try {
      IpPrefix address = IpPrefix.parse(a); // a literal only: never a name looked up
      return address.ipv6() ? new IpPrefix(true, 64, address.high(), address.low()) : address;
    } catch (IllegalArgumentException notAnAddress) {
      return UNKNOWN_CLIENT;
    }
  }

  private boolean passwordMatches(String candidate) {
    ConsolePassword current = password;
    if (current.stale()) {
      try {
        current = loadPassword(current.file());
        password = current;
      } catch (IOException e) {
        log.error("Web Console: cannot read the password file {} ({}); logins fail until it is fixed", current.file(), e.getMessage());
        return false;
      }
    }
    return current.matches(candidate);
  }

  /** {@code [user, password]} from {@code Authorization: Basic ...}; null when absent or malformed. */
  static String[] basicCredentials(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static void challenge(HttpServletResponse response) throws IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    refuse(response, 401, "401 - Unauthorized: the password is in the node home's " + DEFAULT_PASSWORD_FILE
        + " unless io.cairn.console's passwordFile names another file");
  }

  private static void refuse(HttpServletResponse response, int status, String text) throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain; charset=utf-8");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(text + "\n");
    response.flushBuffer();
  }

  /** A header value for a log line: at most 100 characters, control characters replaced. */
  private static String printable(String value) {
    if (value == null) {
      return "(none)";
    }
    String v = value.length() > 100 ? value.substring(0, 100) + "…" : value;
    return "'" + v.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  @Override
  public boolean authorize(Object user, String role) {
    return user != null;
  }

  @Override
  public void logout(HttpServletRequest request, HttpServletResponse response) {
    // HTTP Basic has no session to end: the browser forgets the credentials when it is closed.
  }
}
