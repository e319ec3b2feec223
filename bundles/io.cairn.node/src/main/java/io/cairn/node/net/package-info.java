/**
 * What the node's listeners share about the clients and peers that reach them: {@link io.cairn.node.net.IpPrefix},
 * the network a source address is counted under (its IPv4 address, an IPv6 /64 or /56, a subnet), and
 * {@link io.cairn.node.net.RefusalLog}, refusals logged at WARN without letting a flood write the log.
 */
@Export
@Version("1.0.0")
package io.cairn.node.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
