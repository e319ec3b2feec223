package io.cairn.libp2p;

import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** This node on the libp2p network: its listeners, its connections, and the protocols it serves. */
@ProviderType
public interface Host {
  PeerId peerId();

  /** The addresses the node listens on, with wildcard addresses expanded to the interfaces' addresses. */
  List<Multiaddr> listenAddresses();

  /** The protocol ids served now (from the registered {@link StreamHandler}s). */
  Set<String> protocols();

  /**
   * Connects to {@code address} ({@code /ip4/.../tcp/...}, with {@code /p2p/<id>} to insist on that
   * peer), or returns the open connection to that peer. Fails with {@link Libp2pException}.
   */
  CompletableFuture<Connection> connect(Multiaddr address);

  Collection<Connection> connections();

  Optional<Connection> connection(PeerId peer);

  /** Opens a stream to a connected peer; see {@link Connection#openStream}. */
  CompletableFuture<StreamChannel> newStream(PeerId peer, List<String> protocols, StreamHandler initializer);

  /** Round-trip time of one {@code /ipfs/ping/1.0.0} exchange with a connected peer. */
  CompletableFuture<Duration> ping(PeerId peer);

  /** What identify told us about a peer, if it has run. */
  Optional<PeerInfo> peerInfo(PeerId peer);

  /** Adds a listener told of connections opening and closing; on the connection's event loop. */
  void addConnectionListener(ConnectionListener listener);

  void removeConnectionListener(ConnectionListener listener);
}
