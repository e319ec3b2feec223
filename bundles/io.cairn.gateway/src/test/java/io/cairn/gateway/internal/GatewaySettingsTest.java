package io.cairn.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.node.config.InvalidConfigException;
import io.cairn.testing.Components;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {
  private static GatewayConfig config(Map<String, Object> values) {
    return (GatewayConfig) Components.config(GatewayConfig.class, values);
  }

  @Test
  void theFrameworkAddressWinsOverTheConfiguredHostAndPort() {
    GatewaySettings s = GatewaySettings.of(config(Map.of("host", "0.0.0.0", "port", 8080)), "127.0.0.1:0");
    assertEquals("127.0.0.1", s.host());
    assertEquals(0, s.port());
    GatewaySettings v6 = GatewaySettings.of(config(Map.of()), "[::1]:8081");
    assertEquals("::1", v6.host());
    assertEquals(8081, v6.port());
    GatewaySettings configured = GatewaySettings.of(config(Map.of("port", 9090)), null);
    assertEquals(9090, configured.port());
  }

  @Test
  void aBadFrameworkAddressIsRefusedNamingTheProperty() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> GatewaySettings.of(config(Map.of()), "localhost:http"));
    assertEquals(GatewayServer.ADDRESS_PROPERTY, e.key());
    assertThrows(InvalidConfigException.class, () -> GatewaySettings.of(config(Map.of()), "127.0.0.1:70000"));
  }
}
