package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.spi.SecureSession;
import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.multiformats.PeerId;
import io.cairn.node.NodeIdentity;
import io.cairn.node.config.Configs;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@value #PROTOCOL_ID} security transport (libp2p/specs noise/README.md): the XX handshake of
 * Noise_XX_25519_ChaChaPoly_SHA256 proves both peers' libp2p identities, then ChaCha20-Poly1305 encrypts
 * the connection, and stream muxers can be agreed on during the handshake.
 *
 * <p>{@link #secure} adds two handlers at the end of the pipeline: {@value NoiseFrameDecoder#NAME}, which
 * cuts the stream into length-prefixed Noise messages and stays, and {@value NoiseHandshakeHandler#NAME},
 * which runs the handshake and on success replaces itself with {@value NoiseTransportCodec#NAME}, the
 * codec that the caller's handlers then follow. The static Noise key is made and signed with the node
 * identity once per activation.
 */
@Component(service = SecureTransport.class, configurationPid = NoiseTransport.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = SecureTransport.PROTOCOL + "=" + NoiseTransport.PROTOCOL_ID)
@Designate(ocd = NoiseConfig.class)
public class NoiseTransport implements SecureTransport {
  public static final String PID = "io.cairn.libp2p.noise";
  static final String PROTOCOL_ID = "/noise";

  private final Logger log;
  private final LocalIdentity local;
  private volatile Settings settings;

  /** The validated, immutable form of {@link NoiseConfig}. */
  record Settings(long handshakeTimeoutMillis, int maxFrameLength) {
    static Settings of(NoiseConfig config) {
      long timeout = Configs.inRange("handshakeTimeout", config.handshakeTimeout(), 100, 600_000);
      int maxFrameLength = (int) Configs.inRange("maxFrameLength", config.maxFrameLength(), 32,
          HandshakeState.MAX_MESSAGE_LENGTH);
      return new Settings(timeout, maxFrameLength);
    }
  }

  @Activate
  public NoiseTransport(@Reference NodeIdentity identity, @Reference(service = LoggerFactory.class) Logger log,
      NoiseConfig config) {
    this.log = log;
    this.local = LocalIdentity.create(identity);
    this.settings = Settings.of(Configs.defaults(NoiseConfig.class));
    apply(config);
  }

  @Modified
  void modified(NoiseConfig config) {
    apply(config);
  }

  /** Validates the whole configuration first; on any invalid key nothing changes. */
  private void apply(NoiseConfig config) {
    Configs.validate(PID, config, Settings::of, log).ifPresent(s -> settings = s);
  }

  Settings settings() {
    return settings;
  }

  @Override
  public String protocolId() {
    return PROTOCOL_ID;
  }

  @Override
  public CompletableFuture<SecureSession> secure(Channel channel, boolean initiator, Optional<PeerId> expectedRemote,
      List<String> muxers) {
    Settings s = settings;
    CompletableFuture<SecureSession> result = new CompletableFuture<>();
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast(NoiseFrameDecoder.NAME, new NoiseFrameDecoder(s.maxFrameLength()));
    pipeline.addLast(NoiseHandshakeHandler.NAME, new NoiseHandshakeHandler(initiator, local, expectedRemote, muxers,
        s.handshakeTimeoutMillis(), result, log));
    return result;
  }
}
