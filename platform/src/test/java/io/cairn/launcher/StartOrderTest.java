package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StartOrderTest {
  @Test
  void namespaceMatchesClausesNotValues() {
    String slf4jSimpleRequires = "osgi.extender;filter:=\"(&(osgi.extender=osgi.serviceloader.registrar))\",osgi.ee;filter:=\"(osgi.ee=JavaSE)\"";
    assertFalse(Main.hasNamespace(slf4jSimpleRequires, "osgi.serviceloader"));
    assertTrue(Main.hasNamespace(slf4jSimpleRequires, "osgi.extender"));
    assertTrue(Main.hasNamespace("osgi.service;objectClass=x, osgi.serviceloader;osgi.serviceloader=\"y\"", "osgi.serviceloader"));
    assertFalse(Main.hasNamespace(null, "osgi.extender"));
  }
}
