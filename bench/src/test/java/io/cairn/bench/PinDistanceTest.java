package io.cairn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pin-distance.sh's report: medians over interleaved runs, each ratio against the right reference. */
class PinDistanceTest {
  @Test
  void mediansAndRatios(@TempDir Path dir) throws Exception {
    Path runs = Files.writeString(dir.resolve("runs.tsv"), String.join("\n",
        "1\tload\tload\t200\t1\t-", "2\tload\tload\t180\t1\t-", "3\tload\tload\t190\t1\t-",
        "1\tdirect\tfresh\t50\t3\t0.2", "1\tdirect\twarm\t150\t1\t0.2",
        "2\tdirect\tfresh\t70\t3\t0.3", "2\tdirect\twarm\t140\t1\t0.3",
        "3\tdirect\tfresh\t60\t3\t0.1", "3\tdirect\twarm\t160\t1\t0.1",
        "1\tcapped\tfresh\t30\t3\t101", "1\tcapped\twarm\t75\t1\t101",
        "2\tcapped\tfresh\t40\t3\t103", "2\tcapped\twarm\t80\t1\t103") + "\n");
    Path paths = Files.writeString(dir.resolve("paths.tsv"), "direct\tno\t0\t0\t0\ncapped\tyes\t50\t100000000\t1048576\n");
    Path meta = Files.writeString(dir.resolve("meta.txt"), "runs=3\nconfiguration=static\n");
    String table = PinDistance.report(runs, paths, meta, dir);

    String json = Files.readString(dir.resolve("pin-distance.json"));
    assertEquals(190, Json.number(json, "medianMbPerSec"), "the load tool's median");
    assertEquals(3, Json.number(json, "runs"));
    assertEquals("static", Json.string(json, "configuration"));
    // direct: fresh 60, warm 150; capped: fresh 35, warm 77.5, ping 102
    assertTrue(json.contains("\"warmMedianMbPerSec\":150.0,\"warmOfFirstPath\":1.0,\"warmOfLoad\":0.789"), json);
    assertTrue(json.contains("\"pingMedianMs\":102.0"), json);
    assertTrue(json.contains("\"warmMedianMbPerSec\":77.5,\"warmOfFirstPath\":0.517,\"warmOfLoad\":0.408,\"warmOfCap\":0.775,"
        + "\"freshOfWarm\":0.452"), json);
    assertTrue(table.contains("| capped | 102.0 | 35.0 | 77.5 | 52% | 41% | 78% | 45% |"), table);
    assertTrue(Files.size(dir.resolve("pin-distance.png")) > 1000);
  }
}
