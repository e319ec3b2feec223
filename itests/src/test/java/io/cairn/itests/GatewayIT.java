package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trustless gateway of a {@code bin/cairn daemon}, as JS apps use it: @helia/verified-fetch (npm,
 * pinned by the lockfile) fetches a file and a directory through it and verifies every block, and its
 * CAR answers parse with @ipld/car, every block re-hashed (itests/interop/gateway-fetch.mjs).
 */
class GatewayIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static CairnProcess node;
  private static String gateway;
  private static String fileCid;
  private static String dirCid;
  private static byte[] file;

  @BeforeAll
  static void start() throws Exception {
    int port = CairnOptions.freePort();
    gateway = "http://127.0.0.1:" + port;
    node = CairnProcess.daemon(CairnOptions.tempDir("gateway"), "--swarm-address", "/ip4/127.0.0.1/tcp/0",
        "--gateway-address", "127.0.0.1:" + port);
    String api = node.awaitRpcBase(60);
    assertFalse(api.isEmpty(), node.output());
    Rpc rpc = new Rpc(api);
    file = TestBlocks.block(new TestBlocks.BlockSet(TestBlocks.Kind.RAW, 700_000, 1), 0).data();
    HttpResponse<String> one = rpc.postMultipart("/api/v0/add", List.of(Map.entry("file.bin", file)), Duration.ofSeconds(60));
    assertEquals(200, one.statusCode(), one.body());
    fileCid = JSON.readTree(one.body().lines().reduce((a, b) -> b).orElseThrow()).path("Hash").asText();
    HttpResponse<String> dir = rpc.postMultipart("/api/v0/add", List.of(new AbstractMap.SimpleEntry<String, byte[]>("site", null),
        Map.entry("site/index.txt", "an index".getBytes()), Map.entry("site/data.bin", file)), Duration.ofSeconds(60));
    assertEquals(200, dir.statusCode(), dir.body());
    dirCid = dir.body().lines().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (Exception e) {
        throw new AssertionError(l, e);
      }
    }).filter(n -> n.path("Name").asText().equals("site")).findFirst().orElseThrow().path("Hash").asText();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonNode fetch(String target) throws Exception {
    try (InteropProcess p = InteropProcess.run("gateway-fetch.mjs", gateway, target)) {
      JsonNode result = p.await(e -> e.has("car"), 150);
      assertEquals(0, p.awaitExit(30), p.describe());
      return result;
    }
  }

  @Test
  void verifiedFetchGetsAndVerifiesAFile() throws Exception {
    JsonNode r = fetch(fileCid);
    assertTrue(r.path("verifiedFetch").path("ok").asBoolean(), r.toString());
    assertEquals(file.length, r.path("verifiedFetch").path("bytes").asInt(), r.toString());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)),
        r.path("verifiedFetch").path("sha256").asText());
    assertEquals(fileCid, r.path("car").path("roots").path(0).asText(), r.toString());
    assertEquals(4, r.path("car").path("blocks").size(), "the file node and its three 256 KiB chunks: " + r);
  }

  @Test
  void verifiedFetchGetsAndVerifiesADirectoryAndAFileByPath() throws Exception {
    JsonNode dir = fetch(dirCid);
    assertTrue(dir.path("verifiedFetch").path("ok").asBoolean(), dir.toString());
    assertTrue(dir.path("car").path("ok").asBoolean(), dir.toString());
    assertEquals(1 + 1 + 4, dir.path("car").path("blocks").size(), "directory, index and the data file's four blocks: " + dir);
    JsonNode byPath = fetch(dirCid + "/data.bin");
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)),
        byPath.path("verifiedFetch").path("sha256").asText(), byPath.toString());
  }

  @Test
  void probeAndCacheOnlyAnswersAsTheSpecSays() throws Exception {
    HttpResponse<byte[]> probe = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/ipfs/bafkqaaa?format=raw")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, probe.statusCode());
    assertEquals(0, probe.body().length);
    String missing = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    HttpResponse<String> cached = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/ipfs/" + missing + "?format=raw"))
        .header("Cache-Control", "only-if-cached").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(412, cached.statusCode(), cached.body());
    HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/ipfs/" + fileCid))
        .header("Accept", "application/vnd.ipld.raw").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode());
    assertEquals("application/vnd.ipld.raw", head.headers().firstValue("Content-Type").orElse(""));
    assertEquals("public, max-age=29030400, immutable", head.headers().firstValue("Cache-Control").orElse(""));
  }
}
