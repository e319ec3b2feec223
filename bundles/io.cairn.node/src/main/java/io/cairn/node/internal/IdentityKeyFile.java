package io.cairn.node.internal;

import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PrivateKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The identity key on disk: the libp2p {@code PrivateKey} protobuf, file mode 0600. Created once,
 * durably (write, force, atomic rename, force the folder); never replaced once it exists.
 */
final class IdentityKeyFile {
  /** An Ed25519 key file is 68 bytes; anything this large is not a key we wrote. */
  static final int MAX_SIZE = 16 * 1024;

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private IdentityKeyFile() {}

  /** The outcome of {@link #loadOrCreate}: the key, and whether this call created it. */
  record Loaded(PrivateKey key, boolean created, boolean tooOpen) {}

  static Loaded loadOrCreate(Path file) throws IdentityKeyException {
    if (Files.exists(file)) {
      return new Loaded(read(file), false, isReadableByOthers(file));
    }
    PrivateKey key = Keys.generateEd25519();
    write(file, key.toProtobuf());
    return new Loaded(key, true, false);
  }

  static PrivateKey read(Path file) throws IdentityKeyException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_SIZE) {
        throw corrupt(file, "it has " + size + " bytes; a key file has at most " + MAX_SIZE);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IdentityKeyException("cannot read the identity key file " + file + ": " + e, e);
    }
    PrivateKey key;
    try {
      key = Keys.unmarshalPrivateKey(bytes);
    } catch (MultiformatException e) {
      throw corrupt(file, e.getMessage());
    }
    if (key.type() != KeyType.ED25519) {
      throw new IdentityKeyException("the identity key file " + file + " holds a " + key.type()
          + " key; Cairn signs with Ed25519 keys only. Move the file away to create a new identity.", null);
    }
    return key;
  }

  private static IdentityKeyException corrupt(Path file, String why) {
    return new IdentityKeyException("the identity key file " + file + " is corrupt (" + why
        + "). Cairn does not replace an identity: restore the file from a backup, or move it away to create a new identity.", null);
  }

  private static void write(Path file, byte[] content) throws IdentityKeyException {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      if (posix) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(tmp);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
      if (posix) {
        // A rename is atomic but not durable until the folder itself is synced.
        try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ)) {
          dirChannel.force(true);
        }
      }
    } catch (IOException e) {
      throw new IdentityKeyException("cannot write the identity key file " + file + ": " + e, e);
    }
  }

  private static boolean isReadableByOthers(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
  }
}
