package io.cairn.libp2p.spi;

import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PublicKey;
import java.util.Optional;

/**
 * A secured connection's outcome: the peer's verified identity, and the muxer both sides chose during
 * the handshake (when the security protocol negotiates one early), so multistream-select for the
 * muxer can be skipped.
 */
public record SecureSession(PeerId remotePeer, PublicKey remoteKey, Optional<String> earlyMuxer) {}
