package io.cairn.bench;

import io.cairn.libp2p.PeerInfo;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Node-level bitswap load: many peer identities fetch a deterministic block set from one server over
 * real libp2p connections (TCP + Noise + yamux), and the run is reported as JSON and a PNG chart.
 *
 * <pre>
 * fetch --target MULTIADDR/p2p/ID --count N --size BYTES [--kind raw] [--peers 8]
 *       [--concurrency 64 | --rate WANTS_PER_S] [--warmup 0] [--want-timeout 30] [--max-seconds 600]
 *       [--server-pid PID] [--clk-tck 100] [--out DIR] [--name NAME] [--expect-cids-sha256 HEX] [--io-threads 1]
 *       [--want block|have] [--dont-have error|shed] [--key-seed SEED]
 * put   --api http://HOST:PORT --count N --size BYTES [--kind raw]
 * ids   --key-seed SEED --peers N
 * table DIR
 * </pre>
 *
 * <p>{@code fetch}: each peer has its own host and one connection; every CID is wanted once, as a
 * want-block with sendDontHave, on the peer's outbound /ipfs/bitswap/1.2.0 stream. Flat out, at most
 * {@code concurrency} wants are in flight across the peers (each answer sends the next want on the same
 * peer); with {@code --rate}, want i is due at i / rate seconds whatever the answers (open loop), and its
 * latency counts from when it was due. Each block is re-hashed against the CID asked for. DONT_HAVE,
 * timeouts, blocks that hash to no wanted CID, duplicate blocks, disconnects, malformed messages and
 * failed sends are errors: the exit code is 1 if there is any, or if not every block arrived. With
 * {@code --warmup K}, K unmeasured rounds of the whole set go first over the same connections (they must
 * be error-free too); the report is of the round after them.
 * With {@code --want have} the wants are want-haves and a HAVE answers each (bitswap's cheap class of
 * request); with {@code --dont-have shed} a DONT_HAVE is the node shedding the want under overload: counted
 * as {@code shed}, not an error, and the latencies are those of the wants it admitted. With {@code --key-seed},
 * peer i's identity is {@link LoadIdentities}' key i of the seed (else each peer has a fresh one).
 * Prints the JSON report on stdout (also {@code DIR/NAME.json}, with {@code DIR/NAME.png}).
 *
 * <p>{@code ids}: prints the peer IDs that {@code fetch --key-seed SEED --peers N} will use, one a line.
 *
 * <p>{@code put}: puts the same blocks into a node through {@code POST /api/v0/block/put} and checks the
 * CIDs it answers. {@code table}: the Helia-vs-Cairn comparison of the reports {@code DIR/CASE-helia.json}
 * and {@code DIR/CASE-cairn.json}, as Markdown (also written to {@code DIR/summary.md}).
 */
