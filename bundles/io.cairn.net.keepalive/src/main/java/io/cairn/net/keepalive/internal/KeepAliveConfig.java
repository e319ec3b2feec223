package io.cairn.net.keepalive.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn keep-alive manager",
    description = "Pings every connection through its muxer (a yamux ping frame, no stream) every interval and closes one whose ping goes unanswered past the timeout, so a peer that vanished without closing is let go within interval + timeout and its wants go to other peers (seed KeepAliveInterval and KeepAliveTimeout, as go-yamux). The round trips measured feed connection quality. A change applies from each connection's next ping.")
@interface KeepAliveConfig {
  @AttributeDefinition(name = "Interval (s)", description = "How often each connection is pinged (seed KeepAliveInterval).", min = "1", max = "3600")
  int intervalSeconds() default 30;

  @AttributeDefinition(name = "Timeout (s)", description = "How long a ping may go unanswered before the connection is closed (seed KeepAliveTimeout).",
      min = "1", max = "600")
  int timeoutSeconds() default 10;
}
