package io.cairn.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;

/**
 * The API's port opens when the whiteboard lists the RPC servlet, asked at activation and on each change of
 * the runtime (never polled), with Felix's HTTP settings, also after a re-activation. Felix HTTP is played by
 * a Jetty server with its internal connector, and a registry that adds a registered {@link ConnectorFactory}'s
 * connector to it as Felix does.
 */
class ApiListenerTest {
  private static final Duration HANG = Duration.ofSeconds(30);

  private Server jetty;
  private ServerConnector internal;
  private HttpConfiguration felixSettings;
  private volatile boolean servletListed;
  private final AtomicInteger asked = new AtomicInteger();
  private final List<ServiceListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Dictionary<String, ?>> published = new CopyOnWriteArrayList<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void felixHttp() throws Exception {
    jetty = new Server();
    felixSettings = new HttpConfiguration();
    felixSettings.setSendServerVersion(false);
    felixSettings.setRequestHeaderSize(4321);
    internal = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(felixSettings));
    internal.setHost("127.0.0.1");
    internal.setPort(0);
    jetty.addConnector(internal);
    jetty.start();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  void theRuntimeIsAskedAtActivationAndOnEachChangeNotPolled() throws Exception {
    ApiListener listener = new ApiListener(context(), runtime(), TestServer.logger(log));
    try {
      await(() -> asked.get() == 1, "asked at activation");
      runtimeModified();
      await(() -> asked.get() == 2, "asked on the change");
      assertTrue(published.isEmpty(), "no RPC servlet yet: no port");

      servletListed = true;
      runtimeModified();
      await(() -> endpoint() != null, "the API listens once the servlet is listed");
      assertEquals(3, asked.get(), "asked once at activation and once per change, never in between");
      assertEquals(List.of(), log.stream().filter(l -> l.startsWith("ERROR")).toList());
    } finally {
      listener.deactivate();
    }
    assertTrue(listeners.isEmpty(), "the listener is removed at deactivation");
  }

  @Test
  void theApiConnectorHasFelixsHttpSettingsAlsoAfterAReactivation() throws Exception {
    servletListed = true;
    ApiListener first = new ApiListener(context(), runtime(), TestServer.logger(log));
    await(() -> endpoint() != null, "the API listens");
    ServerConnector api = apiConnector();
    assertSame(felixSettings, settingsOf(api));
    assertTrue(internal.isStopped(), "Felix's internal port is closed once the API listens");
    first.deactivate();
    assertFalse(List.of(jetty.getConnectors()).contains(api), "Felix removed the factory's connector");

    published.clear();
    ApiListener second = new ApiListener(context(), runtime(), TestServer.logger(log));
    try {
      await(() -> endpoint() != null, "the API listens again");
      ServerConnector again = apiConnector();
      assertNotSame(api, again);
      assertSame(felixSettings, settingsOf(again), "Felix's settings, not Jetty's defaults");
      assertFalse(settingsOf(again).getSendServerVersion());
      assertEquals(4321, settingsOf(again).getRequestHeaderSize());
    } finally {
      second.deactivate();
    }
  }

  private String endpoint() {
    for (Dictionary<String, ?> p : published) {
      if (p.get(ApiListener.ENDPOINT) != null) {
        return (String) p.get(ApiListener.ENDPOINT);
      }
    }
    return null;
  }

  private ServerConnector apiConnector() {
    for (Connector c : jetty.getConnectors()) {
      if (c != internal) {
        ServerConnector s = (ServerConnector) c;
        assertEquals("http://127.0.0.1:" + s.getLocalPort() + "/", endpoint());
        return s;
      }
    }
    throw new AssertionError("no API connector");
  }

  private static HttpConfiguration settingsOf(ServerConnector c) {
    return c.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
  }

  private void runtimeModified() {
    ServiceReference<?> reference = proxy(ServiceReference.class, (m, a) -> null);
    for (ServiceListener l : listeners) {
      l.serviceChanged(new ServiceEvent(ServiceEvent.MODIFIED, reference));
    }
  }

  private HttpServiceRuntime runtime() {
    return proxy(HttpServiceRuntime.class, (m, a) -> {
      if (!m.equals("getRuntimeDTO")) {
        throw new UnsupportedOperationException(m);
      }
      asked.incrementAndGet();
      ServletDTO servlet = new ServletDTO();
      servlet.patterns = new String[] {RpcServlet.PREFIX + "/*"};
      ServletContextDTO context = new ServletContextDTO();
      context.servletDTOs = servletListed ? new ServletDTO[] {servlet} : new ServletDTO[0];
      RuntimeDTO dto = new RuntimeDTO();
      dto.servletContextDTOs = new ServletContextDTO[] {context};
      return dto;
    });
  }

  /** The framework as the listener sees it; a registered ConnectorFactory is added to the server as Felix does. */
  private BundleContext context() {
    return proxy(BundleContext.class, (m, a) -> switch (m) {
      case "getProperty" -> switch ((String) a[0]) {
        case ApiListener.HOST -> "127.0.0.1";
        case ApiListener.PORT -> "0";
        default -> null;
      };
      case "addServiceListener" -> {
        assertEquals("(objectClass=" + HttpServiceRuntime.class.getName() + ")", a[1]);
        yield listeners.add((ServiceListener) a[0]);
      }
      case "removeServiceListener" -> listeners.remove(a[0]);
      case "registerService" -> {
        Connector c = ((ConnectorFactory) a[1]).createConnector(jetty);
        jetty.addConnector(c);
        try {
          c.start();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        yield proxy(ServiceRegistration.class, (m2, a2) -> switch (m2) {
          case "setProperties" -> published.add((Dictionary<String, ?>) a2[0]);
          case "unregister" -> {
            try {
              c.stop();
            } catch (Exception e) {
              throw new AssertionError(e);
            }
            jetty.removeConnector(c);
            yield null;
          }
          default -> throw new UnsupportedOperationException(m2);
        });
      }
      default -> throw new UnsupportedOperationException(m);
    });
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + HANG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(5);
    }
  }

  interface Answer {
    Object answer(String method, Object[] args);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Answer answer) {
    return (T) Proxy.newProxyInstance(ApiListenerTest.class.getClassLoader(), new Class<?>[] {type},
        (p, m, a) -> switch (m.getName()) {
          case "hashCode" -> System.identityHashCode(p);
          case "equals" -> p == a[0];
          case "toString" -> type.getSimpleName();
          default -> answer.answer(m.getName(), a);
        });
  }
}
