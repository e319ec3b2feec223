/**
 * The contracts between the connection upgrader and the bundles that secure and multiplex
 * connections. A security transport is a {@link io.cairn.libp2p.spi.SecureTransport} service with the
 * property {@value io.cairn.libp2p.spi.SecureTransport#PROTOCOL}; a muxer is a
 * {@link io.cairn.libp2p.spi.StreamMuxer} service with {@value io.cairn.libp2p.spi.StreamMuxer#PROTOCOL}.
 * The host offers them in multistream-select in {@code service.ranking} order. (1.1) A muxed session
 * tells the round trip it measured.
 */
@Export
@Version("1.2.0")
package io.cairn.libp2p.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
