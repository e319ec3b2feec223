package io.cairn.bitswap.commands.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.ClientStats;
import io.cairn.bitswap.EngineStatus;
import io.cairn.bitswap.LedgerEntry;
import io.cairn.bitswap.ServerStats;
import io.cairn.bitswap.Want;
import io.cairn.bitswap.message.WantType;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo: {@code bitswap:stat [-v] [--human]}, {@code bitswap:wantlist [peer]}, {@code bitswap:ledger [peer]}:
 * Kubo's {@code ipfs bitswap} commands for the console, in Kubo's text where it has one; and
 * {@code bitswap:limits [--human]}: the engine's strategies, limits and want classes now. A command
 * whose client or engine is not running fails with a message naming it.
 */
@Component(service = BitswapShellCommands.class, property = {"osgi.command.scope=bitswap",
    "osgi.command.function=stat", "osgi.command.function=wantlist", "osgi.command.function=ledger",
    "osgi.command.function=limits"})
public class BitswapShellCommands {
  /** go-humanize's SI byte units. */
  private static final String[] SI = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile Bitswap client;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile BitswapEngine engine;

  /**
   * Kubo's {@code ipfs bitswap stat} text, then the counters Kubo does not have. {@code -v} (or
   * {@code --verbose}) lists the partners; {@code --human} prints byte counts as Kubo's humanize does
   * (SI units: 1.2 MB).
   */
  public String stat(String... options) {
    boolean verbose = false;
    boolean human = false;
    for (String option : options) {
      switch (option) {
        case "-v", "--verbose" -> verbose = true;
        case "--human" -> human = true;
        default -> throw new IllegalArgumentException("unknown option " + option + ": usage: bitswap:stat [-v] [--human]");
      }
    }
    Bitswap c = BitswapReport.require(client);
    BitswapEngine e = BitswapReport.require(engine);
    ClientStats cs = c.stats();
    List<Cid> wants = BitswapReport.sorted(c.wantlist());
    ServerStats ss = e.stats();
    List<String> partners = BitswapReport.partners(e.ledgers());
    StringBuilder out = new StringBuilder("bitswap status\n");
    line(out, "blocks received", cs.blocksReceived());
    line(out, "blocks sent", ss.blocksSent());
    line(out, "data received", bytes(cs.dataReceived(), human));
    line(out, "data sent", bytes(ss.dataSent(), human));
    line(out, "dup blocks received", cs.dupBlocksReceived());
    line(out, "dup data received", bytes(cs.dupDataReceived(), human));
    out.append("\twantlist [").append(wants.size()).append(" keys]\n");
    wants.forEach(cid -> out.append("\t\t").append(cid).append('\n'));
    out.append("\tpartners [").append(partners.size()).append("]\n");
    if (verbose) {
      partners.forEach(p -> out.append("\t\t").append(p).append('\n'));
    }
    line(out, "messages received", ss.messagesReceived());
    line(out, "haves sent", ss.haveSent());
    line(out, "dont-haves sent", ss.dontHaveSent());
    line(out, "unwanted blocks dropped", cs.unwantedBlocks());
    line(out, "invalid blocks dropped", cs.invalidBlocks());
    line(out, "malformed messages", ss.malformedMessages());
    line(out, "sessions", cs.sessions());
    line(out, "queued tasks", ss.queuedTasks());
    line(out, "outstanding bytes", bytes(ss.outstandingBytes(), human));
    return out.toString();
  }

  /**
   * The engine's strategies in use, each limit's current value beside what is in use against it, the
   * want classes (target, queued, answered, latency percentiles) and the degradation counts.
   * {@code --human} prints byte counts in SI units.
   */
  public String limits(String... options) {
    boolean human = false;
    for (String option : options) {
      if (option.equals("--human")) {
        human = true;
      } else {
        throw new IllegalArgumentException("unknown option " + option + ": usage: bitswap:limits [--human]");
      }
    }
    EngineStatus s = BitswapReport.require(engine).status();
    StringBuilder out = new StringBuilder("bitswap engine limits\n");
    line(out, "priority strategy", s.priorityStrategy());
    line(out, "limits strategy", s.limitsStrategy());
    line(out, "batch strategy", s.batchStrategy());
    line(out, "global outstanding bytes", bytes(s.outstandingBytes(), human) + " of "
        + (s.globalLimitBytes() == Long.MAX_VALUE ? "no limit" : bytes(s.globalLimitBytes(), human)));
    line(out, "lookups", s.lookupsInFlight() + " of " + s.lookupLimit());
    line(out, "per-peer outstanding bytes limit", bytes(s.peerLimitMinBytes(), human) + " to "
        + bytes(s.peerLimitMaxBytes(), human));
    line(out, "promoted", s.promoted());
    line(out, "shed", s.shed());
    line(out, "deferred", s.deferred());
    line(out, "memory pressure", s.memoryPressure());
    out.append(String.format(Locale.ROOT, "\t%-9s %8s %9s %10s %9s %9s %9s%n", "CLASS", "TARGET", "QUEUED", "ANSWERED",
        "P50 MS", "P95 MS", "P99 MS"));
    for (EngineStatus.ClassStatus c : s.classes()) {
      out.append(String.format(Locale.ROOT, "\t%-9s %8s %9d %10d %9.2f %9.2f %9.2f%n", c.name(),
          c.targetMillis() < 0 ? "-" : c.targetMillis() + " ms", c.queued(), c.answered(), c.p50Millis(), c.p95Millis(),
          c.p99Millis()));
    }
    return out.toString();
  }

