package io.cairn.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoginBackoffTest {
  @Test
  void doublesUpToTheMaximum() {
    LoginBackoff b = new LoginBackoff(1000, 5000, 10);
    assertEquals(1000, b.failed("a", 0));
    assertEquals(2000, b.failed("a", 0));
    assertEquals(4000, b.failed("a", 0));
    assertEquals(5000, b.failed("a", 0));
    for (int i = 0; i < 100; i++) {
      assertEquals(5000, b.failed("a", 0), "no overflow after many failures");
    }
    assertEquals(5000, b.waitMillis("a", 0));
    assertEquals(1000, b.waitMillis("a", 4000));
  }

  @Test
  void failuresAreForgottenAfterTwiceTheMaximum() {
    LoginBackoff b = new LoginBackoff(1000, 5000, 10);
    b.failed("a", 0);
    b.failed("a", 0);
    assertEquals(1000, b.failed("a", 10_001), "forgotten: the first failure again");
  }

  @Test
  void atMostCapacityClientsAreRemembered() {
    LoginBackoff b = new LoginBackoff(1000, 5000, 3);
    for (int i = 0; i < 1000; i++) {
      b.failed("10.0.0." + i, 0);
    }
    assertEquals(3, b.tracked());
    assertEquals(0, b.waitMillis("10.0.0.0", 0), "the oldest went first");
    assertEquals(1000, b.waitMillis("10.0.0.999", 0));
  }
}
