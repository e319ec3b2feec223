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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
 * <p>The state is looked at {@code settleMillis} after the last bundle or service event, and at no other
 * time: every change that can make the node ready announces itself by an event. Bundles and services do
 * directly; a component's change of state (activated, failed to activate, one that provides no service)
 * is announced by SCR, which raises {@code service.changecount} on its {@link ServiceComponentRuntime}
 * registration, a service event (Felix SCR does so {@code ds.service.changecount.timeout} ms after the
 * change, 5 s unless set: {@code conf/cairn.properties} sets it). Once registered, {@link NodeReady} stays
 * until this component stops: the listeners are removed and nothing withdraws it, so a later hot deploy
 * or a reconfiguration never puts a running node back into {@code 503} (see {@link NodeReady}).
 */
@Component(configurationPid = ReadinessComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    immediate = true, service = {})
@Designate(ocd = ReadinessConfig.class)
public class ReadinessComponent {
  public static final String PID = "io.cairn.node.readiness";
  /** Framework property (conf/cairn.properties): bundles the launcher starts only once the node is ready. */
  static final String START_AFTER_READY = "cairn.start.after.ready";

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
  /** {@link System#nanoTime()}, or a test's clock. */
  private final LongSupplier nanoTime;
  private final long activated;
  private final ScheduledExecutorService timer;
  private final BundleListener bundleListener = e -> changed();
  private final ServiceListener serviceListener = e -> changed();
  /** Bundle and service events seen, and when the last one came. */
  private final AtomicLong changes = new AtomicLong();
  private volatile long lastChange;
  private final Object lock = new Object();
  /** The next look, or null when none is scheduled. Guarded by {@link #lock}. */
  private ScheduledFuture<?> check;
  /** When {@link #check} runs, on {@link #nanoTime}'s clock. Guarded by {@link #lock}. */
  private long checkAt;
  /** Which {@link #check} is the current one: a look cancelled once it had started leaves it alone. */
  private long checkNumber;
  /** Guarded by {@link #lock}. */
  private ServiceRegistration<NodeReady> registration;
  /** Guarded by {@link #lock}. */
  private boolean closed;
  private volatile Settings settings;
  private volatile boolean reported;

  @Activate
  public ReadinessComponent(BundleContext context, @Reference ServiceComponentRuntime scr,
      @Reference(service = LoggerFactory.class) Logger log, ReadinessConfig config) {
    this(context, scr, log, config, Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-readiness");
      t.setDaemon(true);
      return t;
    }), System::nanoTime);
  }

  /** {@code timer} runs the looks (one thread); {@code nanoTime} is its clock. */
  ReadinessComponent(BundleContext context, ServiceComponentRuntime scr, Logger log, ReadinessConfig config,
      ScheduledExecutorService timer, LongSupplier nanoTime) {
    this.context = context;
    this.scr = scr;
    this.log = log;
    this.nanoTime = nanoTime;
    this.activated = nanoTime.getAsLong();
    this.lastChange = activated;
    this.settings = Configs.validate(PID, config, Settings::of, log)
        .orElseGet(() -> Settings.of(Configs.defaults(ReadinessConfig.class)));
    String late = context.getProperty(START_AFTER_READY);
    this.startedAfterReady = late == null ? Set.of()
        : Arrays.stream(late.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    this.timer = timer;
    context.addBundleListener(bundleListener);
    context.addServiceListener(serviceListener);
    lookIn(TimeUnit.MILLISECONDS.toNanos(settings.settleMillis()));
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
    lastChange = nanoTime.getAsLong();
    lookIn(TimeUnit.MILLISECONDS.toNanos(settings.settleMillis()));
  }

  /**
   * Schedules a look {@code delay} ns from now, unless one is scheduled sooner: that one looks again
   * later by itself if things were not quiet long enough when it ran.
   */
  private void lookIn(long delay) {
    synchronized (lock) {
      if (closed || registration != null) {
        return;
      }
      long at = nanoTime.getAsLong() + delay;
      if (check != null && checkAt - at <= 0) {
        return;
      }
      if (check != null) {
        check.cancel(false);
      }
      long number = ++checkNumber;
      try {
        check = timer.schedule(() -> look(number), delay, TimeUnit.NANOSECONDS);
        checkAt = at;
      } catch (RejectedExecutionException stopped) {
        // Deactivated meanwhile.
        check = null;
      }
    }
  }

  private void look(long number) {
    synchronized (lock) {
      if (number != checkNumber) {
        return; // cancelled once it had started: a later look is scheduled
      }
      check = null;
    }
    long settle = TimeUnit.MILLISECONDS.toNanos(settings.settleMillis());
    long quiet = nanoTime.getAsLong() - lastChange;
    if (quiet < settle) {
      lookIn(settle - quiet);
      return;
    }
    long seen = changes.get();
    List<String> blockers = blockers();
    if (blockers.isEmpty() && changes.get() == seen) {
      becomeReady();
    }
    // Else a change came while looking (it scheduled the next look), or the node waits for one: every
    // change that can make it ready is an event (see the class comment).
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
    long millis = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - activated);
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
