package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.CompressionCodec;
import io.cairn.blockstore.CorruptBlockException;
import io.cairn.blockstore.file.internal.RecordFormat.Header;
import io.cairn.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A tier's reads: a lookup in the {@link LiveIndex}, then positional reads of the record, its header
 * checked against the index and its payload against its CRC32C. Blocking, and safe from any thread:
 * {@link FileTier} runs them on its {@link ReadExecutor}. They never queue behind writes.
 *
 * <p>Compaction moves a record and then closes and deletes its old segment, with no lock between them
 * and the readers: a read that finds its segment gone or closed ({@code ClosedChannelException})
 * looks the block up again, and finds the moved record.
 */
final class BlockReader {
  /** Blocks above this are streamed by {@link #getStream}; smaller ones are read whole. */
  private static final int STREAM_CHUNK = 64 << 10;

  private final SegmentLog log;
  private final LiveIndex liveIndex;
  private final TierCounters counters;
  private final FileStore.Codecs codecs;
  private final Supplier<String> tierName;

  BlockReader(SegmentLog log, LiveIndex liveIndex, TierCounters counters, FileStore.Codecs codecs,
      Supplier<String> tierName) {
    this.log = log;
    this.liveIndex = liveIndex;
    this.counters = counters;
    this.codecs = codecs;
    this.tierName = tierName;
  }

  boolean has(Cid cid) {
    return liveIndex.lookup(cid.toBytes()) != null;
  }

  /** The block's original size, or -1 when absent. */
  int size(Cid cid) {
    Location l = liveIndex.lookup(cid.toBytes());
    return l == null ? -1 : l.originalLength();
  }

