/**
 * The boundary between bitswap and libp2p (boxo's {@code bitswap/network}): the network sends
 * messages to peers and hands received ones to every {@link io.cairn.bitswap.spi.BitswapReceiver} added to it.
 */
@Export
@Version("1.1.0")
package io.cairn.bitswap.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
