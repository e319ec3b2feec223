package io.cairn.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
  private static final String BOUNDARY = "----cairnBoundary7MA4YWxkTrZu0gW";
  private static final String TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  /** A body as kubo-rpc-client writes it: one part per file, named file, file-1, ... */
  private static byte[] body(List<byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < files.size(); i++) {
      write(out, "--" + BOUNDARY + "\r\n");
      write(out, "Content-Disposition: form-data; name=\"" + (i == 0 ? "file" : "file-" + i) + "\"; filename=\"\"\r\n");
      write(out, "Content-Type: application/octet-stream\r\n\r\n");
      out.writeBytes(files.get(i));
      write(out, "\r\n");
    }
    write(out, "--" + BOUNDARY + "--\r\n");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<byte[]> readAll(MultipartReader reader) throws Exception {
    List<byte[]> parts = new ArrayList<>();
    for (var p = reader.next(); p.isPresent(); p = reader.next()) {
      parts.add(p.get().body().readAllBytes());
    }
    return parts;
  }

  private static MultipartReader open(byte[] body) throws RpcException {
    return MultipartReader.open(TYPE, new ByteArrayInputStream(body), MultipartReader.Limits.DEFAULT);
  }

  /** Hands out at most one byte a read, as a slow network would. */
  private static InputStream trickle(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void readsPartsWithTheirHeadersAndExactBytes() throws Exception {
    byte[] tricky = ("a\r\n--" + BOUNDARY.substring(0, 10) + "\r\n\r\n--\r\n" + "--" + BOUNDARY + "x").getBytes(StandardCharsets.UTF_8);
    List<byte[]> files = List.of(new byte[0], "hello".getBytes(StandardCharsets.UTF_8), tricky, random(300_000, 1),
        random(65_536 + 17, 2));
    MultipartReader reader = open(body(files));
    var first = reader.next().orElseThrow();
    assertEquals("file", first.name());
    assertEquals("", first.filename());
    assertEquals("application/octet-stream", first.contentType());
    assertEquals("application/octet-stream", first.header("CONTENT-TYPE").orElseThrow());
    assertEquals(0, first.index());
    assertArrayEquals(files.get(0), first.body().readAllBytes());
    var second = reader.next().orElseThrow();
    assertEquals("file-1", second.name());
    assertArrayEquals(files.get(1), second.body().readAllBytes());
    List<byte[]> rest = readAll(reader);
    assertEquals(3, rest.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(files.get(i + 2), rest.get(i), "part " + (i + 2));
    }
    assertTrue(reader.next().isEmpty(), "stays at the end");
  }

  @Test
  void aBodyArrivingOneByteAtATimeReadsTheSame() throws Exception {
    List<byte[]> files = List.of(random(5000, 3), "\r\n\r\n".getBytes(StandardCharsets.UTF_8), random(200, 4));
    MultipartReader reader = MultipartReader.open(TYPE, trickle(body(files)), MultipartReader.Limits.DEFAULT);
    List<byte[]> parts = readAll(reader);
    assertEquals(3, parts.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(files.get(i), parts.get(i));
    }
  }

  @Test
  void unreadPartsAreSkippedAndAPreambleAndPaddingAreAllowed() throws Exception {
    String text = "this is a preamble\r\n--" + BOUNDARY + " \t\r\n"
        + "content-disposition: form-data; name=\"file\"; filename=\"dir%2Fa%20b.txt\"\r\n\r\n"
        + "first\r\n--" + BOUNDARY + "\r\n"
        + "Content-Disposition: form-data; name=\"file-1\"; filename=\"q\\\"uote\"\r\nAbspath: /x\r\n\r\n"
        + "second\r\n--" + BOUNDARY + "--";
    MultipartReader reader = open(text.getBytes(StandardCharsets.UTF_8));
    var first = reader.next().orElseThrow();
    assertEquals("dir/a b.txt", first.filename());
    var second = reader.next().orElseThrow();
    assertEquals("q\"uote", second.filename());
    assertEquals("/x", second.header("abspath").orElseThrow());
    assertEquals("second", new String(second.body().readAllBytes(), StandardCharsets.UTF_8));
    assertTrue(reader.next().isEmpty());
  }

  @Test
  void aQuotedBoundaryAndAnEmptyBodyOfParts() throws Exception {
    MultipartReader reader = MultipartReader.open("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"",
        new ByteArrayInputStream("--a b:c--\r\n".getBytes(StandardCharsets.UTF_8)), MultipartReader.Limits.DEFAULT);
    assertTrue(reader.next().isEmpty());
  }

  private static RpcException clientError(org.junit.jupiter.api.function.Executable e) {
    RpcException error = assertThrows(RpcException.class, e);
    assertEquals(RpcException.Code.CLIENT, error.code());
    return error;
  }

  private static RpcException malformedWhileReading(org.junit.jupiter.api.function.Executable e) {
    MalformedBodyException error = assertThrows(MalformedBodyException.class, e);
    assertEquals(RpcException.Code.CLIENT, error.error().code());
    return error.error();
  }

  @Test
  void aMissingOrWrongContentTypeIsAClientError() {
    InputStream empty = new ByteArrayInputStream(new byte[0]);
    var limits = MultipartReader.Limits.DEFAULT;
    assertTrue(clientError(() -> MultipartReader.open("", empty, limits)).getMessage().contains("no Content-Type"));
    assertTrue(clientError(() -> MultipartReader.open("application/json", empty, limits)).getMessage()
        .contains("application/json"));
    assertTrue(clientError(() -> MultipartReader.open("multipart/form-data", empty, limits)).getMessage()
        .contains("without a boundary"));
    assertTrue(clientError(() -> MultipartReader.open("multipart/form-data; boundary=", empty, limits)).getMessage()
        .contains("without a boundary"));
    assertTrue(clientError(() -> MultipartReader.open("multipart/form-data; boundary=" + "x".repeat(71), empty, limits))
        .getMessage().contains("invalid multipart boundary"));
  }

  @Test
  void aBodyWithoutItsBoundaryIsAClientError() throws Exception {
    MultipartReader reader = open("just some bytes, no boundary".getBytes(StandardCharsets.UTF_8));
    assertTrue(clientError(reader::next).getMessage().contains("no boundary line"));
    MultipartReader wrong = open(("--otherBoundary\r\n\r\nx\r\n--otherBoundary--").getBytes(StandardCharsets.UTF_8));
    assertTrue(clientError(wrong::next).getMessage().contains("no boundary line"));
    MultipartReader empty = open(new byte[0]);
    clientError(empty::next);
  }

  @Test
  void aTruncatedPartFailsTheReadThatMeetsTheEnd() throws Exception {
    byte[] whole = body(List.of(random(100_000, 5)));
    for (int cut : new int[] {whole.length - 3, whole.length - BOUNDARY.length() - 4, 50_000, 200}) {
      byte[] truncated = java.util.Arrays.copyOf(whole, cut);
      MultipartReader reader = open(truncated);
      var part = reader.next().orElseThrow();
      RpcException e = malformedWhileReading(() -> part.body().readAllBytes());
      assertTrue(e.getMessage().contains("part 0") || e.getMessage().contains("boundary"), cut + ": " + e.getMessage());
    }
  }

  @Test
  void aBodyWithoutTheClosingBoundaryIsMalformed() throws Exception {
    // The part's bytes end with the next delimiter, but nothing says whether another part or the end follows.
    String text = "--" + BOUNDARY + "\r\n\r\ndata\r\n--" + BOUNDARY;
    MultipartReader reader = open(text.getBytes(StandardCharsets.UTF_8));
    var part = reader.next().orElseThrow();
    assertTrue(malformedWhileReading(() -> part.body().readAllBytes()).getMessage().contains("right after a boundary"));
    // The boundary text followed by other bytes is data (as Go reads it): this body never closes its part.
    String garbage = "--" + BOUNDARY + "\r\n\r\ndata\r\n--" + BOUNDARY + "garbage";
    MultipartReader r2 = open(garbage.getBytes(StandardCharsets.UTF_8));
    var p2 = r2.next().orElseThrow();
    assertTrue(malformedWhileReading(() -> p2.body().readAllBytes()).getMessage().contains("no closing boundary"));
    String badLineEnd = "--" + BOUNDARY + "\r\n\r\ndata\r\n--" + BOUNDARY + " x\r\n";
    MultipartReader r3 = open(badLineEnd.getBytes(StandardCharsets.UTF_8));
    var p3 = r3.next().orElseThrow();
    assertTrue(malformedWhileReading(() -> p3.body().readAllBytes()).getMessage().contains("not followed by CRLF"));
  }

  @Test
  void aBodyThatEndsInsideTheHeadersIsMalformed() throws Exception {
    String text = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\nContent-Ty";
    MultipartReader reader = open(text.getBytes(StandardCharsets.UTF_8));
    assertTrue(clientError(reader::next).getMessage().contains("inside the headers"));
    MultipartReader noColon = open(("--" + BOUNDARY + "\r\nnot a header\r\n\r\nx\r\n--" + BOUNDARY + "--")
        .getBytes(StandardCharsets.UTF_8));
    assertTrue(clientError(noColon::next).getMessage().contains("malformed header line"));
  }

  @Test
  void hugeHeadersAreRefusedBeforeTheyAreBuffered() throws Exception {
    var limits = new MultipartReader.Limits(1024, 10);
    String oneLongLine = "--" + BOUNDARY + "\r\nX-Pad: " + "a".repeat(2000) + "\r\n\r\nx\r\n--" + BOUNDARY + "--";
    MultipartReader r1 = MultipartReader.open(TYPE, new ByteArrayInputStream(oneLongLine.getBytes(StandardCharsets.UTF_8)), limits);
    assertTrue(clientError(r1::next).getMessage().contains("headers over 1024 bytes"));
    String manyLines = "--" + BOUNDARY + "\r\n" + "X-Pad: aaaaaaaaaa\r\n".repeat(100) + "\r\nx\r\n--" + BOUNDARY + "--";
    MultipartReader r2 = MultipartReader.open(TYPE, new ByteArrayInputStream(manyLines.getBytes(StandardCharsets.UTF_8)), limits);
    assertTrue(clientError(r2::next).getMessage().contains("headers over 1024 bytes"));
    // An endless header line from a client that never stops: refused once the limit is read, not at the end.
    InputStream endless = new java.io.SequenceInputStream(
        new ByteArrayInputStream(("--" + BOUNDARY + "\r\nX-Pad: ").getBytes(StandardCharsets.UTF_8)),
        new InputStream() {
          @Override
          public int read() {
            return 'a';
          }
        });
    MultipartReader r3 = MultipartReader.open(TYPE, endless, limits);
    clientError(r3::next);
    String preamble = "p".repeat(5000) + "\r\n--" + BOUNDARY + "\r\n\r\nx\r\n--" + BOUNDARY + "--";
    MultipartReader r4 = MultipartReader.open(TYPE, new ByteArrayInputStream(preamble.getBytes(StandardCharsets.UTF_8)), limits);
    assertTrue(clientError(r4::next).getMessage().contains("within 1024 bytes"));
  }

  @Test
  void tooManyPartsAreAClientError() throws Exception {
    byte[] body = body(List.of(new byte[1], new byte[2], new byte[3]));
    MultipartReader reader = MultipartReader.open(TYPE, new ByteArrayInputStream(body), new MultipartReader.Limits(1024, 2));
    reader.next().orElseThrow();
    reader.next().orElseThrow();
    assertTrue(clientError(reader::next).getMessage().contains("more than 2 parts"));
  }

  @Test
  void limitsOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MultipartReader.Limits(100, 1));
    assertThrows(IllegalArgumentException.class, () -> new MultipartReader.Limits(MultipartReader.Limits.MAX_HEADER_BYTES + 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new MultipartReader.Limits(1024, 0));
  }

  @Test
  void parametersReadQuotedAndBareValues() {
    assertEquals(Map.of("name", "file", "filename", "a;b", "x", "y"),
        MultipartReader.parameters(" name=file; filename=\"a;b\" ; X = y"));
    assertFalse(MultipartReader.parameters("novalue; a=1").containsKey("novalue"));
  }
}
