package io.cairn.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console password: read from a file only its owner can read, generated there on first start.
 * In memory only a salted hash of it is kept (HMAC-SHA256 under a random key of this process), compared
 * in constant time. Not a slow hash: the plain password sits in the owner-only file anyway, so a slow
 * hash would protect nothing more, and it cost a fifth of the node's boot (PBKDF2 at 100,000 rounds in
 * the component's activation, in a JFR profile). Guessing is slowed by the login back-off instead.
 */
final class ConsolePassword {
  /** 18 random bytes: 144 bits, 24 characters of URL-safe Base64 (no padding, nothing to escape). */
  private static final int GENERATED_BYTES = 18;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final FileTime modified;
  private final byte[] salt = new byte[32];
  private final byte[] hash;

  private ConsolePassword(Path file, FileTime modified, String password) {
    this.file = file;
    this.modified = modified;
    RANDOM.nextBytes(salt);
    this.hash = hmac(password, salt);
  }

  /** The result of {@link #load}: the password, and whether it was generated just now. */
  record Loaded(ConsolePassword password, boolean created) {}

  /**
   * Reads the password from the first line of {@code file}, generating a random one (mode 0600) when the
   * file does not exist. An empty file is an error: there is never a default password.
   */
  static Loaded load(Path file) throws IOException {
    boolean created = false;
    if (!Files.exists(file)) {
      created = create(file);
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String password = text.lines().findFirst().orElse("").strip();
    if (password.isEmpty()) {
      throw new IOException(file + " holds no password: write one on its first line, or delete the file to have one generated");
    }
    return new Loaded(new ConsolePassword(file, Files.getLastModifiedTime(file), password), created);
  }

  private static boolean create(Path file) throws IOException {
    byte[] random = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException raced) {
      return false; // made meanwhile (another activation): use that one
    }
    Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    return true;
  }

  /** Whether group or others may read or write the file (null when the file system has no POSIX modes). */
  static String looseMode(Path file) throws IOException {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      boolean loose = p.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
      return loose ? PosixFilePermissions.toString(p) : null;
    } catch (UnsupportedOperationException notPosix) {
      return null;
    }
  }

  boolean matches(String candidate) {
    return MessageDigest.isEqual(hash, hmac(candidate, salt));
  }

  Path file() {
    return file;
  }

  /** Whether the file changed since it was read (the operator set a new password). */
  boolean stale() {
    try {
      return !Files.getLastModifiedTime(file).equals(modified);
    } catch (IOException e) {
      return true;
    }
  }

  private static byte[] hmac(String password, byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
