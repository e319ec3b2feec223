package io.cairn.rpc.internal;

import io.cairn.node.NodeInfo;
import io.cairn.node.NodeReady;
import io.cairn.rpc.RpcCommand;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;

/**
 * The RPC servlet on an embedded Jetty 12 (the line Felix HTTP runs), with a small request thread pool so
 * that a command holding one shows; commands are bound as DS would bind them, and NodeReady is looked up in a registry of its own.
 */
final class TestServer implements AutoCloseable {
  /** Jetty's request threads: few, so that commands holding them would starve the server. */
  static final int JETTY_THREADS = 10;

  final RpcServlet servlet;
  final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Server jetty;
  private final int port;
  private final AtomicLong serviceIds = new AtomicLong(1);

  /** Whether {@code NodeReady} is in the registry the servlet looks it up in. */
  private final AtomicBoolean nodeReady = new AtomicBoolean();

  TestServer(Map<String, Object> config) throws Exception {
    servlet = new RpcServlet(node(), logger(log), config(config), registry());
    QueuedThreadPool pool = new QueuedThreadPool(JETTY_THREADS, 2);
    pool.setName("jetty-test");
    jetty = new Server(pool);
    ServerConnector connector = new ServerConnector(jetty, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, RpcServlet.PREFIX + "/*");
    jetty.setHandler(context);
    jetty.start();
    port = connector.getLocalPort();
  }

  TestServer() throws Exception {
    this(Map.of());
  }

  int port() {
    return port;
  }

  /** The node says it is ready: {@code NodeReady} is registered. */
  TestServer ready() {
    nodeReady.set(true);
    return this;
  }

  /** A framework whose registry holds {@code NodeReady} once {@link #ready} is called, and nothing else. */
  private BundleContext registry() {
    ServiceReference<?> reference = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ServiceReference.class}, (p, m, a) -> {
          throw new UnsupportedOperationException(m.getName());
        });
    return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
        (p, m, a) -> {
          if (m.getName().equals("getServiceReference") && a[0] == NodeReady.class) {
            return nodeReady.get() ? reference : null;
          }
          throw new UnsupportedOperationException(m.getName());
        });
  }

  TestServer command(String path, RpcCommand command) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(RpcCommand.PATH, path);
    properties.put("service.id", serviceIds.getAndIncrement());
    servlet.bindCommand(command, properties);
    return this;
  }

  /** Lines logged at ERROR. */
  List<String> errors() {
    synchronized (log) {
      return log.stream().filter(l -> l.startsWith("ERROR")).toList();
    }
  }

  @Override
  public void close() throws Exception {
    servlet.deactivate();
    jetty.stop();
  }

  static NodeInfo node() {
    return new NodeInfo() {
      @Override
      public Path home() {
        return Path.of(System.getProperty("java.io.tmpdir"));
      }

      @Override
      public String version() {
        return "0.1.0";
      }

      @Override
      public String commit() {
        return "";
      }
    };
  }

  static Logger logger(List<String> lines) {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, a) -> {
      if (a != null && a.length > 0 && a[0] instanceof String format) {
        lines.add(m.getName().toUpperCase() + " " + format + (a.length > 1 ? " " + java.util.Arrays.deepToString(
            java.util.Arrays.copyOfRange(a, 1, a.length)) : ""));
      }
      return m.getReturnType() == boolean.class ? false : null;
    });
  }

  static RpcServerConfig config(Map<String, Object> values) {
    return (RpcServerConfig) Proxy.newProxyInstance(RpcServerConfig.class.getClassLoader(),
        new Class<?>[] {RpcServerConfig.class}, (p, m, a) -> {
          if (m.getName().equals("annotationType")) {
            return RpcServerConfig.class;
          }
          return values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue();
        });
  }
}
