package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.blockstore.Block;
import io.cairn.itests.TestBlocks.BlockSet;
import io.cairn.itests.TestBlocks.Kind;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two Cairn daemons: a 256 MiB directory added on A is pinned recursively on B over bitswap, with
 * progress; then GC on A removes the unpinned blocks put beside it and nothing of the pinned DAG.
 */
class TwoNodePinGcIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FILES = 64;
  private static final int CHUNKS_PER_FILE = 4;
  /** Each file is four 1 MiB test blocks back to back: 64 files, 256 MiB. */
  private static final BlockSet CONTENT = new BlockSet(Kind.RAW, 1 << 20, FILES * CHUNKS_PER_FILE);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static byte[] chunk(int file, int i) {
    return TestBlocks.block(CONTENT, (long) file * CHUNKS_PER_FILE + i).data();
  }

  /** The add body, made as it is sent (never 256 MiB in memory): the directory part, then one part per file. */
  private static InputStream addBody(String boundary) {
    List<InputStream> pieces = new ArrayList<>();
    pieces.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big\"\r\n"
        + "Content-Type: application/x-directory\r\n\r\n\r\n"));
    for (int f = 0; f < FILES; f++) {
      int file = f;
      pieces.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file-" + (f + 1) + "\"; filename=\""
          + "big%2Ff" + f + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
      for (int i = 0; i < CHUNKS_PER_FILE; i++) {
        int chunk = i;
        pieces.add(new LazyStream(() -> chunk(file, chunk)));
      }
      pieces.add(text("\r\n"));
    }
    pieces.add(text("--" + boundary + "--\r\n"));
    return new SequenceInputStream(Collections.enumeration(pieces));
  }

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Makes its bytes only when first read, so the body holds one chunk at a time. */
  private static final class LazyStream extends InputStream {
    private final java.util.function.Supplier<byte[]> source;
    private ByteArrayInputStream in;

    LazyStream(java.util.function.Supplier<byte[]> source) {
      this.source = source;
    }

    private ByteArrayInputStream in() {
      if (in == null) {
        in = new ByteArrayInputStream(source.get());
      }
      return in;
    }

    @Override
    public int read() {
      return in().read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in().read(b, off, len);
    }
  }

  private static List<JsonNode> ndjson(String base, String pathAndQuery, HttpRequest.BodyPublisher body, String contentType)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofMinutes(5))
        .POST(body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<Stream<String>> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    List<JsonNode> out = new ArrayList<>();
    try (Stream<String> lines = r.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    assertEquals(200, r.statusCode(), out.toString());
    assertTrue(r.headers().firstValue("X-Stream-Error").orElse("").isEmpty(), r.headers().toString());
    return out;
  }

  @Test
  void aDirectoryAddedOnOneNodeIsPinnedOnTheOtherThenGcKeepsOnlyWhatIsPinned() throws Exception {
    int swarmA = CairnOptions.freePort();
    try (CairnProcess a = CairnProcess.daemon(CairnOptions.tempDir("pin-a"), "--swarm-address", "/ip4/127.0.0.1/tcp/" + swarmA,
            "--gateway-address", "127.0.0.1:0");
        CairnProcess b = CairnProcess.daemon(CairnOptions.tempDir("pin-b"), "--swarm-address", "/ip4/127.0.0.1/tcp/0",
            "--gateway-address", "127.0.0.1:0")) {
      String apiA = a.awaitRpcBase(60);
      String apiB = b.awaitRpcBase(60);
      assertFalse(apiA.isEmpty(), a.output());
      assertFalse(apiB.isEmpty(), b.output());
      Rpc rpcA = new Rpc(apiA);
      Rpc rpcB = new Rpc(apiB);

      String boundary = "cairn-two-node";
      List<JsonNode> added = ndjson(apiA, "/api/v0/add", HttpRequest.BodyPublishers.ofInputStream(() -> addBody(boundary)),
          "multipart/form-data; boundary=" + boundary);
      String root = added.stream().filter(e -> e.path("Name").asText().equals("big")).findFirst()
          .orElseThrow(() -> new AssertionError(added.toString())).path("Hash").asText();

      // The add pinned it: a failed pin shows only in the stream's trailer, which this client cannot read.
      JsonNode pinnedOnA = JSON.readTree(rpcA.post("/api/v0/pin/ls?arg=" + root + "&type=recursive&stream=true").body());
      assertEquals(root, pinnedOnA.path("Cid").asText(), () -> pinnedOnA + "; node A said:\n" + a.output());

      assertEquals(200, rpcB.post("/api/v0/swarm/connect?arg=/ip4/127.0.0.1/tcp/" + swarmA + "/p2p/" + a.peerId()).statusCode());
      List<JsonNode> progress = ndjson(apiB, "/api/v0/pin/add?arg=" + root + "&recursive=true&progress=true",
          HttpRequest.BodyPublishers.noBody(), null);
      List<Long> counts = progress.stream().filter(p -> p.has("Progress")).map(p -> p.path("Progress").asLong()).toList();
      assertFalse(counts.isEmpty(), progress.toString());
      for (int i = 1; i < counts.size(); i++) {
        assertTrue(counts.get(i) >= counts.get(i - 1), "progress went back: " + counts);
      }
      // 256 one-MiB files of 256 KiB chunks: 1024 leaves, 64 file nodes, the directory
      assertTrue(counts.get(counts.size() - 1) >= 1024 + FILES + 1, counts.toString());
      JsonNode pinned = JSON.readTree(rpcB.post("/api/v0/pin/ls?arg=" + root + "&type=recursive&stream=true").body());
      assertEquals(root, pinned.path("Cid").asText());
      // GC on A, which pinned the directory when adding it: blocks put beside it go, the DAG stays
      List<Block> loose = TestBlocks.raw(4096, 50);
      for (Block block : loose) {
        assertEquals(200, rpcA.putBlock(block.data(), "?cid-codec=raw").statusCode());
      }
      List<JsonNode> removed = ndjson(apiA, "/api/v0/repo/gc?stream-errors=true", HttpRequest.BodyPublishers.noBody(), null);
      Set<String> keys = removed.stream().map(r -> r.path("Key").path("/").asText()).collect(Collectors.toSet());
      assertEquals(loose.stream().map(x -> x.cid().toString()).collect(Collectors.toSet()), new HashSet<>(keys),
          () -> "GC must remove exactly the unpinned blocks; node A said:\n" + a.output());
      JsonNode verified = JSON.readTree(rpcA.post("/api/v0/pin/verify?verbose=true").body().lines().findFirst().orElseThrow());
      assertTrue(verified.path("Ok").asBoolean(), verified.toString());

      // B holds the whole DAG itself: with A gone, every file reads back
      a.terminate(30);
      for (int f : new int[] {0, 17, FILES - 1}) {
        HttpResponse<byte[]> file = rpcB.postForBytes("/api/v0/cat?arg=/ipfs/" + root + "/f" + f + ".bin");
        assertEquals(200, file.statusCode());
        for (int i = 0; i < CHUNKS_PER_FILE; i++) {
          assertArrayEquals(chunk(f, i), java.util.Arrays.copyOfRange(file.body(), i << 20, (i + 1) << 20));
        }
      }
    }
  }
}
