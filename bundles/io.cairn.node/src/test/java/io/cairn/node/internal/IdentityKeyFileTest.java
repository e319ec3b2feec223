package io.cairn.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityKeyFileTest {
  @TempDir Path dir;

  @Test
  void createsOnceWithOwnerOnlyModeAndReusesAfter() throws Exception {
    Path file = dir.resolve("identity.key");
    IdentityKeyFile.Loaded first = IdentityKeyFile.loadOrCreate(file);
    assertTrue(first.created());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(Files.exists(dir.resolve("identity.key.tmp")));

    IdentityKeyFile.Loaded second = IdentityKeyFile.loadOrCreate(file);
    assertFalse(second.created());
    assertEquals(PeerId.fromPublicKey(first.key().publicKey()), PeerId.fromPublicKey(second.key().publicKey()));
    byte[] message = "hello".getBytes();
    assertTrue(first.key().publicKey().verify(message, second.key().sign(message)));
  }

  @Test
  void corruptFileIsAClearErrorAndIsNeverReplaced() throws Exception {
    Path file = dir.resolve("identity.key");
    IdentityKeyFile.loadOrCreate(file);
    byte[] good = Files.readAllBytes(file);
    byte[] truncated = Arrays.copyOf(good, good.length - 5);
    Files.write(file, truncated);

    IdentityKeyException e = assertThrows(IdentityKeyException.class, () -> IdentityKeyFile.loadOrCreate(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    assertArrayEquals(truncated, Files.readAllBytes(file), "a corrupt key file must be left as it is");
  }

  @Test
  void garbageAndOversizeFilesAreRejected() throws Exception {
    Path file = dir.resolve("identity.key");
    Files.write(file, "not a key at all".getBytes());
    assertThrows(IdentityKeyException.class, () -> IdentityKeyFile.read(file));
    Files.write(file, new byte[IdentityKeyFile.MAX_SIZE + 1]);
    IdentityKeyException e = assertThrows(IdentityKeyException.class, () -> IdentityKeyFile.read(file));
    assertTrue(e.getMessage().contains("bytes"), e.getMessage());
  }

  @Test
  void warnsWhenOthersCanRead() throws Exception {
    Path file = dir.resolve("identity.key");
    IdentityKeyFile.loadOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(IdentityKeyFile.loadOrCreate(file).tooOpen());
  }
}
