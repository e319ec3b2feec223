package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * configadmin/ holds one file per PID, documenting every key (type, default, range, meaning). The
 * facts live once, in each component's metatype; this test renders them from the built bundles and
 * fails when a file is missing, stale or orphaned. Regenerate with
 * {@code ./cairnw mvn install -pl itests -Dtest=ConfigAdminDocsTest -Dcairn.configadmin.write=true}.
 */
class ConfigAdminDocsTest {
  @Test
  void everyPidIsDocumentedFromItsMetatype() throws Exception {
    Map<String, String> expected = render();
    Path dir = CairnOptions.source().resolve("configadmin");
    if (Boolean.getBoolean("cairn.configadmin.write")) {
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : old.filter(p -> p.toString().endsWith(".cfg")).toList()) {
          Files.delete(p);
        }
      }
      for (Map.Entry<String, String> e : expected.entrySet()) {
        Files.writeString(dir.resolve(e.getKey() + ".cfg"), e.getValue(), StandardCharsets.UTF_8);
      }
    }
    Map<String, String> actual = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".cfg")).toList()) {
        String name = p.getFileName().toString();
        actual.put(name.substring(0, name.length() - 4), Files.readString(p));
      }
    }
    assertEquals(expected.keySet(), actual.keySet(), "configadmin/ must have exactly one file per PID (regenerate: see the class comment)");
    for (String pid : expected.keySet()) {
      assertEquals(expected.get(pid), actual.get(pid), "configadmin/" + pid + ".cfg is stale (regenerate: see the class comment)");
    }
  }

  static Map<String, String> render() throws Exception {
    Map<String, String> docs = new TreeMap<>();
    try (Stream<Path> jars = Files.list(CairnOptions.dist().resolve("bundle"))) {
      for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("io.cairn.")).sorted().toList()) {
        try (JarFile jf = new JarFile(jar.toFile())) {
          for (var entry : jf.stream().filter(e -> e.getName().startsWith("OSGI-INF/metatype/") && e.getName().endsWith(".xml")).toList()) {
            try (InputStream in = jf.getInputStream(entry)) {
              renderMetatype(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in), jarName(jar), docs);
            }
          }
        }
      }
    }
    return docs;
  }

  private static String jarName(Path jar) {
    String n = jar.getFileName().toString();
    return n.substring(0, n.indexOf('-') > 0 ? n.indexOf('-') : n.length());
  }

  private static void renderMetatype(Document doc, String bundle, Map<String, String> docs) {
    Map<String, Element> ocds = new TreeMap<>();
    NodeList ocdNodes = doc.getElementsByTagName("OCD");
    for (int i = 0; i < ocdNodes.getLength(); i++) {
      Element ocd = (Element) ocdNodes.item(i);
      ocds.put(ocd.getAttribute("id"), ocd);
    }
    NodeList designates = doc.getElementsByTagName("Designate");
    for (int i = 0; i < designates.getLength(); i++) {
      Element d = (Element) designates.item(i);
      boolean factory = !d.getAttribute("factoryPid").isEmpty();
      String pid = factory ? d.getAttribute("factoryPid") : d.getAttribute("pid");
      Element object = (Element) d.getElementsByTagName("Object").item(0);
      docs.put(pid, renderOcd(pid, factory, bundle, ocds.get(object.getAttribute("ocdref"))));
    }
  }

  private static String renderOcd(String pid, boolean factory, String bundle, Element ocd) {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(pid).append(" - ").append(ocd.getAttribute("name")).append('\n');
    out.append("# ").append(ocd.getAttribute("description")).append('\n');
    out.append("# Bundle: ").append(bundle).append(factory ? "; factory PID: name files " + pid + "-<name>.cfg" : "").append('\n');
    out.append("# Generated from the bundle's metatype (ConfigAdminDocsTest); do not edit by hand.\n");
    out.append("# To change a key on a node, copy it uncommented into conf/").append(pid).append(factory ? "-<name>" : "")
        .append(".cfg: it applies live; an invalid value is refused, logged with the PID and key, and the previous value stays.\n");
    NodeList ads = ocd.getElementsByTagName("AD");
    for (int i = 0; i < ads.getLength(); i++) {
      Element ad = (Element) ads.item(i);
      String type = ad.getAttribute("type");
      boolean multi = !ad.getAttribute("cardinality").isEmpty() && !ad.getAttribute("cardinality").equals("0");
      String def = ad.getAttribute("default");
      out.append("#\n# ").append(ad.getAttribute("id")).append(" (").append(type).append(multi ? "[], comma-separated" : "").append(')');
      out.append(", default: ").append(def.isEmpty() ? "none" : def);
      if (!ad.getAttribute("min").isEmpty() || !ad.getAttribute("max").isEmpty()) {
        out.append(", range: ").append(ad.getAttribute("min").isEmpty() ? "-" : ad.getAttribute("min"))
            .append(" to ").append(ad.getAttribute("max").isEmpty() ? "-" : ad.getAttribute("max"));
      }
      List<String> options = new ArrayList<>();
      NodeList opts = ad.getElementsByTagName("Option");
      for (int j = 0; j < opts.getLength(); j++) {
        options.add(((Element) opts.item(j)).getAttribute("value"));
      }
      if (!options.isEmpty()) {
        out.append(", one of: ").append(String.join(" ", options));
      }
      out.append("\n#   ").append(ad.getAttribute("name")).append(": ").append(ad.getAttribute("description")).append('\n');
      out.append('#').append(ad.getAttribute("id")).append('=').append(def).append('\n');
    }
    return out.toString();
  }
}
