package io.cairn.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.internal.Readiness.BundleView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class ReadinessTest {
  private final List<BundleView> bundles = new ArrayList<>();
  private final Map<Long, List<ComponentDescriptionDTO>> described = new HashMap<>();
  private final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> configurations = new HashMap<>();
  private final Set<ComponentDescriptionDTO> disabled = new HashSet<>();
  private Set<String> late = Set.of();

  private List<String> blockers() {
    return Readiness.blockers(bundles, late, described, d -> !disabled.contains(d),
        d -> configurations.getOrDefault(d, List.of()));
  }

  private BundleView bundle(long id, String name, int state, boolean declaresComponents, boolean asked) {
    BundleView b = new BundleView(id, name, state, false, declaresComponents, asked, false);
    bundles.add(b);
    return b;
  }

  private ComponentDescriptionDTO component(BundleView b, String name, boolean immediate, String policy, int... states) {
    ComponentDescriptionDTO d = new ComponentDescriptionDTO();
    d.name = name;
    d.immediate = immediate;
    d.configurationPolicy = policy;
    d.bundle = new BundleDTO();
    d.bundle.id = b.id();
    described.computeIfAbsent(b.id(), k -> new ArrayList<>()).add(d);
    List<ComponentConfigurationDTO> configs = new ArrayList<>();
    for (int state : states) {
      ComponentConfigurationDTO c = new ComponentConfigurationDTO();
      c.description = d;
      c.state = state;
      configs.add(c);
    }
    configurations.put(d, configs);
    return d;
  }

  @Test
  void readyWhenEveryComponentIsActiveOrADelayedOneSatisfied() {
    BundleView b = bundle(5, "io.cairn.rpc", Bundle.ACTIVE, true, true);
    component(b, "RpcServlet", true, "optional", ComponentConfigurationDTO.ACTIVE);
    component(b, "ShellCommands", false, "optional", ComponentConfigurationDTO.SATISFIED);
    bundle(6, "jackson", Bundle.ACTIVE, false, true);
    assertEquals(List.of(), blockers());
  }

  @Test
  void aMissingMandatoryReferenceHoldsTheNodeBackAndIsNamed() {
    BundleView b = bundle(7, "io.cairn.blockstore.commands", Bundle.ACTIVE, true, true);
    ComponentDescriptionDTO put = component(b, "BlockCommands$Put", false, "optional", ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
    ReferenceDTO declared = new ReferenceDTO();
    declared.name = "$000";
    declared.interfaceName = "io.cairn.blockstore.MultiTierBlockstore";
    put.references = new ReferenceDTO[] {declared};
    UnsatisfiedReferenceDTO store = new UnsatisfiedReferenceDTO();
    store.name = "$000";
    configurations.get(put).get(0).unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {store};
    assertEquals(List.of("component BlockCommands$Put of io.cairn.blockstore.commands (7) lacks io.cairn.blockstore.MultiTierBlockstore"),
        blockers());
  }

  @Test
  void aFailedActivationHoldsTheNodeBackWithItsReason() {
    BundleView b = bundle(8, "io.cairn.pin", Bundle.ACTIVE, true, true);
    ComponentDescriptionDTO pinner = component(b, "PinnerComponent", true, "optional", ComponentConfigurationDTO.FAILED_ACTIVATION);
    configurations.get(pinner).get(0).failure = "java.io.IOException: disk full\n\tat somewhere";
    assertEquals(List.of("component PinnerComponent of io.cairn.pin (8) failed to activate: java.io.IOException: disk full"),
        blockers());
  }

  @Test
  void anImmediateComponentNotYetActiveIsStillActivating() {
    BundleView b = bundle(9, "io.cairn.blockstore.file", Bundle.ACTIVE, true, true);
    component(b, "FileTier", true, "require", ComponentConfigurationDTO.SATISFIED);
    assertEquals(List.of("component FileTier of io.cairn.blockstore.file (9) is activating"), blockers());
  }

  @Test
  void aComponentThatRequiresAConfigurationItHasNotIsFine() {
    BundleView b = bundle(9, "io.cairn.blockstore.file", Bundle.ACTIVE, true, true);
    component(b, "FileTier", true, "require");
    component(b, "OtherTier", true, "require", ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION);
    assertEquals(List.of(), blockers());
  }

  @Test
  void anOptionallyConfiguredComponentWithoutAConfigurationYetIsBeingEnabled() {
    BundleView b = bundle(9, "io.cairn.gateway", Bundle.ACTIVE, true, true);
    component(b, "GatewayServer", true, "optional");
    assertEquals(List.of("component GatewayServer of io.cairn.gateway (9) is being enabled"), blockers());
  }

  @Test
  void disabledComponentsAreNotPartOfTheNode() {
    BundleView b = bundle(10, "x", Bundle.ACTIVE, true, true);
    disabled.add(component(b, "Off", true, "optional", ComponentConfigurationDTO.UNSATISFIED_REFERENCE));
    assertEquals(List.of(), blockers());
  }

  @Test
  void anActiveBundleWhoseComponentsScrDoesNotKnowYetIsNotReady() {
    bundle(11, "io.cairn.unixfs.commands", Bundle.ACTIVE, true, true);
    assertEquals(List.of("bundle io.cairn.unixfs.commands (11) declares components that SCR does not know yet"), blockers());
  }

  @Test
  void bundlesStartingStoppingOrNotYetAskedToStartHoldTheNodeBack() {
    bundle(12, "starting", Bundle.STARTING, false, true);
    bundle(13, "stopping", Bundle.STOPPING, false, true);
    bundle(14, "next.in.line", Bundle.RESOLVED, true, false);
    bundle(15, "unresolved.yet", Bundle.INSTALLED, false, false);
    assertEquals(List.of("bundle starting (12) is starting", "bundle stopping (13) is stopping",
        "bundle next.in.line (14) is not started yet", "bundle unresolved.yet (15) is not started yet"), blockers());
  }

  @Test
  void bundlesThatFailedToStartLazyOnesFragmentsAndLateOnesAreLeftOut() {
    bundle(16, "failed.activator", Bundle.RESOLVED, true, true);
    bundle(17, "unresolvable", Bundle.INSTALLED, false, true);
    bundles.add(new BundleView(18, "lazy", Bundle.STARTING, false, true, true, true));
    bundles.add(new BundleView(19, "netty.native", Bundle.RESOLVED, true, false, false, false));
    bundle(20, "org.apache.felix.gogo.shell", Bundle.RESOLVED, false, false);
    bundles.add(new BundleView(0, "org.apache.felix.framework", Bundle.STARTING, false, false, true, false));
    late = Set.of("org.apache.felix.gogo.shell");
    assertEquals(List.of(), blockers());
  }

  @Test
  void everyBlockerIsListed() {
    BundleView b = bundle(21, "a", Bundle.ACTIVE, true, true);
    component(b, "One", true, "optional", ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
    component(b, "Two", true, "optional", ComponentConfigurationDTO.SATISFIED);
    bundle(22, "b", Bundle.STARTING, true, true);
    List<String> blockers = blockers();
    assertEquals(3, blockers.size(), blockers.toString());
    assertTrue(blockers.get(0).startsWith("component One of a (21) lacks"), blockers.toString());
  }

}
