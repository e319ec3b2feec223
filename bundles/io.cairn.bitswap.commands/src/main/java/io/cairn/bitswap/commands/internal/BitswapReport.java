package io.cairn.bitswap.commands.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.ClientStats;
import io.cairn.bitswap.EngineStatus;
import io.cairn.bitswap.LedgerEntry;
import io.cairn.bitswap.ServerStats;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PeerId;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the RPC and Gogo bitswap commands share: Kubo's JSON shapes (boxo's {@code bitswap.Stat},
 * Kubo's {@code KeyList} and the decision engine's {@code Receipt}, fields in their Go order), peer id
 * arguments, and the errors for a client or engine that is not running.
 */
final class BitswapReport {
  /** Without the client there is no wantlist and nothing received to report. */
  static final String NO_CLIENT = "the bitswap client is not running (no io.cairn.bitswap.Bitswap service): "
      + "start the bitswap feature's io.cairn.bitswap.client bundle";
  /** Without the engine there are no ledgers, peers' wantlists or sent counts to report. */
  static final String NO_ENGINE = "the bitswap engine is not running (no io.cairn.bitswap.BitswapEngine service): "
      + "start the bitswap feature's io.cairn.bitswap.server bundle";

  private BitswapReport() {}

  /**
   * The client, or an {@link IllegalStateException} saying it is not running.
   *
   * @param client the bound service, or null
   */
  static Bitswap require(Bitswap client) {
    if (client == null) {
      throw new IllegalStateException(NO_CLIENT);
    }
    return client;
  }

  /**
   * The engine, or an {@link IllegalStateException} saying it is not running.
   *
   * @param engine the bound service, or null
   */
  static BitswapEngine require(BitswapEngine engine) {
    if (engine == null) {
      throw new IllegalStateException(NO_ENGINE);
    }
    return engine;
  }

  /**
   * A peer id as Kubo takes it (base58btc, or a libp2p-key CID).
   *
   * @throws IllegalArgumentException saying why {@code text} is not one
   */
  static PeerId parsePeer(String text) {
    try {
      return PeerId.parse(text);
    } catch (MultiformatException e) {
      throw new IllegalArgumentException("invalid peer id \"" + text + "\": " + e.getMessage(), e);
    }
  }

  /** The CIDs in text order: the order Kubo's text output sorts them in, and a stable one for JSON. */
  static List<Cid> sorted(Collection<Cid> cids) {
    return cids.stream().sorted(Comparator.comparing(Cid::toString)).toList();
  }

  /** The peers with a ledger (Kubo's partners), in text order. */
  static List<String> partners(List<LedgerEntry> ledgers) {
    return ledgers.stream().map(e -> e.peer().toString()).sorted().toList();
  }

  /** A CID as Go's cid.Cid marshals to JSON: {@code {"/": "<cid>"}}. */
  static Map<String, Object> link(Cid cid) {
    return Map.of("/", cid.toString());
  }

  /**
   * {@code bitswap/stat}: boxo's Stat, its fields first and in its order, then Cairn's engine
   * ({@link #engine}). {@code ProvideBufLen} is 0: Cairn does not announce blocks to a routing system,
   * so nothing waits to be provided.
   */
  static Map<String, Object> stat(ClientStats client, Collection<Cid> wantlist, ServerStats engine,
      List<LedgerEntry> ledgers, EngineStatus status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ProvideBufLen", 0);
    m.put("Wantlist", sorted(wantlist).stream().map(BitswapReport::link).toList());
    m.put("Peers", partners(ledgers));
    m.put("BlocksReceived", client.blocksReceived());
    m.put("DataReceived", client.dataReceived());
    m.put("BlocksSent", engine.blocksSent());
    m.put("DataSent", engine.dataSent());
    m.put("DupBlksReceived", client.dupBlocksReceived());
    m.put("DupDataReceived", client.dupDataReceived());
    m.put("MessagesReceived", engine.messagesReceived());
    m.putAll(engine(status));
    return m;
  }

  /**
   * What Kubo's Stat lacks, from the engine's strategies: {@code Strategies} (the {@code cairn.strategy}
   * in use for priority, limits and batching), {@code Limits} (each limit's current value beside what is in use
   * against it; {@code GlobalOutstandingBytes} -1 when there is no global budget), {@code Classes} (per
   * want class: latency target in ms, -1 for none; queued; answered; latency percentiles in ms) and
   * {@code Degradation} (wants promoted, shed with DONT_HAVE, peers deferred; lookups failed for lack of memory).
   */
  static Map<String, Object> engine(EngineStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> strategies = new LinkedHashMap<>();
    strategies.put("Priority", s.priorityStrategy());
    strategies.put("Limits", s.limitsStrategy());
    strategies.put("Batch", s.batchStrategy());
    m.put("Strategies", strategies);
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("GlobalOutstandingBytes", s.globalLimitBytes() == Long.MAX_VALUE ? -1 : s.globalLimitBytes());
    limits.put("OutstandingBytes", s.outstandingBytes());
    limits.put("LookupConcurrency", s.lookupLimit());
    limits.put("LookupsInFlight", s.lookupsInFlight());
    limits.put("PeerOutstandingBytesMin", s.peerLimitMinBytes());
    limits.put("PeerOutstandingBytesMax", s.peerLimitMaxBytes());
    m.put("Limits", limits);
    m.put("Classes", s.classes().stream().map(c -> {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("Name", c.name());
      cm.put("TargetMs", c.targetMillis());
      cm.put("Queued", c.queued());
      cm.put("Answered", c.answered());
      cm.put("P50Ms", c.p50Millis());
      cm.put("P95Ms", c.p95Millis());
      cm.put("P99Ms", c.p99Millis());
      return cm;
    }).toList());
    Map<String, Object> degradation = new LinkedHashMap<>();
    degradation.put("Promoted", s.promoted());
    degradation.put("Shed", s.shed());
    degradation.put("Deferred", s.deferred());
    degradation.put("MemoryPressure", s.memoryPressure());
    m.put("Degradation", degradation);
    return m;
  }

  /** {@code bitswap/wantlist}: Kubo's KeyList, {@code {"Keys": [{"/": cid}, ...]}}. */
  static Map<String, Object> keys(List<Cid> cids) {
    return Map.of("Keys", cids.stream().map(BitswapReport::link).toList());
  }

  /**
   * {@code bitswap/ledger}: the decision engine's Receipt. A peer without a ledger (never connected,
   * or gone) gets zeros, as Kubo answers for it.
   */
  static Map<String, Object> receipt(PeerId peer, Optional<LedgerEntry> ledger) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Peer", peer.toString());
    m.put("Value", ledger.map(LedgerEntry::debtRatio).orElse(0.0));
    m.put("Sent", ledger.map(LedgerEntry::bytesSent).orElse(0L));
    m.put("Recv", ledger.map(LedgerEntry::bytesReceived).orElse(0L));
    m.put("Exchanged", ledger.map(LedgerEntry::exchanged).orElse(0L));
    return m;
  }
}
