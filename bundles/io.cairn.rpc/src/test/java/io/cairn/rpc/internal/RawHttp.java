package io.cairn.rpc.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP over a plain socket, byte for byte as written: for what a well-behaved client cannot send (HTTP/1.0,
 * a body shorter than its length, malformed chunks). The answer is read to the end of the connection.
 */
final class RawHttp {
  record Response(int status, Map<String, String> headers, String body, Map<String, String> trailers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /** A request head for {@code path}, {@code Connection: close}, plus {@code extraHeaders} (each ending CRLF). */
  static String head(String method, String path, String protocol, String extraHeaders) {
    return method + " " + path + " " + protocol + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaders + "\r\n";
  }

  /** Sends {@code request}; with {@code halfClose} the sending side then closes (the body ends there). */
  static Response exchange(int port, byte[] request, boolean halfClose) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      return parse(socket.getInputStream().readAllBytes());
    }
  }

  static Response exchange(int port, String request) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), false);
  }

  static Response post(int port, String pathAndQuery) throws IOException {
    return exchange(port, head("POST", "/api/v0/" + pathAndQuery, "HTTP/1.1", "Content-Length: 0\r\n"));
  }

  static Response parse(byte[] raw) throws IOException {
    int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
    if (headEnd < 0) {
      throw new IOException("no complete answer head in " + raw.length + " bytes: "
          + new String(raw, StandardCharsets.ISO_8859_1));
    }
    String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    int at = headEnd + 4;
    Map<String, String> trailers = new LinkedHashMap<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        int lineEnd = indexOf(raw, new byte[] {'\r', '\n'}, at);
        if (lineEnd < 0) {
          throw new IOException("chunked answer cut short: " + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String sizeLine = new String(raw, at, lineEnd - at, StandardCharsets.ISO_8859_1);
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        at = lineEnd + 2;
        if (size == 0) {
          while (true) {
            int end = indexOf(raw, new byte[] {'\r', '\n'}, at);
            if (end < 0 || end == at) {
              break;
            }
            String trailer = new String(raw, at, end - at, StandardCharsets.ISO_8859_1);
            int colon = trailer.indexOf(':');
            trailers.put(trailer.substring(0, colon).trim().toLowerCase(Locale.ROOT), trailer.substring(colon + 1).trim());
            at = end + 2;
          }
          break;
        }
        body.write(raw, at, size);
        at += size + 2;
      }
    } else {
      body.write(raw, at, raw.length - at);
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8), trailers);
  }

  private static int indexOf(byte[] data, byte[] needle, int from) {
    outer:
    for (int i = from; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Reads an answer from a stream that stays open, to the end of its head. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
