package io.cairn.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
  @Test
  void parsesGoSyntax() {
    assertEquals(Duration.ofMillis(300), GoDuration.parse("300ms"));
    assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
    assertEquals(Duration.ofHours(2).plusMinutes(45), GoDuration.parse("2h45m"));
    assertEquals(Duration.ofNanos(-5_000), GoDuration.parse("-5us"));
    assertEquals(Duration.ZERO, GoDuration.parse("0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "1x", "1..2s", "--1s", "1s2", "99999999999999999999h"})
  void rejectsMalformed(String text) {
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
  }

  @Test
  void rejectsOverlongInput() {
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1s".repeat(40)));
  }
}
