package io.cairn.libp2p;

import io.cairn.multiformats.PeerId;

/** What a stream handler is told about the stream it serves. */
public record StreamInfo(String protocol, PeerId remotePeer, Connection connection, Direction direction) {}
