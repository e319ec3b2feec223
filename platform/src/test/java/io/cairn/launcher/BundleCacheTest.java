package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCacheTest {
  @TempDir Path dir;

  private Map<String, String> props() {
    return new HashMap<>(Map.of("cairn.dist", dir.resolve("dist").toString(),
        "org.osgi.framework.storage", dir.resolve("cache").toString()));
  }

  private String decide() throws Exception {
    Map<String, String> p = props();
    BundleCache cache = BundleCache.of(p);
    Files.createDirectories(dir.resolve("cache"));
    cache.installed();
    return p.get(BundleCache.CLEAN);
  }

  @Test
  void theCacheIsKeptWhileTheDistributionIsUnchangedAndCleanedWhenItChanges() throws Exception {
    Files.createDirectories(dir.resolve("dist/bundle"));
    Files.createDirectories(dir.resolve("dist/lib"));
    Path jar = Files.writeString(dir.resolve("dist/bundle/a.jar"), "one");
    Files.writeString(dir.resolve("dist/lib/launcher.jar"), "launcher");
    assertEquals("onFirstInit", decide(), "no fingerprint yet");
    assertEquals("none", decide());

    Files.writeString(jar, "two"); // same size: a rebuilt SNAPSHOT
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));
    assertEquals("onFirstInit", decide(), "a changed bundle");
    assertEquals("none", decide());

    Files.writeString(dir.resolve("dist/bundle/b.jar"), "new");
    assertEquals("onFirstInit", decide(), "an added bundle");
    Files.writeString(dir.resolve("dist/lib/launcher.jar"), "launcher 2");
    assertEquals("onFirstInit", decide(), "a new launcher or framework");
  }

  @Test
  void anOperatorsChoiceWins() throws Exception {
    Files.createDirectories(dir.resolve("dist/bundle"));
    decide();
    Map<String, String> p = props();
    p.put(BundleCache.CLEAN, "onFirstInit");
    BundleCache.of(p);
    assertEquals("onFirstInit", p.get(BundleCache.CLEAN));
  }
}
