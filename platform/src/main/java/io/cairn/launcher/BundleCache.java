package io.cairn.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps Felix's bundle cache ({@code $CAIRN_PATH/felix-cache}) from one start to the next while the
 * distribution is unchanged, and cleans it when the distribution changed.
 *
 * <p>Cleaning it at every start ({@code org.osgi.framework.storage.clean=onFirstInit}, as before) made
 * every start copy the ~90 bundle jars (50 MB) into the cache and parse them again. Keeping it blindly
 * would run stale bundles after an upgrade (a rebuilt SNAPSHOT keeps its version). So the launcher
 * records a fingerprint of {@code bundle/} and {@code lib/} (names, sizes, modification times) beside
 * the cache and asks Felix to clean the cache only when the fingerprint differs. An operator who sets
 * {@code org.osgi.framework.storage.clean} (e.g. {@code -Dorg.osgi.framework.storage.clean=onFirstInit})
 * gets what they set.
 */
final class BundleCache {
  static final String CLEAN = "org.osgi.framework.storage.clean";
  static final String FINGERPRINT_FILE = "cairn-dist.fingerprint";

  private final Path fingerprintFile;
  private final String fingerprint;

  private BundleCache(Path fingerprintFile, String fingerprint) {
    this.fingerprintFile = fingerprintFile;
    this.fingerprint = fingerprint;
  }

  /** Decides, before the framework is made, whether Felix cleans its cache; sets {@value #CLEAN} accordingly. */
  static BundleCache of(Map<String, String> props) {
    Path storage = Path.of(props.get("org.osgi.framework.storage"));
    Path dist = Path.of(props.get("cairn.dist"));
    String now = fingerprint(dist);
    Path file = storage.resolve(FINGERPRINT_FILE);
    String recorded = null;
    try {
      recorded = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    } catch (IOException e) {
      // Unreadable: treat as changed.
    }
    if (!props.containsKey(CLEAN)) {
      props.put(CLEAN, now.equals(recorded) ? "none" : "onFirstInit");
    }
    return new BundleCache(file, now);
  }

  /** Records the fingerprint once the distribution's bundles are in the cache. */
  void installed() throws IOException {
    Files.writeString(fingerprintFile, fingerprint + "\n", StandardCharsets.UTF_8);
  }

  /** SHA-256 over the name, size and modification time of every file in {@code bundle/} and {@code lib/}. */
  static String fingerprint(Path dist) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String folder : List.of("lib", "bundle")) {
        Path dir = dist.resolve(folder);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
          files = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path f : files) {
          String line = folder + "/" + f.getFileName() + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis() + "\n";
          sha.update(line.getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      return "unreadable: " + e; // never equal to a recorded digest: the cache is cleaned
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