public final class BitswapLoad {
  private BitswapLoad() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bitswap-load: " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.print("bitswap-load failed: ");
      e.printStackTrace();
      code = 2;
    }
    System.exit(code);
  }

  static int run(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("modes: fetch, put, table (see the class comment)");
    }
    Options o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
    return switch (args[0]) {
      case "fetch" -> fetch(o);
      case "put" -> put(o);
      case "table" -> table(Path.of(o.positional(0, "DIR")));
      case "ids" -> ids(o);
      default -> throw new IllegalArgumentException("unknown mode " + args[0] + "; modes: fetch, put, table, ids");
    };
  }

  // ---- put

  static int put(Options o) throws Exception {
    String api = o.require("api");
    requireRaw(o);
    int count = o.intOption("count", -1, 1, 10_000_000);
    int size = o.intOption("size", -1, 1, TestBlocks.MAX_BLOCK_SIZE);
    o.checkAllUsed();
    long start = System.nanoTime();
    List<Cid> cids = BlockPut.put(api, count, size);
    System.err.printf(Locale.ROOT, "put %d blocks of %d bytes into %s in %.1f s; every CID checked%n", cids.size(), size, api,
        (System.nanoTime() - start) / 1e9);
    System.out.println(TestBlocks.cidsSha256(cids));
    return 0;
  }

  private static void requireRaw(Options o) {
    String kind = o.option("kind", "raw");
    if (!kind.equals("raw")) {
      throw new IllegalArgumentException("--kind: only raw blocks (CIDv1 raw sha2-256) are generated, not " + kind);
    }
  }

  // ---- ids

  static int ids(Options o) {
    String seed = o.require("key-seed");
    int peers = o.intOption("peers", -1, 1, 10_000);
    o.checkAllUsed();
    for (int i = 0; i < peers; i++) {
      System.out.println(LoadIdentities.peerId(seed, i));
    }
    return 0;
  }

  // ---- fetch

  static int fetch(Options o) throws Exception {
    Multiaddr target = Multiaddr.parse(o.require("target"));
    if (target.peerId().isEmpty()) {
      throw new IllegalArgumentException("--target needs /p2p/<peer id>: " + target);
    }
    requireRaw(o);
    int count = o.intOption("count", -1, 1, 10_000_000);
    int size = o.intOption("size", -1, 1, TestBlocks.MAX_BLOCK_SIZE);
    int peerCount = o.intOption("peers", 8, 1, 10_000);
    double rate = o.doubleOption("rate", 0);
    if (rate > 0 && o.optional("concurrency").isPresent()) {
      throw new IllegalArgumentException("--rate and --concurrency exclude each other");
    }
    int concurrency = rate > 0 ? 0 : o.intOption("concurrency", 64, 1, 10_000_000);
    int warmup = o.intOption("warmup", 0, 0, 100);
    int wantTimeout = o.intOption("want-timeout", 30, 1, 3600);
    int maxSeconds = o.intOption("max-seconds", 600, 1, 86_400);
    int serverPid = o.intOption("server-pid", 0, 0, Integer.MAX_VALUE);
    int clkTck = o.intOption("clk-tck", 100, 1, 1_000_000);
    int ioThreads = o.intOption("io-threads", 1, 1, 64);
    String name = o.option("name", "bitswap-load");
    boolean wantHave = switch (o.option("want", "block")) {
      case "block" -> false;
      case "have" -> true;
      default -> throw new IllegalArgumentException("--want is block or have, not " + o.option("want", ""));
    };
    boolean dontHaveIsShed = switch (o.option("dont-have", "error")) {
      case "error" -> false;
      case "shed" -> true;
      default -> throw new IllegalArgumentException("--dont-have is error or shed, not " + o.option("dont-have", ""));
    };
    Optional<String> keySeed = o.optional("key-seed");
    Optional<Path> outDir = o.optional("out").map(Path::of);
    Optional<String> expectSha = o.optional("expect-cids-sha256");
    o.checkAllUsed();

    System.err.printf(Locale.ROOT, "generating %d raw blocks of %d bytes%n", count, size);
    List<Cid> cids = new TestBlocks(size).cids(count);
    String cidsSha256 = TestBlocks.cidsSha256(cids);
    if (expectSha.isPresent() && !expectSha.get().equalsIgnoreCase(cidsSha256)) {
      System.err.println("the server holds another block set: its CIDs hash to " + expectSha.get() + ", ours to " + cidsSha256);
      return 1;
    }
    Optional<ProcessProbe> server = serverPid > 0 ? Optional.of(new ProcessProbe(serverPid, clkTck)) : Optional.empty();

    List<LoadPeer> peers = new ArrayList<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bitswap-load-timer");
      t.setDaemon(true);
      return t;
    });
    LoadRun run = null;
    try {
      for (int i = 0; i < peerCount; i++) {
        PrivateKey key = keySeed.isPresent() ? LoadIdentities.key(keySeed.get(), i) : Keys.generateEd25519();
        peers.add(new LoadPeer(target, key, ioThreads, lost -> {
          if (peers.stream().noneMatch(LoadPeer::alive)) {
            lost.abandonRest();
          }
        }));
      }
      List<CompletableFuture<Void>> connecting = new ArrayList<>();
      for (LoadPeer p : peers) {
        connecting.add(p.connect(target));
      }
      LoadPeer.awaitAll(connecting, 30);
      PeerInfo identified = awaitIdentify(peers.get(0), 10);
      boolean announcesBitswap = identified != null && identified.protocols().contains("/ipfs/bitswap/1.2.0");
      if (!announcesBitswap) {
        System.err.println("WARNING: the server's identify does not list /ipfs/bitswap/1.2.0"
            + (identified == null ? " (identify did not complete in 10 s)" : ": " + identified.protocols()));
      }
      System.err.printf(Locale.ROOT, "%d peers connected to %s (%s); fetching %s%s%n", peerCount, target,
          identified == null ? "?" : identified.agentVersion(),
          concurrency > 0 ? "flat out at concurrency " + concurrency : "at " + rate + " wants/s",
          warmup > 0 ? " after " + warmup + " warm-up round(s)" : "");
      timer.scheduleAtFixedRate(() -> peers.forEach(p -> p.expire(System.nanoTime())), 100, 100, TimeUnit.MILLISECONDS);

      // Warm-up rounds fetch the whole set over the same connections, unmeasured: both JITs (the server's
      // and ours) are then past their first compilations when the measured round starts.
      // A warm-up round that fails is the one reported: its errors are the server's all the same.
      Round measured = null;
      String reported = "";
      for (int round = 0; round <= warmup; round++) {
        run = new LoadRun(cids, size, concurrency, TimeUnit.SECONDS.toNanos(wantTimeout), wantHave, dontHaveIsShed);
        measured = round(run, peers, rate, maxSeconds, server);
        if (round < warmup && !measured.ok()) {
          reported = "warm-up round " + (round + 1) + " of " + warmup + ", which failed";
          System.err.println("FAILED in " + reported);
          break;
        }
        reported = round == warmup ? "the round after " + warmup + " warm-up round(s)" : reported;
      }
      run.closing = true;

      Map<String, Object> report = report(run, measured.complete, measured.start, measured.end, name, target,
          identified, announcesBitswap, peers.get(0).protocol(), cidsSha256, rate, peerCount, wantTimeout);
      report.put("warmupRounds", warmup);
      report.put("reportedRound", reported);
      double millis = (measured.end - measured.start) / 1e6;
      report.put("loadPid", ProcessHandle.current().pid());
      report.put("loadCpuMs", measured.loadCpuMs);
      report.put("loadCpuPercent", 100.0 * measured.loadCpuMs / millis);
      report.put("loadHeapUsedKib", ProcessProbe.ownHeapUsedKib());
      report.put("loadHeapPeakKib", ProcessProbe.ownHeapPeakKib());
      if (server.isPresent()) {
        ProcessProbe s = server.get();
        report.put("serverPid", s.pid());
        report.put("serverCpuMs", measured.serverCpuMs);
        report.put("serverCpuPercent", 100.0 * measured.serverCpuMs / millis);
        report.put("serverRssKib", orNull(s.statusKib("VmRSS")));
        report.put("serverRssPeakKib", orNull(s.statusKib("VmHWM")));
        if (s.isJvm()) {
          report.put("serverHeapUsedKib", orNull(s.jvmHeapUsedKib(false)));
          report.put("serverHeapLiveKib", orNull(s.jvmHeapUsedKib(true)));
        }
      }
      report.put("cores", Runtime.getRuntime().availableProcessors());
      report.put("java", Runtime.version().toString());
      boolean ok = measured.ok();
      report.put("ok", ok);
      report.put("intervalMs", intervalMillis(measured.end - measured.start));
      List<LoadChart.Point> points = intervals(run, measured.start, measured.end);
      List<Map<String, Object>> series = new ArrayList<>();
      for (LoadChart.Point p : points) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", p.endSeconds());
        m.put("blocks", p.blocksPerSec());
        m.put("mb", p.mbPerSec());
        m.put("p95", p.p95Ms());
        series.add(m);
      }
      report.put("intervals", series);

      String json = Json.write(report);
      System.out.print(json);
      if (outDir.isPresent()) {
        Files.createDirectories(outDir.get());
        Files.writeString(outDir.get().resolve(name + ".json"), json, StandardCharsets.UTF_8);
        LoadChart.write(outDir.get().resolve(name + ".png"), name + ": " + count + " x " + size + " B raw"
            + (wantHave ? " (want-have)" : "") + ", "
            + (concurrency > 0 ? "concurrency " + concurrency : String.format(Locale.ROOT, "%,.0f wants/s", rate)) + ", "
            + peerCount + " peers",
            String.format(Locale.ROOT, "%,.0f answers/s, %.1f MB/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d errors%s; %s",
                report.get("blocksPerSec"), report.get("mbPerSec"), report.get("p50Ms"), report.get("p95Ms"),
                report.get("p99Ms"), run.errors(), dontHaveIsShed ? ", " + run.shed.sum() + " shed" : "", identified == null ? target.toString() : identified.agentVersion()),
            size, points);
      }
      if (!ok) {
        System.err.printf(Locale.ROOT, "FAILED: %d of %d wants answered (%d shed), %d errors %s%n", run.received.sum(),
            count, run.shed.sum(), run.errors(), report.get("errorsByKind"));
      }
      return ok ? 0 : 1;
    } finally {
      if (run != null) {
        run.closing = true;
      }
      timer.shutdownNow();
      peers.forEach(LoadPeer::close);
    }
  }

  /** One round's timing and CPU: from its first want to its end. */
  private record Round(LoadRun run, boolean complete, long start, long end, long loadCpuMs, long serverCpuMs) {
    boolean ok() {
      return complete && run.errors() == 0 && run.received.sum() + run.shed.sum() == run.count();
    }
  }

  /** Fetches the whole set once, flat out or at the rate, and waits until every want is resolved (or the time is up). */
  private static Round round(LoadRun run, List<LoadPeer> peers, double rate, int maxSeconds,
      Optional<ProcessProbe> server) throws Exception {
    peers.forEach(p -> p.begin(run));
    long serverCpu0 = server.isPresent() ? server.get().cpuMillis() : 0;
    long loadCpu0 = ProcessProbe.ownCpuMillis();
    long start = System.nanoTime();
    Thread scheduler = null;
    if (run.flatOut()) {
      for (int i = 0; i < Math.min(run.concurrency, run.count()); i++) {
        peers.get(i % peers.size()).sendNext(run);
      }
    } else {
      scheduler = Thread.ofPlatform().daemon().name("bitswap-load-rate").start(() -> schedule(run, peers, rate, start));
    }
    boolean complete = run.await(TimeUnit.SECONDS.toMillis(maxSeconds));
    long end = System.nanoTime();
    long loadCpu = ProcessProbe.ownCpuMillis() - loadCpu0;
    long serverCpu = server.isPresent() ? server.get().cpuMillis() - serverCpu0 : -1;
    if (scheduler != null) {
      scheduler.interrupt();
    }
    if (!complete) {
      System.err.printf(Locale.ROOT, "not complete after %d s: %d of %d wants were resolved%n", maxSeconds,
          countResolved(run), run.count());
    }
    return new Round(run, complete, start, end, loadCpu, serverCpu);
  }

  private static int countResolved(LoadRun run) {
    int n = 0;
    for (byte s : run.state) {
      n += s == LoadRun.PENDING ? 0 : 1;
    }
    return n;
  }

  private static Object orNull(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  private static PeerInfo awaitIdentify(LoadPeer peer, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Optional<PeerInfo> info = peer.serverInfo();
      if (info.isPresent()) {
        return info.get();
      }
      Thread.sleep(10);
    }
    return null;
  }

  /** Rate mode: want i is due at start + i / rate, sent to peer i mod P (the next live one if that one is gone). */
  private static void schedule(LoadRun run, List<LoadPeer> peers, double rate, long start) {
    double nanosPerWant = 1e9 / rate;
    while (!run.closing && run.handedOut() < run.count()) {
      long due = (long) ((System.nanoTime() - start) / nanosPerWant) + 1;
      while (run.handedOut() < Math.min(due, run.count())) {
        int i = run.takeNext();
        if (i < 0) {
          return;
        }
        LoadPeer peer = null;
        for (int k = 0; k < peers.size() && peer == null; k++) {
          LoadPeer candidate = peers.get((i + k) % peers.size());
          peer = candidate.alive() ? candidate : null;
        }
        if (peer == null) {
          run.abandonRest();
          return;
        }
        peer.send(run, i, start + (long) (i * nanosPerWant));
      }
      // Until the next want is due, not a whole period: a want sent up to a period late would count that
      // lateness as the node's latency (25 ms at 20 wants/s, measured on an idle node).
      long nextDue = start + (long) (run.handedOut() * nanosPerWant);
      LockSupport.parkNanos(Math.max(10_000, nextDue - System.nanoTime()));
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  // ---- the report

  private static Map<String, Object> report(LoadRun run, boolean complete, long start, long end, String name,
      Multiaddr target, PeerInfo identified, boolean announcesBitswap, String protocol, String cidsSha256, double rate,
      int peers, int wantTimeout) {
    int count = run.count();
    long lastEnd = start;
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (run.state[i] != LoadRun.PENDING) {
        lastEnd = Math.max(lastEnd, run.ended[i]);
      }
      if (run.state[i] == LoadRun.RECEIVED) {
        latencies.add((run.ended[i] - run.sent[i]) / 1e6);
      }
    }
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    // Complete: from the first want to the last answer. Not complete: the whole time waited.
    double seconds = ((complete ? lastEnd : end) - start) / 1e9;
    long received = run.received.sum();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("tool", "BitswapLoad");
    r.put("name", name);
    r.put("startedAt", Instant.now().minusNanos(System.nanoTime() - start).toString());
    r.put("target", target.toString());
    r.put("serverAgent", identified == null ? null : identified.agentVersion());
    r.put("serverAnnouncesBitswap", announcesBitswap);
    r.put("protocol", protocol);
    r.put("kind", "raw");
    r.put("want", run.wantHave ? "have" : "block");
    r.put("size", run.blockSize);
    r.put("count", count);
    r.put("cidsSha256", cidsSha256);
    r.put("mode", run.flatOut() ? "flat" : "rate");
    r.put("concurrency", run.flatOut() ? run.concurrency : null);
    r.put("rate", run.flatOut() ? null : rate);
    r.put("peers", peers);
    r.put("wantTimeoutMs", wantTimeout * 1000);
    r.put("durationMs", seconds * 1000);
    r.put("received", received);
    r.put("bytes", run.receivedBytes.sum());
    r.put("blocksPerSec", received / seconds);
    r.put("mbPerSec", run.receivedBytes.sum() / 1e6 / seconds);
    r.put("p50Ms", percentile(sorted, 50));
    r.put("p95Ms", percentile(sorted, 95));
    r.put("p99Ms", percentile(sorted, 99));
    r.put("maxMs", sorted.length == 0 ? null : sorted[sorted.length - 1]);
    r.put("meanMs", sorted.length == 0 ? null : Arrays.stream(sorted).average().orElse(0));
    r.put("shed", run.dontHaveIsShed ? run.shed.sum() : null);
    r.put("shedPercent", run.dontHaveIsShed ? 100.0 * run.shed.sum() / count : null);
    r.put("errors", run.errors());
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put("dontHave", run.dontHave.sum());
    errors.put("timeouts", run.timeouts.sum());
    errors.put("hashMismatches", run.hashMismatches.sum());
    errors.put("unexpectedBlocks", run.unexpectedBlocks.sum());
    errors.put("disconnects", run.disconnects.sum());
    errors.put("notRequested", run.notRequested.sum());
    errors.put("malformedMessages", run.malformedMessages.sum());
    errors.put("sendFailures", run.sendFailures.sum());
    errors.put("unresolved", count - countResolved(run));
    r.put("errorsByKind", errors);
    r.put("haves", run.haves.sum());
    r.put("messagesSent", run.messagesSent.sum());
    r.put("messagesReceived", run.messagesReceived.sum());
    r.put("streamReopens", run.streamReopens.sum());
    return r;
  }

  /** Nearest rank, as helia-peer.mjs computes it; null if nothing arrived. */
  private static Double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = Math.max(1, (int) Math.ceil(p / 100 * sorted.length));
    return sorted[rank - 1];
  }

  /** Intervals of the chart and series: 1 s for runs of 20 s or more, else 100 ms, or 10 ms under 2 s. */
  private static long intervalMillis(long nanos) {
    return nanos >= 20e9 ? 1000 : nanos >= 2e9 ? 100 : 10;
  }

  private static List<LoadChart.Point> intervals(LoadRun run, long start, long end) {
    long width = TimeUnit.MILLISECONDS.toNanos(intervalMillis(end - start));
    int n = (int) Math.max(1, (end - start + width - 1) / width);
    int[] blocks = new int[n];
    Map<Integer, List<Double>> latencies = new HashMap<>();
    int last = 0;
    for (int i = 0; i < run.count(); i++) {
      if (run.state[i] == LoadRun.RECEIVED) {
        int k = (int) Math.min(n - 1, Math.max(0, (run.ended[i] - start) / width));
        blocks[k]++;
        latencies.computeIfAbsent(k, x -> new ArrayList<>()).add((run.ended[i] - run.sent[i]) / 1e6);
        last = Math.max(last, k);
      }
    }
    List<LoadChart.Point> points = new ArrayList<>();
    double perSecond = 1e9 / width;
    for (int k = 0; k <= last; k++) {
      double[] sorted = latencies.getOrDefault(k, List.of()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      Double p95 = percentile(sorted, 95);
      points.add(new LoadChart.Point((k + 1) * width / 1e9, blocks[k] * perSecond,
          blocks[k] * (double) run.blockSize * perSecond / 1e6, p95 == null ? Double.NaN : p95));
    }
    return points;
  }

  // ---- table

  static int table(Path dir) throws IOException {
    List<String> cases;
    try (Stream<Path> files = Files.list(dir)) {
      cases = files.map(f -> f.getFileName().toString()).filter(f -> f.matches(".+-(helia|cairn)\\.json"))
          .map(f -> f.replaceAll("-(helia|cairn)\\.json$", "")).distinct().sorted().toList();
    }
    StringBuilder out = new StringBuilder();
    out.append("| case | Helia blocks/s | Cairn blocks/s | Cairn / Helia | Helia MB/s | Cairn MB/s | Helia p95 ms | Cairn p95 ms "
        + "| Helia / Cairn p99 ms | errors H / C | server CPU s H / C | server RSS MiB H / C |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    boolean ok = true;
    for (String caseName : cases) {
      // A run that left no report (its server did not start) shows as dashes and fails the table.
      Path c = dir.resolve(caseName + "-cairn.json");
      Path h = dir.resolve(caseName + "-helia.json");
      String cj = Files.exists(c) ? Files.readString(c) : "{}";
      String hj = Files.exists(h) ? Files.readString(h) : "{}";
      ok &= "true".equals(bool(cj)) && "true".equals(bool(hj));
      String any = Files.exists(c) ? cj : hj;
      double hb = Json.number(hj, "blocksPerSec");
      double cb = Json.number(cj, "blocksPerSec");
      out.append(String.format(Locale.ROOT, "| %s: %s x %s @%s | %s | %s | **%s** | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s / %s |%n",
          caseName, fmt(Json.number(any, "count"), "%,.0f"), size(Json.number(any, "size")), concurrencyOf(any),
          fmt(hb, "%,.0f"), fmt(cb, "%,.0f"), fmt(cb / hb, "%.1fx"),
          fmt(Json.number(hj, "mbPerSec"), "%,.1f"), fmt(Json.number(cj, "mbPerSec"), "%,.1f"),
          fmt(Json.number(hj, "p95Ms"), "%.1f"), fmt(Json.number(cj, "p95Ms"), "%.1f"),
          fmt(Json.number(hj, "p99Ms"), "%.1f"), fmt(Json.number(cj, "p99Ms"), "%.1f"),
          fmt(Json.number(hj, "errors"), "%.0f"), fmt(Json.number(cj, "errors"), "%.0f"),
          fmt(Json.number(hj, "serverCpuMs") / 1000, "%.1f"), fmt(Json.number(cj, "serverCpuMs") / 1000, "%.1f"),
          fmt(Json.number(hj, "serverRssPeakKib") / 1024, "%.0f"), fmt(Json.number(cj, "serverRssPeakKib") / 1024, "%.0f")));
    }
    System.out.print(out);
    Files.writeString(dir.resolve("summary.md"), out.toString(), StandardCharsets.UTF_8);
    return ok ? 0 : 1;
  }

  private static String bool(String json) {
    Matcher m = Pattern.compile("\"ok\"\\s*:\\s*(true|false)").matcher(json);
    return m.find() ? m.group(1) : "missing";
  }

  private static String concurrencyOf(String json) {
    double c = Json.number(json, "concurrency");
    return Double.isNaN(c) ? fmt(Json.number(json, "rate"), "%.0f/s") : fmt(c, "%.0f");
  }

  private static String size(double bytes) {
    return Double.isNaN(bytes) ? "-" : bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (long) bytes / (1 << 20) + " MiB"
        : bytes >= 1024 && bytes % 1024 == 0 ? (long) bytes / 1024 + " KiB" : (long) bytes + " B";
  }

  private static String fmt(double v, String format) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
  }

  // ---- options

  /** {@code --name value} options and positional arguments; every option given must be used. */
  static final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> used = new HashSet<>();

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        if (args[i].startsWith("--")) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("missing value for " + args[i]);
          }
          o.values.put(args[i].substring(2), args[++i]);
        } else {
          o.positional.add(args[i]);
        }
      }
      return o;
    }

    String positional(int i, String what) {
      if (i >= positional.size()) {
        throw new IllegalArgumentException(what + " is required");
      }
      return positional.get(i);
    }

    Optional<String> optional(String name) {
      used.add(name);
      return Optional.ofNullable(values.get(name));
    }

    String option(String name, String dflt) {
      return optional(name).orElse(dflt);
    }

    String require(String name) {
      return optional(name).orElseThrow(() -> new IllegalArgumentException("--" + name + " is required"));
    }

    /** @param dflt the default, or -1 if the option is required */
    int intOption(String name, int dflt, int min, int max) {
      Optional<String> v = optional(name);
      if (v.isEmpty()) {
        if (dflt < 0) {
          throw new IllegalArgumentException("--" + name + " is required");
        }
        return dflt;
      }
      int n;
      try {
        n = Integer.parseInt(v.get());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " must be an integer, not " + v.get());
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException("--" + name + " must be " + min + " to " + max + ", not " + n);
      }
      return n;
    }

    double doubleOption(String name, double dflt) {
      Optional<String> v = optional(name);
      try {
        double d = v.map(Double::parseDouble).orElse(dflt);
        if (!(d >= 0) || Double.isInfinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " must be a non-negative number, not " + v.orElse(""));
      }
    }

    void checkAllUsed() {
      if (!positional.isEmpty()) {
        throw new IllegalArgumentException("unexpected argument " + positional.get(0));
      }
      for (String name : values.keySet()) {
        if (!used.contains(name)) {
          throw new IllegalArgumentException("unknown option --" + name);
        }
      }
    }
  }
}
