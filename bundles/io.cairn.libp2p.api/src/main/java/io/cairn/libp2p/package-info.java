/**
 * libp2p for Cairn: a {@link io.cairn.libp2p.Host} holds secured, multiplexed connections to peers;
 * every stream is a Netty {@link io.netty.channel.Channel} (a child of its connection), so a protocol
 * is a pipeline with Netty's back-pressure (writability, auto-read) and buffer ownership rules.
 *
 * <p>Protocols are whiteboard services: a {@link io.cairn.libp2p.StreamHandler} registered with the
 * property {@value io.cairn.libp2p.StreamHandler#PROTOCOL} is offered to peers (multistream-select and
 * identify) while it is registered.
 */
@Export
@Version("1.4.0")
package io.cairn.libp2p;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
