package io.cairn.car.internal;

import io.cairn.blockstore.Block;
import io.cairn.car.CarWriter;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Varint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** A CAR v1 writer; sections go through a 64 KiB buffer so that small blocks make few writes. */
public final class StreamingCarWriter implements CarWriter {
  private final BufferedOutputStream out;
  private final byte[] varint = new byte[Varint.MAX_LENGTH];
  private long offset;
  private long blocks;

  public StreamingCarWriter(OutputStream out, List<Cid> roots) throws IOException {
    this.out = new BufferedOutputStream(out, 64 * 1024);
    byte[] header = CarHeaderCodec.encode(roots);
    writeVarint(header.length);
    this.out.write(header);
    offset += header.length;
  }

  @Override
  public boolean write(Block block) throws IOException {
    Cid cid = block.cid();
    if (cid.multihash().code() == Multicodec.IDENTITY.code()) {
      return false;
    }
    byte[] c = cid.toBytes();
    writeVarint((long) c.length + block.size());
    out.write(c);
    out.write(block.data());
    offset += c.length + block.size();
    blocks++;
    return true;
  }

  private void writeVarint(long value) throws IOException {
    int n = Varint.encode(value, varint, 0);
    out.write(varint, 0, n);
    offset += n;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public long blocks() {
    return blocks;
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
