package io.cairn.dag.internal;

import io.cairn.dag.DagException;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Link extraction of a dag-pb node as Kubo writes a large file's nodes at its defaults: 174 CIDv0 links with
 * empty names and Tsize, and UnixFS data with the 174 block sizes (about 8 KiB). Measured against, in the same
 * run, the hardware's floor for touching the same bytes: a scan that reads every byte, and a copy of them.
 * What the codec costs beyond those is the parsing and the 174 CIDs it makes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DagLinksBench {
  static final int LINKS = 174;
  private PbNode pbNode;
  private byte[] node;
  private Cid cid;

  @Setup
  public void setup() {
    List<PbLink> links = new ArrayList<>();
    ByteBuffer unixfs = ByteBuffer.allocate(16 + 4 * LINKS);
    unixfs.put(new byte[] {0x08, 0x02, 0x18, (byte) 0x80, (byte) 0x80, (byte) 0xAB, 0x01});
    for (int i = 0; i < LINKS; i++) {
      links.add(new PbLink(Cid.v0(Multihash.digest(Multicodec.SHA2_256, ByteBuffer.allocate(4).putInt(i).array())), "",
          262_158L));
      unixfs.put(new byte[] {0x20, (byte) 0x80, (byte) 0x80, 0x10});
    }
    byte[] data = new byte[unixfs.position()];
    unixfs.flip().get(data);
    pbNode = new PbNode(links, data);
    node = DagPb.encode(pbNode);
    cid = Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, node));
  }

  /** What the walker does per dag-pb block. */
  @Benchmark
  public List<Cid> links() throws DagException {
    return LinkReader.links(cid, node, 50_000);
  }

  /** The codec alone, names and sizes kept. */
  @Benchmark
  public PbNode decode() throws DagException {
    return DagPb.decode(cid, node, 50_000);
  }

  /** The node written back. */
  @Benchmark
  public byte[] encode() {
    return DagPb.encode(pbNode);
  }

  /** Baseline: every byte read once. */
  @Benchmark
  public long baselineScan() {
    long sum = 0;
    for (byte b : node) {
      sum += b;
    }
    return sum;
  }

  /** Baseline: the bytes copied once. */
  @Benchmark
  public byte[] baselineCopy() {
    return node.clone();
  }
}
