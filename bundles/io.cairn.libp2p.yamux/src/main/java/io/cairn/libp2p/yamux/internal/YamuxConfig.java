package io.cairn.libp2p.yamux.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn yamux",
    description = "The /yamux/1.0.0 stream muxer: stream and window limits, write back-pressure, keep-alive. "
        + "Changes apply to connections opened afterwards. Every stream starts with the spec's 256 KiB window.")
@interface YamuxConfig {
  @AttributeDefinition(
      name = "Max streams",
      description = "Streams open at once on one connection, both directions (go-yamux: 1000). A stream the peer opens beyond it is reset; opening one ourselves fails.",
      min = "1", max = "100000")
  int maxStreams() default 1000;

  @AttributeDefinition(
      name = "Max ACK backlog",
      description = "Streams opened but not yet acknowledged, per direction (spec: 256). Past it our new streams fail and the peer's are reset.",
      min = "1", max = "4096")
  int maxAckBacklog() default 256;

  @AttributeDefinition(
      name = "Max receive window",
      description = "Bytes one stream's receive window may grow to when its reader keeps up (auto-tuning from 256 KiB; a fixed 256 KiB window caps a 60 ms path at ~33 Mbit/s).",
      min = "262144", max = "1073741824")
  int maxReceiveWindow() default 16777216;

  @AttributeDefinition(
      name = "Max connection receive window",
      description = "Sum of the receive windows of one connection's streams that auto-tuning may grow to (rust-yamux: 1 GiB): bounds what a peer can make us buffer.",
      min = "16777216", max = "2147483647")
  int maxConnectionReceiveWindow() default 1073741824;

  @AttributeDefinition(
      name = "Max frame length",
      description = "Largest data frame body we send. The default keeps a frame with its 12-byte header inside one Noise message (65535 bytes less the 16-byte tag).",
      min = "1024", max = "16777216")
  int maxFrameLength() default 65507;

  @AttributeDefinition(
      name = "Stream write high-water mark",
      description = "Bytes queued on one stream (waiting for window or for the connection) at which the stream turns unwritable.",
      min = "1024", max = "1073741824")
  int writeQueueHighWater() default 1048576;

  @AttributeDefinition(
      name = "Stream write low-water mark",
      description = "Bytes queued on one stream at which an unwritable stream turns writable again; at most the high-water mark.",
      min = "0", max = "1073741824")
  int writeQueueLowWater() default 524288;

  @AttributeDefinition(
      name = "Ping reply queue",
      description = "Ping replies held while the connection cannot take more; pings beyond are not answered (ping flood).",
      min = "1", max = "1024")
  int pingReplyQueue() default 32;

  @AttributeDefinition(
      name = "Stream close timeout (ms)",
      description = "How long a stream we closed waits for the peer to close its side before we reset it (go-yamux: 5 min); until then it counts against maxStreams.",
      min = "100", max = "3600000")
  long streamCloseTimeout() default 60000;

  @AttributeDefinition(
      name = "Write stall timeout (ms)",
      description = "A connection that stays unwritable this long (the peer stopped reading) is closed.",
      min = "100", max = "600000")
  long writeTimeout() default 10000;
}
