package io.cairn.car;

import io.cairn.car.internal.StreamingCarReader;
import io.cairn.car.internal.StreamingCarWriter;
import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** Where CAR readers and writers come from. */
public final class Car {
  /** The media type of a CAR ({@code application/vnd.ipld.car}). */
  public static final String MEDIA_TYPE = "application/vnd.ipld.car";

  private Car() {}

  /**
   * A reader of the CAR in {@code in}; its header is read (and checked) now.
   *
   * @throws CarFormatException if the header is malformed, over {@code limits}, or of a version other than
   *     1 or 2
   * @throws IOException if the stream fails
   */
  public static CarReader reader(InputStream in, CarLimits limits) throws IOException {
    return StreamingCarReader.open(in, limits);
  }

  /** A CAR v1 writer to {@code out} whose header names {@code roots}; the header is written now. */
  public static CarWriter writer(OutputStream out, List<Cid> roots) throws IOException {
    return new StreamingCarWriter(out, roots);
  }
}
