package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.blockstore.service.internal.BlockServiceComponent;
import io.cairn.testing.Components;
import io.cairn.unixfs.ImportOptions;
import io.cairn.unixfs.ImportProgress;
import io.cairn.unixfs.ImportedEntry;
import io.cairn.unixfs.Importer;
import io.cairn.unixfs.UnixFs;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

/**
 * Cairn's UnixFS importer against Helia's (ipfs-unixfs-importer under Kubo's add settings, in
 * itests/interop/unixfs-import.mjs) on the same deterministic bytes: every shape Kubo's add makes must get
 * the same CIDs, for CIDv0 with dag-pb leaves and CIDv1 with raw leaves (Kubo's defaults for each).
 */
class UnixFsImportInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 262_144;

  @TempDir Path dir;
  private final Logger log = Components.logger();
  private final BatchIOManager batchio = Components.create(BatchIOManager.class,
      "io.cairn.blockstore.batchio.internal.BatchIOComponent", log, Map.of());
  private final MultiTierBlockstore store = Components.create(MultiTierBlockstore.class,
      "io.cairn.blockstore.tiered.internal.TieredBlockstore", log, Map.of());
  private final UnixFs unixfs;

  UnixFsImportInteropTest() {
    Components.call(store, "bindBatchIO", batchio);
    BlockTier memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", log,
        Map.of("capacityBytes", 1L << 30));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id", 1L),
        null);
    unixfs = Components.createWith(UnixFs.class, "io.cairn.unixfs.internal.UnixFsComponent", Map.of(), store,
        new BlockServiceComponent(store, log), log);
  }

  @AfterEach
  void close() {
    Components.deactivate(store);
    Components.deactivate(batchio);
  }

  /** Deterministic bytes (a 64-bit LCG's top byte). */
  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    long x = seed;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      b[i] = (byte) (x >>> 56);
    }
    return b;
  }

  /** One import: entries in order, path to content (null for a directory). */
  record Case(String name, int cidVersion, boolean rawLeaves, boolean wrap, int chunkSize, Map<String, byte[]> entries) {
  }

  private List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (int v = 0; v <= 1; v++) {
      boolean raw = v == 1; // Kubo's default leaves for each CID version
      String s = "v" + v + "-";
      cases.add(file(s + "empty", v, raw, CHUNK, new byte[0]));
      cases.add(file(s + "one-byte", v, raw, CHUNK, bytes(1, 1)));
      cases.add(file(s + "one-chunk", v, raw, CHUNK, bytes(CHUNK, 2)));
      cases.add(file(s + "one-chunk-plus-one", v, raw, CHUNK, bytes(CHUNK + 1, 3)));
      cases.add(file(s + "174-chunks", v, raw, CHUNK, bytes(174 * CHUNK, 4)));
      cases.add(file(s + "two-levels", v, raw, CHUNK, bytes(175 * CHUNK + 7, 5)));
      cases.add(file(s + "three-levels-256B-chunks", v, raw, 256, bytes((174 * 174 + 1) * 256, 6)));
      Map<String, byte[]> nested = new LinkedHashMap<>();
      nested.put("d", null);
      nested.put("d/a.bin", bytes(300_000, 7));
      nested.put("d/sub/b.bin", bytes(10, 8));
      nested.put("d/sub/deeper/c.bin", new byte[0]);
      nested.put("d/empty", null);
      nested.put("d/\uFF01.txt", bytes(3, 9));
      nested.put("d/\uD83D\uDE00.txt", bytes(4, 10));
      nested.put("d/Z.txt", bytes(5, 11));
      cases.add(new Case(s + "nested-directories", v, raw, false, CHUNK, nested));
      Map<String, byte[]> wrapped = new LinkedHashMap<>();
      wrapped.put("x.bin", bytes(1000, 12));
      wrapped.put("y/z.bin", bytes(CHUNK * 2 + 5, 13));
      cases.add(new Case(s + "wrap-with-directory", v, raw, true, CHUNK, wrapped));
      // 2675 links of 64-byte names: estimated over 256 KiB, so Kubo (and Helia's links-bytes) shard it
      Map<String, byte[]> sharded = new LinkedHashMap<>();
      for (int i = 0; i < 2675; i++) {
        sharded.put(String.format("big/%064d", i), bytes(i % 5, i));
      }
      cases.add(new Case(s + "hamt-sharded-directory", v, raw, false, CHUNK, sharded));
    }
    return cases;
  }

  private static Case file(String name, int v, boolean raw, int chunk, byte[] content) {
    Map<String, byte[]> one = new LinkedHashMap<>();
    one.put("", content);
    return new Case(name, v, raw, false, chunk, one);
  }

  /** Cairn's CIDs: path to CID of every file and directory the import reports. */
  private Map<String, String> cairn(Case c) throws Exception {
    ImportOptions options = new ImportOptions("size-" + c.chunkSize(), c.cidVersion(), c.rawLeaves(), c.wrap(),
        ImportOptions.DEFAULT_HASH, false);
    Importer importer = unixfs.importer(options, ImportProgress.NONE);
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : c.entries().entrySet()) {
      if (e.getValue() == null) {
        importer.addDirectory(e.getKey());
      } else {
        try (InputStream in = new java.io.ByteArrayInputStream(e.getValue())) {
          ImportedEntry file = importer.addFile(e.getKey(), in);
          out.put(file.path(), file.cid().toString());
        }
      }
    }
    for (ImportedEntry d : importer.finish()) {
      out.put(d.path(), d.cid().toString());
    }
    out.put("(root)", importer.root().cid().toString());
    return out;
  }

  @Test
  void cairnImportsGiveHeliasCidsUnderKubosSettings() throws Exception {
    List<Case> cases = cases();
    ObjectNode spec = JSON.createObjectNode();
    ArrayNode specCases = spec.putArray("cases");
    int fileNo = 0;
    for (Case c : cases) {
      ObjectNode node = specCases.addObject();
      node.put("name", c.name()).put("cidVersion", c.cidVersion()).put("rawLeaves", c.rawLeaves()).put("wrap", c.wrap())
          .put("chunkSize", c.chunkSize());
      ArrayNode entries = node.putArray("entries");
      for (Map.Entry<String, byte[]> e : c.entries().entrySet()) {
        ObjectNode entry = entries.addObject().put("path", e.getKey());
        if (e.getValue() == null) {
          entry.put("dir", true);
        } else {
          Path file = Files.write(dir.resolve("f" + fileNo++), e.getValue());
          entry.put("file", file.toString());
        }
      }
    }
    Path specFile = dir.resolve("spec.json");
    JSON.writeValue(specFile.toFile(), spec);

    try (InteropProcess helia = new InteropProcess("unixfs-import.mjs", List.of("--spec", specFile.toString())) { }) {
      helia.awaitEvent("done", 300);
      for (Case c : cases) {
        JsonNode imported = helia.await(e -> c.name().equals(e.path("case").asText()), 5);
        Map<String, String> expected = new TreeMap<>();
        for (JsonNode e : imported.path("entries")) {
          expected.put(e.path("path").asText(), e.path("cid").asText());
        }
        expected.put("(root)", imported.path("root").asText());
        Map<String, String> actual = cairn(c);
        // Helia names an unnamed file by its CID; Cairn by the empty path (add's output names it by CID too)
        if (actual.containsKey("") && !c.wrap()) {
          assertEquals(expected.get("(root)"), actual.get(""), c.name());
          actual.remove("");
          expected.keySet().removeIf(k -> !k.equals("(root)"));
        }
        // Helia does not report an empty directory given on its own (Kubo's add does); its CID is in its parent's
        for (String extra : new ArrayList<>(actual.keySet())) {
          if (!expected.containsKey(extra) && c.entries().containsKey(extra) && c.entries().get(extra) == null) {
            actual.remove(extra);
          }
        }
        assertEquals(expected, actual, c.name());
      }
    }
  }
}
