package io.cairn.rpc.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.osgi.framework.BundleContext;
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
 * address with the internal connector's HTTP settings, and this component then closes the internal one and
 * publishes the bound endpoint as {@value #ENDPOINT} on that registration (port 0 takes a free port).
 */
@Component(immediate = true)
public final class ApiListener {
  /** The service property with the API's endpoint once it listens, e.g. {@code http://127.0.0.1:5001/}. */
  public static final String ENDPOINT = "cairn.api.endpoint";
  static final String HOST = "cairn.api.host";
  static final String PORT = "cairn.api.port";
  private static final long WAIT_SECONDS = 300;

  private final BundleContext context;
  private final HttpServiceRuntime runtime;
  private final Logger log;
  private final String host;
  private final int port;
  private final Thread waiter;
  private volatile boolean closed;
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
      waiter = null;
      return;
    }
    waiter = Thread.ofVirtual().name("cairn-api-listener").start(this::openOnceTheRpcIsThere);
  }

  @Deactivate
  void deactivate() throws InterruptedException {
    closed = true;
    if (waiter != null) {
      waiter.interrupt();
      waiter.join(TimeUnit.SECONDS.toMillis(10));
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

  private void openOnceTheRpcIsThere() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    try {
      while (!rpcServletRegistered()) {
        if (closed) {
          return;
        }
        if (System.nanoTime() > deadline) {
          log.error("The RPC API does not listen: the RPC servlet was not in the HTTP whiteboard after {} s", WAIT_SECONDS);
          return;
        }
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      return;
    }
    open();
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
      if (c instanceof ServerConnector s && c != connector) {
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
    c.setHost(host);
    c.setPort(port);
    if (internal != null) {
      c.setIdleTimeout(internal.getIdleTimeout());
    }
    connector = c;
    return c;
  }

  /** Felix's own connector is on a loopback port only Felix needed: once the API listens, nothing uses it. */
  private void closeInternalConnectors(ServerConnector api) {
    Server server = api.getServer();
    for (Connector c : server.getConnectors()) {
      if (c != api) {
        try {
          c.stop();
        } catch (Exception e) {
          log.warn("Could not close the HTTP server's internal connector {}", c, e);
        }
        server.removeConnector(c);
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
