package io.cairn.libp2p;

import java.util.List;

/** The peer answered {@code na} to every protocol offered. */
public class ProtocolNotSupportedException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  public ProtocolNotSupportedException(List<String> protocols) {
    super("the peer supports none of " + protocols);
  }
}
