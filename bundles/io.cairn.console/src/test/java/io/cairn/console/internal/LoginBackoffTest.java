package io.cairn.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.node.net.IpPrefix;
import org.junit.jupiter.api.Test;

class LoginBackoffTest {
  private static final IpPrefix A = client("192.0.2.1");

  private static IpPrefix client(String address) {
    return IpPrefix.parse(address);
  }

  @Test
  void doublesUpToTheMaximum() {
    LoginBackoff b = new LoginBackoff(1000, 5000, 10);
    assertEquals(1000, b.failed(A, 0));
    assertEquals(2000, b.failed(A, 0));
    assertEquals(4000, b.failed(A, 0));
    assertEquals(5000, b.failed(A, 0));
    for (int i = 0; i < 100; i++) {
      assertEquals(5000, b.failed(A, 0), "no overflow after many failures");
    }
    assertEquals(5000, b.waitMillis(A, 0));
    assertEquals(1000, b.waitMillis(A, 4000));
  }

  @Test
  void failuresAreForgottenAfterTwiceTheMaximum() {
    LoginBackoff b = new LoginBackoff(1000, 5000, 10);
    b.failed(A, 0);
    b.failed(A, 0);
    assertEquals(1000, b.failed(A, 10_001), "forgotten: the first failure again");
  }

  @Test
  void atMostCapacityClientsAreRemembered() {
    LoginBackoff b = new LoginBackoff(1000, 5000, 3);
    for (int i = 0; i < 1000; i++) {
      b.failed(client("10." + (i >> 8) + ".0." + (i & 255)), 0);
    }
    assertEquals(3, b.tracked());
    assertEquals(0, b.waitMillis(client("10.0.0.0"), 0), "the oldest went first");
    assertEquals(1000, b.waitMillis(client("10.3.0.231"), 0));
  }
}
