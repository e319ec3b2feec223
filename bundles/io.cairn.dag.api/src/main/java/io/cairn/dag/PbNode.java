package io.cairn.dag;

import java.util.Arrays;
import java.util.List;

/**
 * A dag-pb node (the IPLD dag-pb spec's PBNode): its links in order and its data. The data array is not
 * copied on the way in or out (nodes are decoded on the walk's hot path): nobody may modify it once it is
 * in a node.
 *
 * @param links the links, in the order they are encoded; never null, may be empty
 * @param data the Data field, null when absent (an empty array is present and written)
 */
public record PbNode(List<PbLink> links, byte[] data) {
  public PbNode {
    links = List.copyOf(links);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PbNode n && links.equals(n.links) && Arrays.equals(data, n.data);
  }

  @Override
  public int hashCode() {
    return 31 * links.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "PbNode[" + links.size() + " links, " + (data == null ? "no data" : data.length + " bytes of data") + "]";
  }
}
