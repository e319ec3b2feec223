package io.cairn.rpc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
  private static final String SELF = "http://127.0.0.1:5001";

  @Test
  void requestsWithoutOriginOrRefererPass() {
    assertTrue(new OriginPolicy(List.of()).permits(null, null, SELF));
  }

  @Test
  void ownOriginPassesForeignIsRefused() {
    OriginPolicy p = new OriginPolicy(List.of());
    assertTrue(p.permits("http://127.0.0.1:5001", null, SELF));
    assertFalse(p.permits("https://evil.example", null, SELF));
    assertFalse(p.permits(null, "https://evil.example/page", SELF));
    assertFalse(p.permits("null", null, SELF));
    assertFalse(p.permits("::garbage::", null, SELF));
  }

  @Test
  void configuredOriginsAndWildcard() {
    assertTrue(new OriginPolicy(List.of("https://webui.example")).permits("https://WEBUI.example", null, SELF));
    assertTrue(new OriginPolicy(List.of("*")).permits("https://any.example", null, SELF));
  }

  @Test
  void validateNormalisesAndRejectsNonOrigins() {
    assertEquals("https://a.example:8443", OriginPolicy.validate("https://A.example:8443/"));
    assertThrows(IllegalArgumentException.class, () -> OriginPolicy.validate("not a url"));
    assertThrows(IllegalArgumentException.class, () -> OriginPolicy.validate("https://a.example/path"));
  }
}
