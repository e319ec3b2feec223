/**
 * The network layer of the seed design (§3, {@code NetworkConfig}) as services beside the libp2p host:
 * {@link io.cairn.net.ConnManager} keeps the connection count between its watermarks (the seed's
 * {@code AdaptiveConnManager}; its {@code SetDynamicLimits} is a ConfigAdmin update of PID
 * {@code io.cairn.net.connmgr}); {@link io.cairn.net.ConnectionQualities} tracks each peer's
 * {@link io.cairn.net.ConnectionQuality} (the seed's {@code GetConnectionQuality}); the
 * {@link io.cairn.net.BandwidthMonitor} counts bytes and rates per peer and protocol (Kubo's
 * {@code stats/bw}).
 */
@Export
@Version("1.0.0")
package io.cairn.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
