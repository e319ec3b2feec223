/**
 * The bitswap wire format ({@code /ipfs/bitswap/1.2.0}, {@code 1.1.0}, {@code 1.0.0}; ipfs/specs
 * bitswap-protocol, field numbers from boxo's message.proto): the messages as immutable records, a
 * hand-written protobuf codec ({@link io.cairn.bitswap.message.BitswapCodec}) that enforces
 * {@link io.cairn.bitswap.message.MessageLimits}, and the Netty handlers that carry messages on a
 * stream as unsigned-varint length-prefixed frames.
 *
 * <p>A stream's pipeline, inbound: {@link io.cairn.bitswap.message.BitswapFrameDecoder} then
 * {@link io.cairn.bitswap.message.BitswapMessageDecoder}; outbound:
 * {@link io.cairn.bitswap.message.BitswapMessageEncoder}. A peer's bad bytes surface as a
 * {@link io.cairn.bitswap.message.MalformedMessageException} or a
 * {@link io.cairn.bitswap.message.MessageTooLargeException}, both Netty decoder exceptions: the stream's
 * owner resets the stream and counts it against the peer.
 */
@Export
@Version("1.0.0")
package io.cairn.bitswap.message;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
