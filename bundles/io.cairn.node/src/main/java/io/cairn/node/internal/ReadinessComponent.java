package io.cairn.node.internal;

import io.cairn.node.NodeReady;
import io.cairn.node.config.Configs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Registers {@link NodeReady} once the node is ready as {@link Readiness} decides it, and has stayed so
 * for {@code settleMillis} with no bundle or service changing: start-up passes through moments when
 * everything started so far happens to be satisfied, and those do not count.
 *
 * <p>The state is looked at again after every bundle and service event (once things have been quiet for
 * the settle time), and every second while not ready, since some changes announce no event (a component
 * whose activation failed, one that provides no service). Once registered, {@link NodeReady} stays until
 * this component stops: the listeners are removed and nothing withdraws it, so a later hot deploy or a
 * reconfiguration never puts a running node back into {@code 503} (see {@link NodeReady}).
 */
@Component(configurationPid = ReadinessComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    immediate = true, service = {})
@Designate(ocd = ReadinessConfig.class)
public class ReadinessComponent {
  public static final String PID = "io.cairn.node.readiness";
  /** Framework property (conf/cairn.properties): bundles the launcher starts only once the node is ready. */
  static final String START_AFTER_READY = "cairn.start.after.ready";
  /** While not ready, how often the state is looked at again without an event. */
  private static final long RECHECK_MILLIS = 1_000;

  /** The validated, immutable form of {@link ReadinessConfig}. */
  record Settings(long settleMillis, long reportAfterSeconds) {
    static Settings of(ReadinessConfig config) {
      return new Settings(Configs.inRange("settleMillis", config.settleMillis(), 0, 60_000),
          Configs.inRange("reportAfterSeconds", config.reportAfterSeconds(), 1, 3_600));
    }
  }

  private final BundleContext context;
  private final ServiceComponentRuntime scr;
  private final Logger log;
  private final Set<String> startedAfterReady;
  private final long activated = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final BundleListener bundleListener = e -> changed();
  private final ServiceListener serviceListener = e -> changed();
  /** Bundle and service events seen, and when the last one came. */
  private final AtomicLong changes = new AtomicLong();
  private volatile long lastChange = System.nanoTime();
  /** A look is scheduled. */
  private final AtomicBoolean pending = new AtomicBoolean(true);
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private ServiceRegistration<NodeReady> registration;
  /** Guarded by {@link #lock}. */
  private boolean closed;
  private volatile Settings settings;
  private volatile boolean reported;

  @Activate
  public ReadinessComponent(BundleContext context, @Reference ServiceComponentRuntime scr,
      @Reference(service = LoggerFactory.class) Logger log, ReadinessConfig config) {
    this.context = context;
    this.scr = scr;
    this.log = log;
    this.settings = Configs.validate(PID, config, Settings::of, log)
        .orElseGet(() -> Settings.of(Configs.defaults(ReadinessConfig.class)));
    String late = context.getProperty(START_AFTER_READY);
    this.startedAfterReady = late == null ? Set.of()
        : Arrays.stream(late.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-readiness");
      t.setDaemon(true);
      return t;
    });
    context.addBundleListener(bundleListener);
    context.addServiceListener(serviceListener);
    timer.schedule(this::look, settings.settleMillis(), TimeUnit.MILLISECONDS);
    timer.schedule(this::report, settings.reportAfterSeconds(), TimeUnit.SECONDS);
  }

  @Modified
  void modified(ReadinessConfig config) {
    Configs.validate(PID, config, Settings::of, log).ifPresent(next -> settings = next);
  }

  @Deactivate
  void deactivate() {
    stopListening();
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ServiceRegistration<NodeReady> r;
    synchronized (lock) {
      closed = true;
      r = registration;
      registration = null;
    }
    if (r != null) {
      try {
        r.unregister();
      } catch (IllegalStateException alreadyGone) {
        // The framework unregistered it while stopping the bundle.
      }
    }
  }

  /** Whether {@link NodeReady} is registered. */
  boolean ready() {
    synchronized (lock) {
      return registration != null;
    }
  }

  /** A bundle or service event: look again once things have been quiet for the settle time. */
  private void changed() {
    changes.incrementAndGet();
    lastChange = System.nanoTime();
    if (pending.compareAndSet(false, true)) {
      try {
        timer.schedule(this::look, settings.settleMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopped) {
        // Deactivated (or ready) meanwhile.
      }
    }
  }

  private void look() {
    long settle = TimeUnit.MILLISECONDS.toNanos(settings.settleMillis());
    long quiet = System.nanoTime() - lastChange;
    if (quiet < settle) {
      timer.schedule(this::look, settle - quiet, TimeUnit.NANOSECONDS);
      return;
    }
    pending.set(false);
    long seen = changes.get();
    List<String> blockers = blockers();
    if (blockers.isEmpty() && changes.get() == seen) {
      becomeReady();
    } else if (blockers.isEmpty()) {
      // Something changed while looking; changed() scheduled the next look.
      return;
    } else if (pending.compareAndSet(false, true)) {
      timer.schedule(this::look, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void becomeReady() {
    stopListening();
    ServiceRegistration<NodeReady> r = context.registerService(NodeReady.class, new NodeReady() {}, null);
    synchronized (lock) {
      if (!closed) {
        registration = r;
        r = null;
      }
    }
    if (r != null) {
      r.unregister();
      return;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - activated);
    if (reported) {
      log.info("The node is ready, {} ms after the readiness check started", millis);
    } else {
      log.debug("The node is ready, {} ms after the readiness check started", millis);
    }
    timer.shutdown();
  }

  private void report() {
    if (ready()) {
      return;
    }
    List<String> blockers = blockers();
    if (!blockers.isEmpty()) {
      reported = true;
      log.warn("The node is not ready after {} s; it waits for: {}", settings.reportAfterSeconds(),
          String.join("; ", blockers));
    }
  }

  private void stopListening() {
    try {
      context.removeServiceListener(serviceListener);
      context.removeBundleListener(bundleListener);
    } catch (IllegalStateException stopped) {
      // The bundle is stopping: the framework removes them.
    }
  }

  /** Why the node is not ready, now. */
  List<String> blockers() {
    List<Readiness.BundleView> bundles = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      try {
        bundles.add(view(b));
      } catch (IllegalStateException uninstalled) {
        // Gone while looking.
      }
    }
    Map<Long, List<ComponentDescriptionDTO>> described = scr.getComponentDescriptionDTOs().stream()
        .collect(Collectors.groupingBy(d -> d.bundle.id));
    return Readiness.blockers(bundles, startedAfterReady, described, scr::isComponentEnabled,
        scr::getComponentConfigurationDTOs);
  }

  static Readiness.BundleView view(Bundle b) {
    Dictionary<String, String> headers = b.getHeaders("");
    int state = b.getState();
    BundleStartLevel startLevel = b.adapt(BundleStartLevel.class);
    boolean asked = startLevel != null && startLevel.isPersistentlyStarted();
    String policy = headers.get(Constants.BUNDLE_ACTIVATIONPOLICY);
    boolean lazy = state == Bundle.STARTING && startLevel != null && startLevel.isActivationPolicyUsed()
        && policy != null && policy.trim().startsWith(Constants.ACTIVATION_LAZY);
    String serviceComponent = headers.get("Service-Component");
    String name = b.getSymbolicName() == null ? b.getLocation() : b.getSymbolicName();
    return new Readiness.BundleView(b.getBundleId(), name, state, headers.get(Constants.FRAGMENT_HOST) != null,
        serviceComponent != null && !serviceComponent.isBlank(), asked, lazy);
  }
}
