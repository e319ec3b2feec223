package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.junit.jupiter.api.Test;

class WeavingScopeTest {
  private static Bundle bundle(String name) {
    return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
        (p, m, a) -> switch (m.getName()) {
          case "getSymbolicName" -> name;
          case "hashCode" -> System.identityHashCode(p);
          case "equals" -> p == a[0];
          case "toString" -> name;
          default -> null;
        });
  }

  private static BundleContext context(Bundle owner) {
    return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class},
        (p, m, a) -> switch (m.getName()) {
          case "getBundle" -> owner;
          case "hashCode" -> System.identityHashCode(p);
          case "equals" -> p == a[0];
          default -> null;
        });
  }

  private final Bundle jetty = bundle("org.apache.felix.http.jetty12");
  private final Bundle slf4j = bundle("slf4j.api");
  private final BundleContext mediator = context(bundle(WeavingScope.MEDIATOR));
  private final BundleContext scr = context(bundle("org.apache.felix.scr"));
  private final WeavingScope scope = new WeavingScope(Set.of("org.apache.felix.http.jetty12"));

  @Test
  void theMediatorDoesNotFindAHiddenBundleAndOthersFindEverything() {
    Collection<Bundle> seenByMediator = new ArrayList<>(List.of(jetty, slf4j));
    scope.find(mediator, seenByMediator);
    assertEquals(List.of(slf4j), seenByMediator);
    Collection<Bundle> seenByScr = new ArrayList<>(List.of(jetty, slf4j));
    scope.find(scr, seenByScr);
    assertEquals(List.of(jetty, slf4j), seenByScr);
  }

  @Test
  void theMediatorHearsNoEventOfAHiddenBundle() {
    Collection<BundleContext> listeners = new ArrayList<>(List.of(mediator, scr));
    scope.event(new BundleEvent(BundleEvent.INSTALLED, jetty), listeners);
    assertEquals(List.of(scr), listeners);
    Collection<BundleContext> forSlf4j = new ArrayList<>(List.of(mediator, scr));
    scope.event(new BundleEvent(BundleEvent.INSTALLED, slf4j), forSlf4j);
    assertEquals(List.of(mediator, scr), forSlf4j);
  }
}
