package io.cairn.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.rpc.RpcException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Kubo's error answer: {@code {"Message": ..., "Code": n, "Type": "error"}} as JSON, with its length. */
final class ErrorAnswer {
  private ErrorAnswer() {}

  /** The error with the status its code maps to (a client error 400, the rest 500), as go-ipfs-cmds sends it. */
  static void write(HttpServletResponse resp, ObjectMapper json, String server, RpcException e) throws IOException {
    write(resp, json, server, e.code().httpStatus(), e.code(), e.getMessage(), Map.of());
  }

  /**
   * The error with {@code status} and {@code headers}; nothing if the answer is already on its way. The
   * length is sent, so the client has the whole answer once it has these bytes.
   */
  static void write(HttpServletResponse resp, ObjectMapper json, String server, int status, RpcException.Code code,
      String message, Map<String, String> headers) throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    resp.reset();
    resp.setStatus(status);
    resp.setHeader("Server", server);
    headers.forEach(resp::setHeader);
    resp.setContentType("application/json");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Message", message == null ? "error" : message);
    body.put("Code", code.value());
    body.put("Type", "error");
    byte[] bytes = json.writeValueAsBytes(body);
    resp.setContentLength(bytes.length + 1);
    resp.getOutputStream().write(bytes);
    resp.getOutputStream().write('\n');
    resp.flushBuffer();
  }
}
