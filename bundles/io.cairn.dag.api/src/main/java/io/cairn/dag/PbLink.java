package io.cairn.dag;

import io.cairn.multiformats.Cid;

/**
 * A dag-pb link (the IPLD dag-pb spec's PBLink).
 *
 * @param cid the linked block (the spec's Hash), never null
 * @param name the link name, null when the field is absent (an empty name is present and written)
 * @param tsize the cumulative size of the linked DAG, an unsigned 64-bit value (read with
 *     {@link Long#toUnsignedString(long)} when above {@link Long#MAX_VALUE}); null when absent
 */
public record PbLink(Cid cid, String name, Long tsize) {
  public PbLink {
    if (cid == null) {
      throw new IllegalArgumentException("a dag-pb link needs a CID");
    }
  }
}