  /** The CIDs this node wants, one a line in text order (Kubo's text). */
  public String wantlist() {
    StringBuilder out = new StringBuilder();
    BitswapReport.sorted(BitswapReport.require(client).wantlist()).forEach(cid -> out.append(cid).append('\n'));
    return out.length() == 0 ? "this node wants no blocks\n" : out.toString();
  }

  /** What {@code peer} wants from this node, highest priority first, with each want's type and priority. */
  public String wantlist(String peer) {
    PeerId id = BitswapReport.parsePeer(peer);
    List<Want> wants = BitswapReport.require(engine).wantlist(id);
    if (wants.isEmpty()) {
      return id + " wants no blocks from this node\n";
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-62s %-10s %11s %s%n", "CID", "TYPE", "PRIORITY", "SEND DONT_HAVE"));
    for (Want w : wants) {
      out.append(String.format(Locale.ROOT, "%-62s %-10s %11d %s%n", w.cid(), w.type() == WantType.BLOCK ? "want-block" : "want-have",
          w.priority(), w.sendDontHave() ? "yes" : "no"));
    }
    return out.toString();
  }

  /** Every peer's ledger, one row each. */
  public String ledger() {
    List<LedgerEntry> ledgers = BitswapReport.require(engine).ledgers().stream()
        .sorted(Comparator.comparing(e -> e.peer().toString())).toList();
    if (ledgers.isEmpty()) {
      return "no bitswap peers\n";
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-54s %14s %14s %11s %11s %7s %10s%n", "PEER", "BYTES SENT",
        "BYTES RECV", "BLOCKS SENT", "BLOCKS RECV", "WANTS", "DEBT RATIO"));
    for (LedgerEntry e : ledgers) {
      out.append(String.format(Locale.ROOT, "%-54s %14d %14d %11d %11d %7d %10.3f%n", e.peer(), e.bytesSent(), e.bytesReceived(),
          e.blocksSent(), e.blocksReceived(), e.wants(), e.debtRatio()));
    }
    return out.toString();
  }

  /** Kubo's {@code ipfs bitswap ledger} text for one peer, and its open wants. */
  public String ledger(String peer) {
    PeerId id = BitswapReport.parsePeer(peer);
    Optional<LedgerEntry> ledger = BitswapReport.require(engine).ledger(id);
    if (ledger.isEmpty()) {
      return "no ledger for " + id + ": it is not connected over bitswap\n";
    }
    LedgerEntry e = ledger.get();
    return String.format(Locale.ROOT, "Ledger for %s%nDebt ratio:\t%f%nExchanges:\t%d%nBytes sent:\t%d%nBytes received:\t%d%n"
        + "Wants:\t%d%n", id, e.debtRatio(), e.exchanged(), e.bytesSent(), e.bytesReceived(), e.wants());
  }

  private static void line(StringBuilder out, String name, Object value) {
    out.append('\t').append(name).append(": ").append(value).append('\n');
  }

  private static String bytes(long n, boolean human) {
    return human ? humanBytes(n) : Long.toString(n);
  }

  /** go-humanize's Bytes (what Kubo's {@code --human} prints): SI units, one decimal below 10. */
  static String humanBytes(long n) {
    if (n < 10) {
      return n + " B";
    }
    int e = 0;
    double scaled = n;
    while (scaled >= 1000 && e < SI.length - 1) {
      scaled /= 1000;
      e++;
    }
    double value = Math.floor(scaled * 10 + 0.5) / 10;
    return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, SI[e]);
  }
}
