package io.cairn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;

class TypedValuesTest {
  /** An attribute as the metatype service describes one; validation here is a range check. */
  private record Attribute(String id, int type, int cardinality, long min, long max) implements AttributeDefinition {
    @Override public String getName() { return id; }
    @Override public String getID() { return id; }
    @Override public String getDescription() { return ""; }
    @Override public int getCardinality() { return cardinality; }
    @Override public int getType() { return type; }
    @Override public String[] getOptionValues() { return null; }
    @Override public String[] getOptionLabels() { return null; }
    @Override public String[] getDefaultValue() { return null; }

    @Override
    public String validate(String value) {
      if (type != INTEGER) {
        return "";
      }
      try {
        long v = Long.parseLong(value.trim());
        return v < min || v > max ? "value out of range" : "";
      } catch (NumberFormatException e) {
        return "not an integer";
      }
    }
  }

  @Test
  void convertsToTheDeclaredType() {
    assertEquals(42, TypedValues.convert(new Attribute("workers", AttributeDefinition.INTEGER, 0, 1, 100), "42"));
    assertEquals(Boolean.TRUE, TypedValues.convert(new Attribute("on", AttributeDefinition.BOOLEAN, 0, 0, 0), "TRUE"));
    assertArrayEquals(new String[] {"https://a", "https://b"},
        (String[]) TypedValues.convert(new Attribute("origins", AttributeDefinition.STRING, 10, 0, 0), "https://a, https://b"));
    assertArrayEquals(new String[0], (String[]) TypedValues.convert(new Attribute("origins", AttributeDefinition.STRING, 10, 0, 0), ""));
  }

  @Test
  void refusesWhatTheMetatypeRefusesNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TypedValues.convert(new Attribute("workers", AttributeDefinition.INTEGER, 0, 1, 100), "0"));
    assertTrue(e.getMessage().startsWith("workers"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> TypedValues.convert(new Attribute("workers", AttributeDefinition.INTEGER, 0, 1, 100), "many"));
    assertThrows(IllegalArgumentException.class,
        () -> TypedValues.convert(new Attribute("on", AttributeDefinition.BOOLEAN, 0, 0, 0), "yes"));
  }
}
