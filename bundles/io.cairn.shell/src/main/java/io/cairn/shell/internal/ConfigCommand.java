package io.cairn.shell.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * {@code cairn:config}: lists the configurable PIDs, shows one (each key with its value, default and
 * meaning) and sets keys, typed by the component's metatype so a typo is refused here, before ConfigAdmin.
 */
@Component(service = ConfigCommand.class, property = {"osgi.command.scope=cairn", "osgi.command.function=config"})
public class ConfigCommand {
  private final BundleContext context;
  private final ConfigurationAdmin configAdmin;
  private final MetaTypeService metaType;

  @Activate
  public ConfigCommand(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference MetaTypeService metaType) {
    this.context = context;
    this.configAdmin = configAdmin;
    this.metaType = metaType;
  }

  /** Lists every PID that declares a metatype, with its name. */
  public String config() {
    StringBuilder out = new StringBuilder();
    definitions().forEach((pid, ocd) -> out.append(String.format("%-40s %s%n", pid, ocd.getName())));
    return out.toString();
  }

  /** Shows a PID, or sets {@code key=value} pairs on it. */
  public String config(String pid, String... assignments) throws IOException {
    ObjectClassDefinition ocd = definitions().get(pid);
    if (ocd == null) {
      throw new IllegalArgumentException("no component declares the PID " + pid + " (cairn:config lists them)");
    }
    Configuration config = configAdmin.getConfiguration(pid, "?");
    if (assignments.length == 0) {
      return describe(pid, ocd, config.getProperties());
    }
    Map<String, AttributeDefinition> attributes = new TreeMap<>();
    for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
      attributes.put(ad.getID(), ad);
    }
    Dictionary<String, Object> current = config.getProperties();
    Hashtable<String, Object> next = new Hashtable<>();
    if (current != null) {
      for (var keys = current.keys(); keys.hasMoreElements(); ) {
        String k = keys.nextElement();
        next.put(k, current.get(k));
      }
    }
    for (String assignment : assignments) {
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + assignment + "' is not key=value");
      }
      String key = assignment.substring(0, eq);
      AttributeDefinition ad = attributes.get(key);
      if (ad == null) {
        throw new IllegalArgumentException(pid + " has no key " + key + "; its keys: " + String.join(", ", attributes.keySet()));
      }
      next.put(key, TypedValues.convert(ad, assignment.substring(eq + 1)));
    }
    config.updateIfDifferent(next);
    return "updated " + pid + "\n" + describe(pid, ocd, next);
  }

  private Map<String, ObjectClassDefinition> definitions() {
    Map<String, ObjectClassDefinition> result = new TreeMap<>();
    for (Bundle b : context.getBundles()) {
      MetaTypeInformation info = metaType.getMetaTypeInformation(b);
      if (info == null) {
        continue;
      }
      for (String pid : info.getPids()) {
        result.put(pid, info.getObjectClassDefinition(pid, null));
      }
      for (String pid : info.getFactoryPids()) {
        result.put(pid, info.getObjectClassDefinition(pid, null));
      }
    }
    return result;
  }

  private static String describe(String pid, ObjectClassDefinition ocd, Dictionary<String, Object> values) {
    StringBuilder out = new StringBuilder(pid).append(" - ").append(ocd.getName()).append('\n');
    for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
      Object value = values == null ? null : values.get(ad.getID());
      String defaults = ad.getDefaultValue() == null ? "" : String.join(",", ad.getDefaultValue());
      out.append(String.format("  %-24s = %-20s (default %s) %s%n",
          ad.getID(), value == null ? defaults : render(value), defaults, ad.getDescription()));
    }
    return out.toString();
  }

  private static String render(Object value) {
    if (value.getClass().isArray()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < Array.getLength(value); i++) {
        sb.append(i == 0 ? "" : ",").append(Array.get(value, i));
      }
      return sb.toString();
    }
    return String.valueOf(value);
  }
}
