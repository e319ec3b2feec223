package io.cairn.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

class NodeHomeTest {
  @TempDir Path dir;

  @Test
  void propertyBeatsEnvironmentBeatsDefault() {
    assertEquals(Path.of("/a").toAbsolutePath(), NodeHome.resolve("/a", "/b", "/home/u"));
    assertEquals(Path.of("/b").toAbsolutePath(), NodeHome.resolve(null, "/b", "/home/u"));
    assertEquals(Path.of("/home/u/.cairn"), NodeHome.resolve("", " ", "/home/u"));
    assertEquals(Path.of("/home/u/n1"), NodeHome.resolve("~/n1", null, "/home/u"));
  }

  @Test
  void createsHomeOwnerOnlyAndReportsReleaseVersion() throws Exception {
    Path home = dir.resolve("deep/home");
    NodeHome node = new NodeHome(home, Version.parseVersion("0.1.0.202611241541"), "abc1234");
    assertTrue(Files.isDirectory(home));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
    assertEquals("0.1.0", node.version());
    assertEquals("cairn/0.1.0", node.agentVersion());
    assertEquals("abc1234", node.commit());
  }
}
