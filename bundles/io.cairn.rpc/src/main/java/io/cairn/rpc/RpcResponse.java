package io.cairn.rpc;

import java.io.IOException;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How a command answers; exactly one of the three, once. Values are written as JSON: maps (their
 * iteration order is kept, so use a {@code LinkedHashMap} for Kubo's field order), lists, strings,
 * numbers, booleans and null.
 */
@ProviderType
public interface RpcResponse {
  /** One JSON value, the whole answer. */
  void json(Object value) throws IOException;

  /** A stream of JSON values, one a line (NDJSON), flushed as written. */
  JsonLines jsonLines() throws IOException;

  /** A raw byte stream ({@code X-Stream-Output: 1}). */
  OutputStream stream(String contentType) throws IOException;

  /** A stream of JSON values, one a line; {@link #fail} puts an error in the {@code X-Stream-Error} trailer. */
  @ProviderType
  interface JsonLines {
    void write(Object value) throws IOException;

    void fail(String message);
  }
}
