package io.cairn.libp2p.noise.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn Noise security",
    description = "The /noise security transport (Noise_XX_25519_ChaChaPoly_SHA256) that authenticates peers and encrypts connections. Changes apply to handshakes that start afterwards.")
@interface NoiseConfig {
  @AttributeDefinition(
      name = "Handshake timeout",
      description = "Milliseconds a handshake may take, from its start to the peer's last message; a slower one closes the connection.",
      min = "100", max = "600000")
  int handshakeTimeout() default 10000;

  @AttributeDefinition(
      name = "Max frame length",
      description = "Longest inbound Noise message in bytes; a longer length prefix closes the connection. 65535 is the protocol's own limit, and peers send messages that long, so a lower value suits tests and constrained links only.",
      min = "32", max = "65535")
  int maxFrameLength() default 65535;
}
