package io.cairn.node.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Whether the node is ready, decided from the bundles' states and SCR's view of their components (the
 * {@code ServiceComponentRuntime} DTOs): the reasons it is not, one line each, or none.
 *
 * <p>Not ready while
 * <ul>
 * <li>a bundle is starting or stopping (a bundle waiting for lazy activation is not starting: it is
 *     started, its activator runs on first use);
 * <li>a bundle was not asked to start yet: the launcher (or Pax Exam, or FileInstall) starts bundles one
 *     after the other, and the moment between two of them is not "ready". A bundle it starts only once the
 *     node is ready ({@code cairn.start.after.ready}) is left out, and so is one whose start failed (it was
 *     asked: its autostart setting says started): the launcher reports that failure itself;
 * <li>an active bundle declares components (a {@code Service-Component} header) that SCR does not know yet;
 * <li>an enabled component of an active bundle lacks a mandatory reference, failed to activate, or is
 *     immediate and not yet active. A component that requires a configuration and has none (a factory
 *     such as the file tier) is fine: nothing is missing until someone configures it; so is a component
 *     factory with no instance. Disabled components are not part of the node.
 * </ul>
 */
final class Readiness {
  private Readiness() {}

  /**
   * What the check needs of a bundle.
   *
   * @param askedToStart its autostart setting says started ({@code BundleStartLevel.isPersistentlyStarted})
   * @param lazy it waits in STARTING for lazy activation, which counts as started
   */
  record BundleView(long id, String symbolicName, int state, boolean fragment, boolean declaresComponents,
      boolean askedToStart, boolean lazy) {
    String label() {
      return symbolicName + " (" + id + ")";
    }
  }

  /**
   * @param bundles every installed bundle
   * @param startedAfterReady symbolic names the launcher starts only once the node is ready
   * @param described the component descriptions SCR holds, by bundle id
   * @param enabled whether SCR has a component enabled now
   * @param configurations SCR's configurations of a component
   */
  static List<String> blockers(Collection<BundleView> bundles, Set<String> startedAfterReady,
      Map<Long, List<ComponentDescriptionDTO>> described, Predicate<ComponentDescriptionDTO> enabled,
      Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations) {
    List<String> blockers = new ArrayList<>();
    for (BundleView b : bundles) {
      if (b.id() == 0 || b.fragment()) {
        continue;
      }
      switch (b.state()) {
        case Bundle.STARTING -> {
          if (!b.lazy()) {
            blockers.add("bundle " + b.label() + " is starting");
          }
        }
        case Bundle.STOPPING -> blockers.add("bundle " + b.label() + " is stopping");
        case Bundle.INSTALLED, Bundle.RESOLVED -> {
          if (!b.askedToStart() && !startedAfterReady.contains(b.symbolicName())) {
            blockers.add("bundle " + b.label() + " is not started yet");
          }
        }
        case Bundle.ACTIVE -> components(b, described.getOrDefault(b.id(), List.of()), enabled, configurations, blockers);
        default -> {
          // UNINSTALLED: gone.
        }
      }
    }
    return blockers;
  }

  private static void components(BundleView b, List<ComponentDescriptionDTO> descriptions,
      Predicate<ComponentDescriptionDTO> enabled,
      Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations, List<String> blockers) {
    if (b.declaresComponents() && descriptions.isEmpty()) {
      blockers.add("bundle " + b.label() + " declares components that SCR does not know yet");
      return;
    }
    for (ComponentDescriptionDTO d : descriptions) {
      if (!enabled.test(d)) {
        continue;
      }
      boolean requiresConfiguration = "require".equals(d.configurationPolicy);
      Collection<ComponentConfigurationDTO> configs = configurations.apply(d);
      // A component factory has configurations only for the instances made of it.
      if (configs.isEmpty() && !requiresConfiguration && d.factory == null) {
        blockers.add("component " + d.name + " of " + b.label() + " is being enabled");
      }
      for (ComponentConfigurationDTO c : configs) {
        switch (c.state) {
          case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> {
            if (!requiresConfiguration) {
              blockers.add("component " + d.name + " of " + b.label() + " waits for its configuration");
            }
          }
          case ComponentConfigurationDTO.UNSATISFIED_REFERENCE ->
              blockers.add("component " + d.name + " of " + b.label() + " lacks " + unsatisfied(d, c));
          case ComponentConfigurationDTO.FAILED_ACTIVATION -> blockers.add("component " + d.name + " of " + b.label()
              + " failed to activate" + (c.failure == null ? "" : ": " + firstLine(c.failure)));
          case ComponentConfigurationDTO.SATISFIED -> {
            if (d.immediate) {
              blockers.add("component " + d.name + " of " + b.label() + " is activating");
            }
          }
          default -> {
            // ACTIVE
          }
        }
      }
    }
  }

  /** The services a configuration lacks, by interface (a constructor's references are named $000, $001...). */
  private static String unsatisfied(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
    if (c.unsatisfiedReferences == null || c.unsatisfiedReferences.length == 0) {
      return "a reference";
    }
    List<String> names = new ArrayList<>();
    for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
      String service = r.name;
      for (ReferenceDTO declared : d.references == null ? new ReferenceDTO[0] : d.references) {
        if (declared.name.equals(r.name)) {
          service = declared.interfaceName;
        }
      }
      names.add(service + (r.target == null ? "" : " " + r.target));
    }
    return String.join(", ", names);
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).trim();
  }
}
