package io.cairn.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A plain HTTP client for the node's RPC, as curl would call it. */
public final class Rpc {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Rpc(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public static Rpc onPort(int port) {
    return new Rpc("http://127.0.0.1:" + port);
  }

  public HttpResponse<String> post(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    return send("POST", pathAndQuery, headers);
  }

  public HttpResponse<String> send(String method, String pathAndQuery, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A POST whose answer is binary (block/get). */
  public HttpResponse<byte[]> postForBytes(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * {@code block/put} of one block as curl would send it (multipart, one part); the response body is
   * Kubo's {@code {"Key":...,"Size":...}}.
   */
  public HttpResponse<String> putBlock(byte[] data, String query) throws IOException, InterruptedException {
    String boundary = "cairn-" + Long.toHexString(System.nanoTime());
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"block\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] body = new byte[head.length + data.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(data, 0, body, head.length, data.length);
    System.arraycopy(tail, 0, body, head.length + data.length, tail.length);
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v0/block/put" + query))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A POST with a {@code multipart/form-data} body of one part per entry, as kubo-rpc-client and
   * ipfs-cluster send it: parts named {@code file}, {@code file-1}, ..., {@code filename} URI-encoded
   * (empty when the name is empty), {@code application/x-directory} for a null body.
   */
  public HttpResponse<String> postMultipart(String pathAndQuery, List<Map.Entry<String, byte[]>> parts, Duration timeout)
      throws IOException, InterruptedException {
    String boundary = "cairn-" + Long.toHexString(System.nanoTime());
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      Map.Entry<String, byte[]> part = parts.get(i);
      String type = part.getValue() == null ? "application/x-directory" : "application/octet-stream";
      String name = i == 0 ? "file" : "file-" + i;
      String filename = java.net.URLEncoder.encode(part.getKey(), java.nio.charset.StandardCharsets.UTF_8);
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
          + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (part.getValue() != null) {
        body.writeBytes(part.getValue());
      }
      body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A POST with no body and a chosen timeout (long operations: pin/add, repo/gc). */
  public HttpResponse<String> post(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Retries while the node is starting: the port is not open yet (connection refused: the API opens it only
   * once the RPC servlet is there) or the RPC answers 503 until the node is ready. Anything else, a 404
   * included, is the answer: the API never lets Felix's own 404 through.
   */
  public HttpResponse<String> postWhenUp(String pathAndQuery, Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        HttpResponse<String> r = post(pathAndQuery);
        if (r.statusCode() != 503 || System.nanoTime() > deadline) {
          return r;
        }
      } catch (java.net.ConnectException refused) {
        if (System.nanoTime() > deadline) {
          throw refused;
        }
      }
      Thread.sleep(50);
    }
  }
}
