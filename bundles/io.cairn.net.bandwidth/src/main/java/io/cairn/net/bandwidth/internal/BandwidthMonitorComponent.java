package io.cairn.net.bandwidth.internal;

import io.cairn.libp2p.StreamInfo;
import io.cairn.libp2p.TrafficObserver;
import io.cairn.multiformats.PeerId;
import io.cairn.net.Bandwidth;
import io.cairn.net.BandwidthMonitor;
import io.cairn.node.config.Configs;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Counts the payload of every libp2p stream (a {@link TrafficObserver} the host meters streams for) into
 * three {@link FlowMeter}s: the total, the peer's and the protocol's. A sweeper thread updates the rates
 * once a second and forgets a peer or protocol idle for {@code forgetIdleSeconds}; a stream still open on
 * a forgotten peer finds a fresh meter at its next byte.
 */
@Component(service = {BandwidthMonitor.class, TrafficObserver.class}, configurationPid = BandwidthMonitorComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BandwidthConfig.class)
public class BandwidthMonitorComponent implements BandwidthMonitor, TrafficObserver {
  public static final String PID = "io.cairn.net.bandwidth";
  static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Logger log;
  private final LongSupplier nanoTime;
  private final FlowMeter total;
  private final Map<PeerId, FlowMeter> peers = new ConcurrentHashMap<>();
  private final Map<String, FlowMeter> protocols = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper;
  private volatile long forgetIdleNanos;

  @Activate
  public BandwidthMonitorComponent(@Reference(service = LoggerFactory.class) Logger log, BandwidthConfig config) {
    this(log, config, System::nanoTime);
    sweeper.scheduleAtFixedRate(() -> sweep(nanoTime.getAsLong()), SWEEP_NANOS, SWEEP_NANOS, TimeUnit.NANOSECONDS);
  }

  /** With a driven clock and no sweeper running (tests call {@link #sweep}). */
  BandwidthMonitorComponent(Logger log, BandwidthConfig config, LongSupplier nanoTime) {
    this.log = log;
    this.nanoTime = nanoTime;
    this.total = new FlowMeter(nanoTime.getAsLong());
    apply(config);
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-net-bandwidth");
      t.setDaemon(true);
      return t;
    });
  }

  @Modified
  void modified(BandwidthConfig config) {
    apply(config);
  }

  private void apply(BandwidthConfig config) {
    Configs.validate(PID, config, c -> Configs.inRange("forgetIdleSeconds", c.forgetIdleSeconds(), 10, 86_400), log)
        .ifPresent(seconds -> forgetIdleNanos = TimeUnit.SECONDS.toNanos(seconds));
    if (forgetIdleNanos == 0) {
      forgetIdleNanos = TimeUnit.SECONDS.toNanos(Configs.defaults(BandwidthConfig.class).forgetIdleSeconds());
    }
  }

  @Deactivate
  void deactivate() {
    sweeper.shutdownNow();
  }

  /** One tick: rates updated, idle peers and protocols forgotten. */
  void sweep(long now) {
    total.sweep(now);
    sweep(peers, now);
    sweep(protocols, now);
  }

  private <K> void sweep(Map<K, FlowMeter> meters, long now) {
    long forget = forgetIdleNanos;
    meters.entrySet().removeIf(e -> {
      boolean idle = now - e.getValue().sweep(now) >= forget;
      if (idle) {
        e.getValue().forgotten = true;
      }
      return idle;
    });
  }

  private FlowMeter peerMeter(PeerId peer) {
    return peers.computeIfAbsent(peer, p -> new FlowMeter(nanoTime.getAsLong()));
  }

  private FlowMeter protocolMeter(String protocol) {
    return protocols.computeIfAbsent(protocol, p -> new FlowMeter(nanoTime.getAsLong()));
  }

  @Override
  public Meter streamOpened(StreamInfo stream) {
    return new StreamMeter(stream.remotePeer(), stream.protocol());
  }

  /** One stream's meter: the three meters it counts into, looked up again once the sweeper forgot one. */
  private final class StreamMeter implements Meter {
    private final PeerId peerId;
    private final String protocolId;
    /** Only the stream's event loop touches these. */
    private FlowMeter peer;
    private FlowMeter protocol;

    StreamMeter(PeerId peerId, String protocolId) {
      this.peerId = peerId;
      this.protocolId = protocolId;
      this.peer = peerMeter(peerId);
      this.protocol = protocolMeter(protocolId);
    }

    private FlowMeter peer() {
      if (peer.forgotten) {
        peer = peerMeter(peerId);
      }
      return peer;
    }

    private FlowMeter protocol() {
      if (protocol.forgotten) {
        protocol = protocolMeter(protocolId);
      }
      return protocol;
    }

    @Override
    public void received(int bytes) {
      total.received(bytes);
      peer().received(bytes);
      protocol().received(bytes);
    }

    @Override
    public void sent(int bytes) {
      total.sent(bytes);
      peer().sent(bytes);
      protocol().sent(bytes);
    }
  }

  @Override
  public Bandwidth total() {
    return total.bandwidth();
  }

  @Override
  public Optional<Bandwidth> peer(PeerId peer) {
    return Optional.ofNullable(peers.get(peer)).map(FlowMeter::bandwidth);
  }

  @Override
  public Optional<Bandwidth> protocol(String protocol) {
    return Optional.ofNullable(protocols.get(protocol)).map(FlowMeter::bandwidth);
  }

  @Override
  public Map<PeerId, Bandwidth> peers() {
    return snapshot(peers);
  }

  @Override
  public Map<String, Bandwidth> protocols() {
    return snapshot(protocols);
  }

  private static <K> Map<K, Bandwidth> snapshot(Map<K, FlowMeter> meters) {
    Map<K, Bandwidth> out = new HashMap<>();
    meters.forEach((k, m) -> out.put(k, m.bandwidth()));
    return Map.copyOf(out);
  }
}
