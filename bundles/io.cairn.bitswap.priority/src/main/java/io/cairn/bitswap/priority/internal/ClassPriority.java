package io.cairn.bitswap.priority.internal;

import io.cairn.bitswap.message.WantType;
import io.cairn.bitswap.spi.PeerRank;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.bitswap.spi.WantRequest;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The seed design's PriorityRequestManager ({@code cairn.strategy=classes}, ranking 10, above static):
 * <ul>
 *   <li>classes: the wants of configured critical peers are {@link WantClass#CRITICAL}; want-have is
 *       {@link WantClass#HIGH} (small answers that let the peer pick a source); want-block is
 *       {@link WantClass#NORMAL}. The engine serves only remote peers (the node's own fetches go through
 *       the client, not this engine), so no want here is the node's own;</li>
 *   <li>within a class, the peer's own priority, then arrival (boxo's order);</li>
 *   <li>promotion: a high want queued past high's 50 ms target becomes critical; a normal want (no
 *       target) queued past {@code normalPromotionMillis} becomes high;</li>
 *   <li>peers: boxo v0.39's fair rule (boxo#1141, #1143): a peer never served, or waiting past
 *       {@code starvationMillis}, goes before the others; among those, a hash of the peer id salted per
 *       process decides, so no peer can craft an id that always wins; the others go by their best
 *       class, then first come, first served.</li>
 * </ul>
 */
@Component(configurationPid = ClassPriority.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {PriorityRequestManager.STRATEGY + "=" + ClassPriority.NAME, "service.ranking:Integer=10"})
@Designate(ocd = ClassPriorityConfig.class)
public class ClassPriority implements PriorityRequestManager {
  public static final String PID = "io.cairn.bitswap.priority";
  static final String NAME = "classes";

  /** The validated configuration. */
  record Settings(Set<PeerId> criticalPeers, long normalPromotionNanos, long starvationNanos) {}

  private final Logger log;
  private final long salt;
  private volatile Settings settings;

  @Activate
  public ClassPriority(@Reference(service = LoggerFactory.class) Logger log, ClassPriorityConfig config) {
    this(log, config, new SecureRandom().nextLong());
  }

  /** With a given salt, for tests. */
  ClassPriority(Logger log, ClassPriorityConfig config, long salt) {
    this.log = log;
    this.salt = salt;
    settings = Configs.validate(PID, config, ClassPriority::of, log)
        .orElseGet(() -> of(Configs.defaults(ClassPriorityConfig.class)));
  }

  @Modified
  void modified(ClassPriorityConfig config) {
    Configs.validate(PID, config, ClassPriority::of, log).ifPresent(s -> settings = s);
  }

  static Settings of(ClassPriorityConfig c) {
    Configs.inRange("normalPromotionMillis", c.normalPromotionMillis(), 0, 3_600_000);
    Configs.inRange("starvationMillis", c.starvationMillis(), 1, 3_600_000);
    Set<PeerId> critical = new HashSet<>();
    for (String id : c.criticalPeers() == null ? new String[0] : c.criticalPeers()) {
      if (id == null || id.isBlank()) {
        continue;
      }
      try {
        critical.add(PeerId.parse(id.strip()));
      } catch (RuntimeException e) {
        throw new InvalidConfigException("criticalPeers", "\"" + id + "\" is not a peer ID: " + e.getMessage());
      }
    }
    return new Settings(Set.copyOf(critical), TimeUnit.MILLISECONDS.toNanos(c.normalPromotionMillis()),
        TimeUnit.MILLISECONDS.toNanos(c.starvationMillis()));
  }

  @Override
  public WantClass classify(WantRequest want) {
    if (want.local() || settings.criticalPeers().contains(want.peer())) {
      return WantClass.CRITICAL;
    }
    return want.type() == WantType.HAVE ? WantClass.HIGH : WantClass.NORMAL;
  }

  @Override
  public long order(WantRequest want) {
    return -(long) want.priority();
  }

  @Override
  public WantClass promote(WantClass current, long waitedNanos) {
    return switch (current) {
      case CRITICAL -> WantClass.CRITICAL;
      case HIGH -> waitedNanos > WantClass.HIGH.targetNanos() ? WantClass.CRITICAL : WantClass.HIGH;
      case NORMAL -> {
        long after = settings.normalPromotionNanos();
        yield after > 0 && waitedNanos > after ? WantClass.HIGH : WantClass.NORMAL;
      }
    };
  }

  @Override
  public PeerRank rank(PeerTurn peer) {
    if (peer.neverServed() || peer.waitingNanos() >= settings.starvationNanos()) {
      return new PeerRank(0, saltedHash(peer.peer()));
    }
    return new PeerRank(1 + peer.bestClass().ordinal(), 0);
  }

  /** A 64-bit mix (SplitMix64's finaliser) of the peer id's bytes keyed with this process's salt. */
  long saltedHash(PeerId peer) {
    long h = salt;
    for (byte b : peer.toBytes()) {
      h = mix(h ^ (b & 0xff));
    }
    return mix(h ^ salt);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
