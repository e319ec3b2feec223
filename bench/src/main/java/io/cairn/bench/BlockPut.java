package io.cairn.bench;

import io.cairn.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the deterministic test blocks into a node through Kubo's RPC {@code POST /api/v0/block/put}
 * (multipart, one block per part, many parts per request, {@code cid-codec=raw}) and checks that every
 * CID the node answers is the one the block must have. Works against Cairn and Kubo alike.
 */
final class BlockPut {
  /** Parts are gathered into one request up to about this many bytes of block data. */
  private static final int REQUEST_BYTES = 8 << 20;
  private static final int MAX_PARTS_PER_REQUEST = 1_000;
  private static final Pattern KEY = Pattern.compile("\"Key\"\\s*:\\s*\"([^\"]+)\"");

  private BlockPut() {}

  /**
   * Puts blocks 0..count-1 of {@code size} bytes.
   *
   * @param api the RPC base, e.g. {@code http://127.0.0.1:5001}
   * @return the CIDs put, in index order
   * @throws IOException if a request fails or the node answers a CID other than the block's
   */
  static List<Cid> put(String api, int count, int size) throws IOException, InterruptedException {
    TestBlocks blocks = new TestBlocks(size);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI uri = URI.create(api.replaceAll("/+$", "") + "/api/v0/block/put?cid-codec=raw&mhtype=sha2-256");
    int perRequest = Math.max(1, Math.min(MAX_PARTS_PER_REQUEST, REQUEST_BYTES / size));
    List<Cid> all = new ArrayList<>(count);
    for (int first = 0; first < count; first += perRequest) {
      int n = Math.min(perRequest, count - first);
      String boundary = "cairn-" + UUID.randomUUID();
      ByteArrayOutputStream body = new ByteArrayOutputStream(n * (size + 160));
      List<Cid> expected = new ArrayList<>(n);
      for (int i = first; i < first + n; i++) {
        byte[] data = blocks.data(i);
        expected.add(TestBlocks.cidOf(data));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"block-" + i
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(data);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("block/put of blocks " + first + ".." + (first + n - 1) + ": HTTP " + response.statusCode()
            + ": " + response.body());
      }
      List<Cid> answered = new ArrayList<>(n);
      Matcher m = KEY.matcher(response.body());
      while (m.find()) {
        answered.add(Cid.parse(m.group(1)));
      }
      // A failure after the first part arrives in the stream's error trailer, which the client cannot see:
      // fewer answers than parts is that failure.
      if (!answered.equals(expected)) {
        throw new IOException("block/put of blocks " + first + ".." + (first + n - 1) + " answered " + answered.size()
            + " CIDs, " + (answered.size() == n ? "not the blocks' CIDs" : "expected " + n)
            + firstDifference(expected, answered) + "; response: " + abbreviate(response.body()));
      }
      all.addAll(answered);
    }
    return all;
  }

  private static String firstDifference(List<Cid> expected, List<Cid> answered) {
    for (int i = 0; i < Math.min(expected.size(), answered.size()); i++) {
      if (!expected.get(i).equals(answered.get(i))) {
        return " (part " + i + ": expected " + expected.get(i) + ", got " + answered.get(i) + ")";
      }
    }
    return "";
  }

  private static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "...";
  }
}
