package io.cairn.rpc;

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

  /** Go's own {@code time.Duration.String} cases (src/time/time_test.go durationTests). */
  @Test
  void formatsAsGoDoes() {
    assertEquals("0s", GoDuration.format(Duration.ZERO));
    assertEquals("1ns", GoDuration.format(Duration.ofNanos(1)));
    assertEquals("1.1µs", GoDuration.format(Duration.ofNanos(1_100)));
    assertEquals("2.2ms", GoDuration.format(Duration.ofNanos(2_200_000)));
    assertEquals("3.3s", GoDuration.format(Duration.ofMillis(3_300)));
    assertEquals("4m5s", GoDuration.format(Duration.ofSeconds(245)));
    assertEquals("4m5.001s", GoDuration.format(Duration.ofMillis(245_001)));
    assertEquals("5h6m7.001s", GoDuration.format(Duration.ofMillis(((5 * 60 + 6) * 60 + 7) * 1000L + 1)));
    assertEquals("8m0.000000001s", GoDuration.format(Duration.ofNanos(8 * 60_000_000_000L + 1)));
    assertEquals("2h0m0s", GoDuration.format(Duration.ofHours(2)));
    assertEquals("-1.5s", GoDuration.format(Duration.ofMillis(-1_500)));
    assertEquals("12.345678ms", GoDuration.format(Duration.ofNanos(12_345_678)));
    for (String text : new String[] {"300ms", "1m30s", "1.5µs", "2h45m0s", "850ns"}) {
      assertEquals(text, GoDuration.format(GoDuration.parse(text)), "round trip of " + text);
    }
  }
}
