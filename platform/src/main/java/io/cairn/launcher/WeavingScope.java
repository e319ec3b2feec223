package io.cairn.launcher;

import java.util.Collection;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;

/**
 * Hides chosen bundles from the ServiceLoader mediator (Aries SPI Fly), so that it does not weave them.
 *
 * <p>SPI Fly weaves every class of every bundle that declares it may use {@code ServiceLoader}: it reads
 * the class with ASM and writes it again with recomputed stack frames, then keeps the result only for
 * the few classes that call {@code ServiceLoader.load}. Felix HTTP's Jetty declares that (optionally, for
 * HTTP/2 header encoders and TLS ALPN, which the node does not use), so the ~600 Jetty classes a boot
 * loads were all run through ASM: a JFR profile of the boot put over a quarter of its samples there.
 * slf4j-api, which needs the mediator to find its binding, stays woven. The mediator learns of bundles
 * only from {@code getBundles()} and bundle events, so a find hook and an event hook are all it takes;
 * every other bundle still sees them all.
 */
final class WeavingScope implements FindHook, EventHook {
  static final String MEDIATOR = "org.apache.aries.spifly.dynamic.bundle";
  /** Framework property: symbolic names (comma-separated) the mediator does not see. */
  static final String PROPERTY = "cairn.spifly.unwoven";

  private final Set<String> hidden;

  WeavingScope(Set<String> hidden) {
    this.hidden = Set.copyOf(hidden);
  }

  /** Registers the hooks on the framework (before any bundle starts); does nothing for an empty list. */
  static void install(BundleContext system, String property) {
    if (property == null || property.isBlank()) {
      return;
    }
    Set<String> names = Set.of(property.trim().split("\\s*,\\s*"));
    system.registerService(new String[] {FindHook.class.getName(), EventHook.class.getName()}, new WeavingScope(names), null);
  }

  @Override
  public void find(BundleContext context, Collection<Bundle> bundles) {
    if (isMediator(context)) {
      bundles.removeIf(b -> hidden.contains(b.getSymbolicName()));
    }
  }

  @Override
  public void event(BundleEvent event, Collection<BundleContext> contexts) {
    if (hidden.contains(event.getBundle().getSymbolicName())) {
      contexts.removeIf(WeavingScope::isMediator);
    }
  }

  private static boolean isMediator(BundleContext context) {
    try {
      return MEDIATOR.equals(context.getBundle().getSymbolicName());
    } catch (IllegalStateException stopped) {
      return false;
    }
  }
}
