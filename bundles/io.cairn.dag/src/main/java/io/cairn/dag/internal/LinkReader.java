package io.cairn.dag.internal;

import io.cairn.dag.DagException;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import java.util.ArrayList;
import java.util.List;

/** The links of a block by its CID's codec: dag-pb, raw (none), dag-cbor and dag-json. */
final class LinkReader {
  private static final long DAG_PB = Multicodec.DAG_PB.code();
  private static final long RAW = Multicodec.RAW.code();
  private static final long DAG_CBOR = Multicodec.DAG_CBOR.code();
  private static final long DAG_JSON = Multicodec.DAG_JSON.code();

  private LinkReader() {
  }

  static boolean supports(long codec) {
    return codec == DAG_PB || codec == RAW || codec == DAG_CBOR || codec == DAG_JSON;
  }

  /**
   * @throws DagException if the codec is not one of those, the bytes are malformed for it, or there are
   *     more than {@code maxLinks} links
   */
  static List<Cid> links(Cid cid, byte[] data, int maxLinks) throws DagException {
    long codec = cid.codec();
    if (codec == DAG_PB) {
      List<PbLink> links = DagPb.links(cid, data, maxLinks);
      List<Cid> cids = new ArrayList<>(links.size());
      for (PbLink link : links) {
        cids.add(link.cid());
      }
      return cids;
    }
    if (codec == RAW) {
      return List.of();
    }
    if (codec == DAG_CBOR) {
      return DagCborLinks.read(cid, data, maxLinks);
    }
    if (codec == DAG_JSON) {
      return DagJsonLinks.read(cid, data, maxLinks);
    }
    throw new DagException(cid, "block " + cid + " has codec " + Multicodec.forCode(codec).map(Multicodec::codecName)
        .orElse("0x" + Long.toHexString(codec)) + ", whose links this node cannot read (dag-pb, raw, dag-cbor, dag-json)");
  }
}
