package io.cairn.rpc.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;

/**
 * Opens the API's port only once the RPC servlet is in the HTTP whiteboard, so the first byte the port
 * accepts is answered by the RPC (503 while the node starts), never by the HTTP server's own 404.
 *
 * <p>Felix HTTP opens its connector before its whiteboard has registered any servlet, and it starts no server
 * at all without a connector of its own. So the launcher gives Felix an internal connector on a loopback port
 * nobody is told about ({@code org.apache.felix.http.host}, port 0), and the API's address goes to
 * {@code cairn.api.host} and {@code cairn.api.port}. Once the whiteboard's runtime lists the RPC servlet,
 * this component registers a {@link ConnectorFactory}: Felix adds and starts a connector bound to the API's
 * address with the internal connector's HTTP settings, and this component then stops the internal one (it
 * stays in the server, stopped, so that a later activation still finds Felix's settings on it) and publishes
 * the bound endpoint as {@value #ENDPOINT} on that registration (port 0 takes a free port).
 *
 * <p>Nothing polls: the runtime is asked at activation and again on each of its MODIFIED events (Felix raises
 * {@code service.changecount} when a servlet comes or goes, at once with
 * {@code org.apache.felix.http.whiteboard.changecount.delay=0}, as {@code cairn.properties} sets it). The
 * events are delivered on Felix's thread; the runtime is asked on this component's own thread.
 */
@Component(immediate = true)
public final class ApiListener {
  /** The service property with the API's endpoint once it listens, e.g. {@code http://127.0.0.1:5001/}. */
  public static final String ENDPOINT = "cairn.api.endpoint";
  static final String HOST = "cairn.api.host";
  static final String PORT = "cairn.api.port";
  private static final long WAIT_SECONDS = 300;
  /** The name of the API's connector, so that it is never taken for Felix's internal one. */
  static final String API_CONNECTOR = "cairn-api";

  private final BundleContext context;
  private final HttpServiceRuntime runtime;
  private final Logger log;
  private final String host;
  private final int port;
  /** One thread: the runtime is asked there, one change at a time. Null when the API is not to listen. */
  private final ScheduledExecutorService looks;
  private final ServiceListener onChange = event -> {
    if (event.getType() == ServiceEvent.MODIFIED) {
      look();
    }
  };
  private volatile boolean closed;
  /** Whether the port was opened (or its opening failed): touched on {@link #looks} only. */
  private boolean opened;
  private ServiceRegistration<ConnectorFactory> registration;
  private volatile ServerConnector connector;

