/**
 * The boundary between bitswap and libp2p (boxo's {@code bitswap/network}): the network sends
 * messages to peers and hands received ones to every {@link io.cairn.bitswap.spi.BitswapReceiver} added to it.
 * Also the engine's strategies (1.1): the {@link io.cairn.bitswap.spi.PriorityRequestManager} that
 * orders its work and the {@link io.cairn.bitswap.spi.BitswapLimits} that bound it, each a service
 * carrying {@code cairn.strategy=<name>}; and (1.2) the {@link io.cairn.bitswap.spi.BatchRequestProcessor}
 * that groups a peer's wants into turns looked up together; (1.3) the queue delay at which the limits
 * make the engine shed; (1.4) the round trip the network measured to a peer.
 */
@Export
@Version("1.4.0")
package io.cairn.bitswap.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
