package io.cairn.libp2p.yamux.internal;

import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.spi.MuxedSession;
import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.node.config.Configs;
import io.netty.channel.Channel;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/** The {@code /yamux/1.0.0} muxer: starts a {@link YamuxSession} on each connection it is chosen for. */
@Component(service = StreamMuxer.class, configurationPid = YamuxMuxer.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = StreamMuxer.PROTOCOL + "=" + YamuxMuxer.PROTOCOL_ID)
@Designate(ocd = YamuxConfig.class)
public class YamuxMuxer implements StreamMuxer {
  public static final String PID = "io.cairn.libp2p.yamux";
  static final String PROTOCOL_ID = "/yamux/1.0.0";

  private final Logger log;
  private volatile YamuxSettings settings;

  @Activate
  public YamuxMuxer(@Reference(service = LoggerFactory.class) Logger log, YamuxConfig config) {
    this.log = log;
    this.settings = YamuxSettings.defaults();
    apply(config);
  }

  @Modified
  void modified(YamuxConfig config) {
    apply(config);
  }

  /** Validates the whole configuration first; on any invalid key nothing changes. Open sessions keep theirs. */
  private void apply(YamuxConfig config) {
    Configs.validate(PID, config, YamuxSettings::of, log).ifPresent(s -> settings = s);
  }

  @Override
  public String protocolId() {
    return PROTOCOL_ID;
  }

  @Override
  public MuxedSession start(Channel connection, boolean initiator, Consumer<StreamChannel> inbound) {
    return YamuxSession.start(connection, initiator, inbound, settings, System::nanoTime, log);
  }
}
