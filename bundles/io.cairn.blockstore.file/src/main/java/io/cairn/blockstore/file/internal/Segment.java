package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.file.internal.RecordFormat.BadHeader;
import io.cairn.blockstore.file.internal.RecordFormat.Header;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment file: a header, then records appended by the tier's single writer. Positional reads
 * are safe from any thread; only the writer appends, truncates or forces.
 */
final class Segment implements AutoCloseable {
  private static final String SUFFIX = ".seg";

  final int id;
  final Path path;
  private final FileChannel channel;
  /** Bytes of valid records and header; where the next append goes. Written by the writer only. */
  private volatile long size;

  private Segment(int id, Path path, FileChannel channel, long size) {
    this.id = id;
    this.path = path;
    this.channel = channel;
    this.size = size;
  }

  static String fileName(int id) {
    return String.format("%010d%s", id, SUFFIX);
  }

  /** The segment id a file name stands for, or -1 for files that are not segments. */
  static int idOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(SUFFIX) || name.length() != 10 + SUFFIX.length()) {
      return -1;
    }
    try {
      return Integer.parseInt(name.substring(0, 10));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static Segment create(Path dir, int id) throws IOException {
    Path path = dir.resolve(fileName(id));
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    ByteBuffer header = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER);
    RecordFormat.writeSegmentHeader(header, id);
    header.flip();
    while (header.hasRemaining()) {
      channel.write(header, header.position());
    }
    return new Segment(id, path, channel, RecordFormat.SEGMENT_HEADER);
  }

  /**
   * Opens an existing segment. Its size is the file's until {@link #scan} has found where the valid
   * records end; a header that is not ours is an {@link IOException} naming the file.
   */
  static Segment open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER);
      readFully(channel, header, 0);
      header.flip();
      int id = RecordFormat.readSegmentHeader(header);
      if (id < 0 || id != idOf(path)) {
        throw new IOException(path + " is not a Cairn segment (bad header)");
      }
      return new Segment(id, path, channel, channel.size());
    } catch (EOFException e) {
      channel.close();
      throw new IOException(path + " is shorter than a segment header", e);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  long size() {
    return size;
  }

  /** Appends {@code data} (from its position to its limit) at the end. Writer only. */
  void append(ByteBuffer data) throws IOException {
    long position = size;
    while (data.hasRemaining()) {
      position += channel.write(data, position);
    }
    size = position;
  }

  /** Cuts the file back to {@code length}, dropping what a failed or torn write left. Writer only. */
  void truncate(long length) throws IOException {
    channel.truncate(length);
    size = length;
  }

  void force() throws IOException {
    channel.force(false);
  }

  /** Fills {@code dst} from {@code position}; an {@link EOFException} if the file ends first. */
  void read(ByteBuffer dst, long position) throws IOException {
    readFully(channel, dst, position);
  }

  private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
    long at = position;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, at);
      if (n < 0) {
        throw new EOFException("end of file at " + at);
      }
      at += n;
    }
  }

  /** What a scan found: where the valid records end, and the first bad header if that is why it stopped. */
  record ScanEnd(long end, String badHeader) {
  }

  /**
   * Reads the records from {@code from} onwards, handing each header to {@code onRecord}. Stops at the
   * end of the file, at the first bad or cut-short header, or (when {@code checkPayloads}, for the
   * segment that was being written) at the first payload that fails its checksum: that offset is the
   * end of the valid log in this segment.
   */
  ScanEnd scan(long from, boolean checkPayloads, RecordConsumer onRecord) throws IOException {
    long fileEnd = channel.size();
    long offset = from;
    ByteBuffer head = ByteBuffer.allocate(RecordFormat.HEADER + RecordFormat.MAX_CID);
    while (offset < fileEnd) {
      if (fileEnd - offset < RecordFormat.HEADER) {
        return new ScanEnd(offset, "a record header cut short at offset " + offset);
      }
      head.clear().limit((int) Math.min(head.capacity(), fileEnd - offset));
      read(head, offset);
      head.flip();
      Header header;
      try {
        header = RecordFormat.readHeader(head, offset);
      } catch (BadHeader e) {
        return new ScanEnd(offset, e.getMessage());
      }
      if (header.end() > fileEnd) {
        return new ScanEnd(offset, "a record cut short at offset " + offset);
      }
      if (checkPayloads && !payloadChecksumHolds(header)) {
        return new ScanEnd(offset, "a record whose payload fails its checksum at offset " + offset);
      }
      onRecord.accept(header);
      offset = header.end();
    }
    return new ScanEnd(offset, null);
  }

  private boolean payloadChecksumHolds(Header header) throws IOException {
    byte[] payload = new byte[header.storedLength() + RecordFormat.TRAILER];
    read(ByteBuffer.wrap(payload), header.payloadOffset());
    int stored = ByteBuffer.wrap(payload, header.storedLength(), RecordFormat.TRAILER).getInt();
    return RecordFormat.crc(payload, 0, header.storedLength()) == stored;
  }

  /** Receives scanned records; may throw the store's I/O errors. */
  @FunctionalInterface
  interface RecordConsumer {
    void accept(Header header) throws IOException;
  }

  void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