  Block get(Cid cid) throws BlockstoreException {
    byte[] key = cid.toBytes();
    for (int attempt = 0; ; attempt++) {
      Location l = liveIndex.lookup(key);
      if (l == null) {
        counters.miss();
        throw new BlockNotFoundException(cid, "no block " + cid + " in the " + tierName.get() + " tier");
      }
      Segment s = log.get(l.segment());
      try {
        if (s == null) {
          throw new ClosedChannelException();
        }
        byte[] payload = readPayload(cid, key, l, s);
        counters.hit();
        return new Block(cid, decode(cid, l, payload));
      } catch (ClosedChannelException e) {
        // Compaction moved the record and closed its old segment between the lookup and the read.
        if (attempt == 3) {
          throw new BlockstoreException("the record of " + cid + " kept moving while it was read", e);
        }
      } catch (IOException e) {
        throw new BlockstoreException("cannot read " + cid + " from " + s.path + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Payloads from this size up are read straight into their own array (header, payload and CRC as
   * three reads) instead of read whole and copied out: FileTierGetBench, 256 KiB blocks, the copy
   * cost more than two extra reads.
   */
  private static final int DIRECT_READ = 64 << 10;

  /** The record's payload, its header checked against the index and its CRC32C verified. */
  static byte[] readPayload(Cid cid, byte[] key, Location l, Segment s) throws IOException {
    int payloadAt = RecordFormat.HEADER + key.length;
    int length = l.storedLength();
    byte[] head;
    byte[] payload;
    int storedCrc;
    if (length < DIRECT_READ) {
      head = new byte[l.recordLength(key.length)];
      s.read(ByteBuffer.wrap(head), l.offset());
      payload = Arrays.copyOfRange(head, payloadAt, payloadAt + length);
      storedCrc = ByteBuffer.wrap(head, payloadAt + length, RecordFormat.TRAILER).getInt();
    } else {
      head = new byte[payloadAt];
      s.read(ByteBuffer.wrap(head), l.offset());
      payload = new byte[length];
      s.read(ByteBuffer.wrap(payload), l.offset() + payloadAt);
      ByteBuffer trailer = ByteBuffer.allocate(RecordFormat.TRAILER);
      s.read(trailer, l.offset() + payloadAt + length);
      storedCrc = trailer.getInt(0);
    }
    Header h;
    try {
      h = RecordFormat.readHeader(ByteBuffer.wrap(head), l.offset());
    } catch (RecordFormat.BadHeader e) {
      throw new CorruptBlockException(cid, "the record of " + cid + " is damaged: " + e.getMessage());
    }
    if (h.kind() != RecordFormat.BLOCK || !Arrays.equals(h.cid(), key) || h.storedLength() != length) {
      throw new CorruptBlockException(cid, "the index points " + cid + " at another record (offset " + l.offset() + ")");
    }
    if (RecordFormat.crc(payload, 0, length) != storedCrc) {
      throw new CorruptBlockException(cid, "the stored bytes of " + cid + " fail their CRC32C; the block is not served");
    }
    return payload;
  }

  private byte[] decode(Cid cid, Location l, byte[] payload) throws BlockstoreException {
    if (l.codec() == 0) {
      return payload;
    }
    CompressionCodec codec = codecs.byId(l.codec());
    if (codec == null) {
      throw new BlockstoreException("block " + cid + " was written by codec id " + l.codec()
          + ", which is not installed; install its bundle to read it");
    }
    return codec.decompress(payload, l.originalLength());
  }

  /**
   * A stream of the block's bytes. Raw blocks above one chunk are read chunk by chunk as consumed, the
   * CRC32C accumulated and checked at the end; compressed and small blocks are read whole (a
   * compressed record has to be decoded whole anyway, and stays within the block size limit).
   */
  InputStream getStream(Cid cid) throws BlockstoreException {
    byte[] key = cid.toBytes();
    Location l = liveIndex.lookup(key);
    if (l == null || l.codec() != 0 || l.storedLength() <= STREAM_CHUNK) {
      return new ByteArrayInputStream(get(cid).data());
    }
    Segment s = log.get(l.segment());
    if (s == null) {
      return new ByteArrayInputStream(get(cid).data());
    }
    byte[] head = new byte[RecordFormat.HEADER + key.length];
    try {
      s.read(ByteBuffer.wrap(head), l.offset());
      Header h = RecordFormat.readHeader(ByteBuffer.wrap(head), l.offset());
      if (!Arrays.equals(h.cid(), key) || h.storedLength() != l.storedLength()) {
        throw new CorruptBlockException(cid, "the index points " + cid + " at another record");
      }
    } catch (RecordFormat.BadHeader e) {
      throw new CorruptBlockException(cid, "the record of " + cid + " is damaged: " + e.getMessage());
    } catch (ClosedChannelException e) {
      return new ByteArrayInputStream(get(cid).data());
    } catch (IOException e) {
      throw new BlockstoreException("cannot read " + cid + ": " + e.getMessage(), e);
    }
    counters.hit();
    return new SegmentInputStream(cid, s, l.offset() + head.length, l.storedLength());
  }

  /** The payload of one raw record, read as consumed; the CRC32C is checked when the last byte is read. */
  private static final class SegmentInputStream extends InputStream {
    private final Cid cid;
    private final Segment segment;
    private final long start;
    private final int length;
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private int read;

    SegmentInputStream(Cid cid, Segment segment, long start, int length) {
      this.cid = cid;
      this.segment = segment;
      this.start = start;
      this.length = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (read == length) {
        return -1;
      }
      int n = Math.min(len, length - read);
      if (n == 0) {
        return 0;
      }
      segment.read(ByteBuffer.wrap(b, off, n), start + read);
      crc.update(b, off, n);
      read += n;
      if (read == length) {
        ByteBuffer trailer = ByteBuffer.allocate(RecordFormat.TRAILER);
        segment.read(trailer, start + length);
        if ((int) crc.getValue() != trailer.getInt(0)) {
          throw new IOException(new CorruptBlockException(cid, "the stored bytes of " + cid + " fail their CRC32C"));
        }
      }
      return n;
    }

    @Override
    public int available() {
      return 0;
    }
  }

  /**
   * The CIDs held, oldest record first: each segment's headers are read in turn, lazily, and a CID is
   * listed where the index still points at that record.
   */
  Stream<Cid> keys() {
    List<Segment> snapshot = List.copyOf(log.all());
    return snapshot.stream().flatMap(s -> {
      List<Cid> listed = new ArrayList<>();
      try {
        s.scan(RecordFormat.SEGMENT_HEADER, false, h -> {
          if (h.kind() == RecordFormat.BLOCK) {
            Location l = liveIndex.lookup(h.cid());
            if (l != null && l.segment() == s.id && l.offset() == h.offset()) {
              listed.add(Cid.fromBytes(h.cid()));
            }
          }
        });
      } catch (IOException e) {
        // A segment compacted away while listed: its live blocks now sit in a later segment, listed there.
      }
      return listed.stream();
    });
  }
}
