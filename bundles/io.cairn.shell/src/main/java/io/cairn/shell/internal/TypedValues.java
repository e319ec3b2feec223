package io.cairn.shell.internal;

import java.util.ArrayList;
import java.util.List;
import org.osgi.service.metatype.AttributeDefinition;

/** Turns the text an operator types into the value type a metatype attribute declares. */
final class TypedValues {
  private TypedValues() {}

  /**
   * Converts {@code text} (comma-separated for multi-valued attributes) and checks it against the
   * attribute's own validation (ranges, options). Throws {@link IllegalArgumentException} naming the key.
   */
  static Object convert(AttributeDefinition ad, String text) {
    List<String> parts = new ArrayList<>();
    if (ad.getCardinality() == 0) {
      parts.add(text);
    } else if (!text.isEmpty()) {
      for (String p : text.split(",")) {
        parts.add(p.trim());
      }
    }
    for (String p : parts) {
      String problem = ad.validate(p);
      if (problem != null && !problem.isEmpty()) {
        throw new IllegalArgumentException(ad.getID() + ": " + problem);
      }
    }
    if (ad.getCardinality() == 0) {
      return scalar(ad, parts.get(0));
    }
    Object[] values = switch (ad.getType()) {
      case AttributeDefinition.INTEGER -> new Integer[parts.size()];
      case AttributeDefinition.LONG -> new Long[parts.size()];
      case AttributeDefinition.BOOLEAN -> new Boolean[parts.size()];
      case AttributeDefinition.DOUBLE -> new Double[parts.size()];
      default -> new String[parts.size()];
    };
    for (int i = 0; i < values.length; i++) {
      values[i] = scalar(ad, parts.get(i));
    }
    return values;
  }

  private static Object scalar(AttributeDefinition ad, String text) {
    String t = text.trim();
    try {
      return switch (ad.getType()) {
        case AttributeDefinition.INTEGER -> Integer.valueOf(t);
        case AttributeDefinition.LONG -> Long.valueOf(t);
        case AttributeDefinition.DOUBLE -> Double.valueOf(t);
        case AttributeDefinition.FLOAT -> Float.valueOf(t);
        case AttributeDefinition.SHORT -> Short.valueOf(t);
        case AttributeDefinition.BOOLEAN -> parseBoolean(t);
        default -> text;
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ad.getID() + ": '" + text + "' is not a number");
    }
  }

  private static Boolean parseBoolean(String t) {
    if (t.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (t.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    throw new NumberFormatException(t);
  }
}
