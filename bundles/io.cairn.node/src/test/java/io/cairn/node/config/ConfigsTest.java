package io.cairn.node.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigsTest {
  @interface Sample {
    int workers() default 128;

    String[] names() default {"a", "b"};
  }

  @Test
  void defaultsAnswerTheDeclaredValues() {
    Sample s = Configs.defaults(Sample.class);
    assertEquals(128, s.workers());
    assertArrayEquals(new String[] {"a", "b"}, s.names());
    assertEquals(Sample.class, s.annotationType());
  }

  @Test
  void unconvertibleValueIsReportedWithItsKey() {
    Sample broken = (Sample) java.lang.reflect.Proxy.newProxyInstance(Sample.class.getClassLoader(), new Class<?>[] {Sample.class},
        (p, m, a) -> {
          if (m.getName().equals("workers")) {
            throw new IllegalStateException(new NumberFormatException("For input string: \"lots\""));
          }
          return m.getDefaultValue();
        });
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Configs.namingKeys(broken).workers());
    assertEquals("workers", e.key());
    assertTrue(e.getMessage().contains("lots"), e.getMessage());
  }

  @Test
  void rangeCheckNamesTheKey() {
    assertEquals(5, Configs.inRange("workers", 5, 1, 10));
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Configs.inRange("workers", 0, 1, 10));
    assertEquals("workers", e.key());
    assertArrayEquals(new String[] {"names", "workers"}, Configs.keys(Sample.class));
  }
}