  @Activate
  public ApiListener(BundleContext context, @Reference HttpServiceRuntime runtime,
      @Reference(service = LoggerFactory.class) Logger log) {
    this.context = context;
    this.runtime = runtime;
    this.log = log;
    this.host = context.getProperty(HOST);
    String p = context.getProperty(PORT);
    int parsed = -1;
    try {
      parsed = p == null ? -1 : Integer.parseInt(p.strip());
    } catch (NumberFormatException e) {
      parsed = -1;
    }
    this.port = parsed;
    if (host == null || host.isBlank() || port < 0 || port > 65535) {
      log.error("The RPC API does not listen: framework properties {}={} and {}={} must be a host and a port 0-65535",
          HOST, host, PORT, p);
      looks = null;
      return;
    }
    looks = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("cairn-api-listener").factory());
    try {
      // Listening before the first look: a change between the two is not missed.
      context.addServiceListener(onChange, "(objectClass=" + HttpServiceRuntime.class.getName() + ")");
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e); // a constant filter
    }
    look();
    looks.schedule(() -> {
      if (!opened) {
        log.error("The RPC API does not listen: the RPC servlet was not in the HTTP whiteboard after {} s", WAIT_SECONDS);
      }
    }, WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Deactivate
  void deactivate() throws InterruptedException {
    closed = true;
    if (looks != null) {
      context.removeServiceListener(onChange);
      looks.shutdownNow();
      looks.awaitTermination(10, TimeUnit.SECONDS);
    }
    synchronized (this) {
      if (registration != null) {
        try {
          registration.unregister();
        } catch (IllegalStateException alreadyGone) {
          // The framework is stopping.
        }
        registration = null;
      }
    }
  }

  /** Asks the runtime, on {@link #looks}, whether the RPC servlet is there, and opens the port once it is. */
  private void look() {
    try {
      looks.execute(() -> {
        if (!opened && !closed && rpcServletRegistered()) {
          opened = true;
          open();
        }
      });
    } catch (RejectedExecutionException deactivated) {
      // An event after deactivation: nothing to open.
    }
  }

  /** Whether the whiteboard lists the RPC servlet: from then on it answers every request under its prefix. */
  private boolean rpcServletRegistered() {
    for (ServletContextDTO c : runtime.getRuntimeDTO().servletContextDTOs) {
      for (ServletDTO s : c.servletDTOs) {
        if (s.patterns != null && List.of(s.patterns).contains(RpcServlet.PREFIX + "/*")) {
          return true;
        }
      }
    }
    return false;
  }

  private synchronized void open() {
    if (closed) {
      return;
    }
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("cairn.api.address", host + ":" + port);
    registration = context.registerService(ConnectorFactory.class, this::createConnector, props);
    // Felix started the connector while registering: it listens now, or it failed (Felix logged why).
    ServerConnector c = connector;
    if (c == null || !c.isStarted() || c.getLocalPort() <= 0) {
      log.error("The RPC API could not listen on {}:{} (the HTTP server's log says why)", host, port);
      return;
    }
    closeInternalConnectors(c);
    props.put(ENDPOINT, endpoint(c.getLocalPort()));
    registration.setProperties(props);
    log.info("The RPC API listens at {}", props.get(ENDPOINT));
  }

  private Connector createConnector(Server server) {
    ServerConnector internal = null;
    for (Connector c : server.getConnectors()) {
      if (c instanceof ServerConnector s && !API_CONNECTOR.equals(c.getName())) {
        internal = s;
      }
    }
    HttpConfiguration http = internal == null ? new HttpConfiguration()
        : internal.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
    HttpConnectionFactory factory = new HttpConnectionFactory(http);
    if (internal != null) {
      factory.setInputBufferSize(internal.getConnectionFactory(HttpConnectionFactory.class).getInputBufferSize());
    }
    ServerConnector c = internal == null ? new ServerConnector(server, factory)
        : new ServerConnector(server, internal.getAcceptors(), internal.getSelectorManager().getSelectorCount(), factory);
    c.setName(API_CONNECTOR);
    c.setHost(host);
    c.setPort(port);
    if (internal != null) {
      c.setIdleTimeout(internal.getIdleTimeout());
    }
    connector = c;
    return c;
  }

  /**
   * Felix's own connector is on a loopback port only Felix needed: once the API listens, nothing uses it. It
   * is stopped, not removed: its HTTP settings are Felix's, which the API's connector takes again when this
   * component is activated anew.
   */
  private void closeInternalConnectors(ServerConnector api) {
    for (Connector c : api.getServer().getConnectors()) {
      if (c != api && !c.isStopped()) {
        try {
          c.stop();
        } catch (Exception e) {
          log.warn("Could not close the HTTP server's internal connector {}", c, e);
        }
      }
    }
  }

  private String endpoint(int boundPort) {
    String h = host;
    try {
      InetAddress a = InetAddress.getByName(host);
      if (a.isAnyLocalAddress()) {
        // Listening everywhere: loopback of the same family is an address a local client can dial.
        h = a instanceof java.net.Inet6Address ? "::1" : "127.0.0.1";
      }
    } catch (UnknownHostException e) {
      // A name: announce it as configured.
    }
    if (h.contains(":")) {
      h = "[" + h + "]";
    }
    return "http://" + h + ":" + boundPort + "/";
  }
}
