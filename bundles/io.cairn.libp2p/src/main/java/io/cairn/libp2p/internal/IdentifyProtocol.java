package io.cairn.libp2p.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.PeerInfo;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.StreamInfo;
import io.cairn.multiformats.PeerId;
import io.cairn.node.NodeInfo;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.log.Logger;

/**
 * {@code /ipfs/id/1.0.0} and {@code /ipfs/id/push/1.0.0}: asks every new peer who it is, answers the
 * same question, and pushes our protocols to connected peers when the served set changes (Helia sends
 * wants only to peers whose identify lists a bitswap protocol).
 *
 * <p>Part of the host, made and served by it: as a DS component needing the host that binds it, it
 * formed a cycle SCR breaks by failing one side.
 */
final class IdentifyProtocol implements StreamHandler, ConnectionListener {
  static final String ID = "/ipfs/id/1.0.0";
  static final String PUSH = "/ipfs/id/push/1.0.0";
  static final String PROTOCOL_VERSION = "ipfs/0.1.0";

  private final HostComponent host;
  private final NodeInfo node;
  private final Logger log;
  private final Runnable pushOnChange = this::pushToAll;
  /** What each connected peer said, merged with its pushes; gone with the peer's last connection. */
  private final Map<PeerId, IdentifyMessage> known = new ConcurrentHashMap<>();

  IdentifyProtocol(HostComponent host, NodeInfo node, Logger log) {
    this.host = host;
    this.node = node;
    this.log = log;
    host.addConnectionListener(this);
    host.onProtocolsChanged(pushOnChange);
  }

  void close() {
    host.removeConnectionListener(this);
    host.removeProtocolsChanged(pushOnChange);
  }

  @Override
  public void connected(Connection connection) {
    host.newStream(connection.remotePeer(), List.of(ID), (stream, info) -> read(stream, info, false))
        .exceptionally(e -> {
          log.debug("identify of {} failed: {}", connection.remotePeer(), e.getMessage());
          return null;
        });
  }

  @Override
  public void disconnected(Connection connection) {
    if (host.connection(connection.remotePeer()).isEmpty()) {
      known.remove(connection.remotePeer());
    }
  }

  @Override
  public void initStream(StreamChannel stream, StreamInfo info) {
    if (info.protocol().equals(PUSH)) {
      read(stream, info, true);
      return;
    }
    stream.writeAndFlush(encode(stream, info.connection())).addListener(f -> stream.close());
  }

  private void read(StreamChannel stream, StreamInfo info, boolean push) {
    IdentifyReader reader = new IdentifyReader(host.settings().maxIdentifyMessage());
    stream.pipeline().addLast("identify", reader);
    reader.result.whenComplete((message, error) -> {
      if (error != null) {
        log.debug("identify {} from {}: {}", push ? "push" : "answer", info.remotePeer(), error.getMessage());
        return;
      }
      if (message.publicKey() != null && !push && !info.remotePeer().matches(info.connection().remotePublicKey())) {
        log.warn("identify from {} carries a key that is not its own: ignored", info.remotePeer());
        return;
      }
      IdentifyMessage merged = known.merge(info.remotePeer(), message, (old, incoming) -> incoming.mergedInto(old));
      host.recordPeerInfo(new PeerInfo(info.remotePeer(),
          merged.agentVersion() == null ? "" : merged.agentVersion(),
          merged.protocolVersion() == null ? "" : merged.protocolVersion(),
          merged.protocols() == null ? Set.of() : Set.copyOf(merged.protocols()),
          merged.listenAddrs() == null ? List.of() : merged.listenAddrs(),
          merged.observedAddr()), info.connection());
    });
  }

  /** Our identify for one connection; the observed address is the peer's address as we see it. */
  private ByteBuf encode(StreamChannel stream, Connection connection) {
    IdentifyMessage message = new IdentifyMessage(host.identity().publicKey().toProtobuf(), host.announced(),
        List.copyOf(host.protocols()), connection.remoteAddress(), PROTOCOL_VERSION, node.agentVersion());
    ByteBuf body = stream.alloc().buffer();
    ByteBuf framed = stream.alloc().buffer();
    try {
      message.write(body);
      Protobuf.writeVarint(framed, body.readableBytes());
      framed.writeBytes(body);
      return framed; // owned by the write that sends it
    } finally {
      body.release();
    }
  }

  private void pushToAll() {
    for (Connection c : host.connections()) {
      c.openStream(List.of(PUSH), (stream, info) -> stream.writeAndFlush(encode(stream, c)).addListener(f -> stream.close()))
          .exceptionally(e -> null);
    }
  }
}
