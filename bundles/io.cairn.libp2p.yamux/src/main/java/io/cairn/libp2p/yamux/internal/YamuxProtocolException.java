package io.cairn.libp2p.yamux.internal;

import io.netty.handler.codec.CorruptedFrameException;

/** The peer broke the yamux protocol: the session answers with a go-away (protocol error) and closes. */
final class YamuxProtocolException extends CorruptedFrameException {
  private static final long serialVersionUID = 1L;

  YamuxProtocolException(String message) {
    super(message);
  }
}
