package io.cairn.libp2p.internal;

import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.MultiformatException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The identify protobuf (libp2p/specs identify): publicKey=1, listenAddrs=2, protocols=3,
 * observedAddr=4, protocolVersion=5, agentVersion=6, signedPeerRecord=8 (read and ignored).
 * Absent fields are null (push messages carry only what changed).
 */
record IdentifyMessage(byte[] publicKey, List<Multiaddr> listenAddrs, List<String> protocols, Multiaddr observedAddr,
    String protocolVersion, String agentVersion) {
  /** More listen addresses than this from one peer are dropped (LIMITS.md: keep at most 500). */
  static final int MAX_ADDRESSES = 500;
  static final int MAX_PROTOCOLS = 1000;

  void write(ByteBuf out) {
    if (publicKey != null) {
      Protobuf.writeBytes(out, 1, publicKey);
    }
    if (listenAddrs != null) {
      listenAddrs.forEach(a -> Protobuf.writeBytes(out, 2, a.toBytes()));
    }
    if (protocols != null) {
      protocols.forEach(p -> Protobuf.writeString(out, 3, p));
    }
    if (observedAddr != null) {
      Protobuf.writeBytes(out, 4, observedAddr.toBytes());
    }
    if (protocolVersion != null) {
      Protobuf.writeString(out, 5, protocolVersion);
    }
    if (agentVersion != null) {
      Protobuf.writeString(out, 6, agentVersion);
    }
  }

  /** Parses one message; a malformed field is an {@link IllegalArgumentException}, an unparsable address is skipped. */
  static IdentifyMessage read(ByteBuf in) {
    byte[] publicKey = null;
    List<Multiaddr> listen = null;
    List<String> protocols = null;
    Multiaddr observed = null;
    String protocolVersion = null;
    String agentVersion = null;
    while (in.isReadable()) {
      long tag = Protobuf.readVarint(in);
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (wireType != Protobuf.LENGTH_DELIMITED || field < 1 || field > 6) {
        Protobuf.skip(in, wireType);
        continue;
      }
      byte[] value = Protobuf.readBytes(in);
      switch (field) {
        case 1 -> publicKey = value;
        case 2 -> {
          listen = listen == null ? new ArrayList<>() : listen;
          if (listen.size() < MAX_ADDRESSES) {
            parseAddress(value, listen);
          }
        }
        case 3 -> {
          protocols = protocols == null ? new ArrayList<>() : protocols;
          if (protocols.size() < MAX_PROTOCOLS) {
            protocols.add(new String(value, StandardCharsets.UTF_8));
          }
        }
        case 4 -> {
          List<Multiaddr> one = new ArrayList<>(1);
          parseAddress(value, one);
          observed = one.isEmpty() ? null : one.get(0);
        }
        case 5 -> protocolVersion = new String(value, StandardCharsets.UTF_8);
        case 6 -> agentVersion = new String(value, StandardCharsets.UTF_8);
        default -> { }
      }
    }
    return new IdentifyMessage(publicKey, listen, protocols, observed, protocolVersion, agentVersion);
  }

  private static void parseAddress(byte[] bytes, List<Multiaddr> into) {
    try {
      into.add(Multiaddr.fromBytes(bytes));
    } catch (MultiformatException e) {
      // Peers announce transports we do not speak (quic, webtransport, ...): not an error.
    }
  }

  /** A push updates only what it carries. */
  IdentifyMessage mergedInto(IdentifyMessage previous) {
    if (previous == null) {
      return this;
    }
    return new IdentifyMessage(publicKey != null ? publicKey : previous.publicKey,
        listenAddrs != null ? listenAddrs : previous.listenAddrs,
        protocols != null ? protocols : previous.protocols,
        observedAddr != null ? observedAddr : previous.observedAddr,
        protocolVersion != null ? protocolVersion : previous.protocolVersion,
        agentVersion != null ? agentVersion : previous.agentVersion);
  }
}
