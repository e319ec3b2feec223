package io.cairn.itests;

import java.io.IOException;
import java.util.List;

/** A js-libp2p node from itests/interop/peer.mjs (see its README for the modes and the lines it prints). */
public final class JsPeer extends InteropProcess {
  private JsPeer(List<String> args) throws IOException {
    super("peer.mjs", args);
  }

  public static JsPeer start(String... args) throws IOException {
    return new JsPeer(List.of(args));
  }
}
