package io.cairn.pin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.config.Configs;
import io.cairn.testing.Components;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pinner's and collector's configurations: validated with the key named, applied live where they can be. */
class SettingsTest {
  @TempDir
  Path home;

  private static PinnerConfig pinner(Map<String, Object> values) {
    return (PinnerConfig) Components.config(PinnerConfig.class, values);
  }

  private List<String> rejected(Map<String, Object> values) {
    List<String> log = new ArrayList<>();
    assertTrue(Configs.validate(PinnerComponent.PID, pinner(values), c -> PinnerSettings.of(c, home),
        Components.logger(log)).isEmpty());
    return log;
  }

  @Test
  void defaultsAndBadValues() {
    PinnerSettings d = PinnerSettings.of(Configs.defaults(PinnerConfig.class), home);
    assertEquals(Duration.ofSeconds(120), d.blockTimeout());
    assertEquals(16, d.maxConcurrentPins());
    assertEquals(home.resolve("pins").toAbsolutePath().normalize(), d.folder());
    assertTrue(rejected(Map.of("blockTimeoutSeconds", 0L)).get(0).contains("blockTimeoutSeconds"));
    assertTrue(rejected(Map.of("maxConcurrentPins", 0)).get(0).contains("maxConcurrentPins"));
    assertTrue(rejected(Map.of("path", " ")).get(0).contains("path"));
    GarbageCollectorSettings gc = GarbageCollectorSettings.of(Configs.defaults(GarbageCollectorConfig.class));
    assertEquals(1024, gc.lockStripes());
  }

  @Test
  void modifiedAppliesNewValuesAndKeepsTheOldOnesWhenInvalid() {
    try (Node n = new Node(home)) {
      n.pinner.modified(pinner(Map.of("maxConcurrentPins", 4, "blockTimeoutSeconds", 5L)));
      assertEquals(4, n.pinner.settings().maxConcurrentPins());
      assertEquals(Duration.ofSeconds(5), n.pinner.settings().blockTimeout());
      n.pinner.modified(pinner(Map.of("maxConcurrentPins", 4, "path", "elsewhere")));
      assertEquals(home.resolve("pins").toAbsolutePath().normalize(), n.pinner.settings().folder());
      assertEquals(Duration.ofSeconds(5), n.pinner.settings().blockTimeout(), "the rejected change left all in force");
      assertTrue(n.log.stream().anyMatch(l -> l.contains("key path")), n.log.toString());
    }
  }

  @Test
  void admissionRunsAtMostTheLimitAndStartsTheWaitingInOrder() {
    Admission a = new Admission(1);
    List<String> ran = new ArrayList<>();
    a.submit(() -> ran.add("one"));
    a.submit(() -> ran.add("two"));
    a.submit(() -> ran.add("three"));
    assertEquals(List.of("one"), ran);
    assertEquals(2, a.waiting());
    a.limit(2); // a raised limit starts one waiting at once
    assertEquals(List.of("one", "two"), ran);
    a.release();
    assertEquals(List.of("one", "two", "three"), ran);
    a.release();
    a.release();
    assertEquals(0, a.waiting());
    a.submit(() -> ran.add("four"));
    assertEquals("four", ran.getLast());
    assertFalse(ran.contains("five"));
  }
}
