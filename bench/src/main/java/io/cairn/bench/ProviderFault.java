package io.cairn.bench;

import io.cairn.testing.net.Blackhole;
import io.cairn.testing.net.FaultProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14, benchmark 2, one run: a fetching node pins a DAG that two providers hold, one reached directly,
 * the other through a fault proxy in this process; once half of the DAG's bytes have arrived the proxied
 * path turns bad (added RTT and a bandwidth cap), and the run records how the fetch's rate recovers.
 *
 * <p>{@code --fetcher API --healthy MULTIADDR --faulty-port PORT --faulty-peer ID --cid CID --bytes N
 * --healthy-rate MB_PER_SEC --out DIR --label NAME [--fault slow|vanish] [--delay-ms 150] [--rate 512000]
 * [--buffer 1048576]}: a {@code slow} fault is {@code delay-ms} each way and {@code rate} bytes per second
 * each way through a {@code buffer}-byte link (benchmark 2); {@code vanish} blackholes the path, the
 * connection left open (benchmark 3): then {@code detectedSeconds} is when the fetcher no longer lists
 * the peer in {@code swarm/peers} (its keep-alive let it go), waited for up to 60 s after the pin. The fetcher's bitswap {@code DataReceived} is sampled every 250 ms; the
 * recovery time is from the fault to the first moment the trailing one-second rate is back to 80% of
 * {@code healthy-rate} (the healthy provider's own rate, measured by the script on its own). Writes
 * {@code DIR/NAME.json} and {@code DIR/NAME.png}, and the JSON on standard output.
 */
public final class ProviderFault {
  private static final Pattern DATA_RECEIVED = Pattern.compile("\"DataReceived\"\\s*:\\s*(\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final long SAMPLE_MS = 250;
  static final double RECOVERED_SHARE = 0.8;

  private ProviderFault() {}

  /** One sample: seconds from the pin's start, bytes the fetcher's bitswap had received. */
  record Sample(double seconds, long bytes) {}

  public static void main(String[] args) throws Exception {
    RunOptions o = new RunOptions(args);
    String fetcher = o.require("fetcher");
    long bytes = Long.parseLong(o.require("bytes"));
    double healthyRate = Double.parseDouble(o.require("healthy-rate"));
    Path out = Path.of(o.require("out"));
    String label = o.require("label");
    long delayMs = o.getLong("delay-ms", 150);
    long rate = o.getLong("rate", 512_000);
    long buffer = o.getLong("buffer", 1 << 20);
    String fault = o.get("fault", "slow");
    if (!fault.equals("slow") && !fault.equals("vanish")) {
      throw new IllegalArgumentException("--fault is slow or vanish, not " + fault);
    }
    String faultyPeer = o.require("faulty-peer");

    try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", Integer.parseInt(o.require("faulty-port"))))) {
      post(fetcher, "/api/v0/swarm/connect?arg=" + o.require("healthy"));
      post(fetcher, "/api/v0/swarm/connect?arg=/ip4/127.0.0.1/tcp/" + proxy.port() + "/p2p/" + faultyPeer);
      long baseline = dataReceived(fetcher);
      long start = System.nanoTime();
      String cid = o.require("cid");
      CompletableFuture<Void> pin = CompletableFuture.runAsync(() -> pin(fetcher, cid));
      List<Sample> samples = new ArrayList<>();
      double faultAt = Double.NaN;
      double detectedAt = Double.NaN;
      while (!pin.isDone()) {
        Thread.sleep(SAMPLE_MS);
        double t = (System.nanoTime() - start) / 1e9;
        long received = dataReceived(fetcher) - baseline;
        samples.add(new Sample(t, received));
        if (Double.isNaN(faultAt) && received >= bytes / 2) {
          if (fault.equals("slow")) {
            proxy.both(d -> d.delay(Duration.ofMillis(delayMs)).rate(rate).buffer(buffer));
          } else {
            proxy.both(d -> d.blackhole(Blackhole.SILENT));
          }
          faultAt = t;
        }
        if (!Double.isNaN(faultAt) && Double.isNaN(detectedAt) && !connected(fetcher, faultyPeer)) {
          detectedAt = t;
        }
      }
      pin.join();
      double seconds = (System.nanoTime() - start) / 1e9;
      samples.add(new Sample(seconds, dataReceived(fetcher) - baseline));
      if (fault.equals("vanish")) {
        long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Double.isNaN(detectedAt) && !Double.isNaN(faultAt) && System.nanoTime() < waitUntil) {
          if (!connected(fetcher, faultyPeer)) {
            detectedAt = (System.nanoTime() - start) / 1e9;
          } else {
            Thread.sleep(SAMPLE_MS);
          }
        }
      }
      Map<String, Object> report = report(label, bytes, seconds, healthyRate, faultAt, samples, delayMs, rate, buffer);
      report.put("fault", fault);
      report.put("detectedSeconds", Double.isNaN(detectedAt) ? Double.NaN : detectedAt - faultAt);
      Files.createDirectories(out);
      String json = Json.write(report);
      Files.writeString(out.resolve(label + ".json"), json);
      String what = fault.equals("slow") ? String.format(java.util.Locale.ROOT, "+%d ms each way, %d B/s", delayMs, rate)
          : "blackholed, connection left open";
      LoadChart.write(out.resolve(label + ".png"), "Provider goes bad mid-fetch: " + label,
          String.format(java.util.Locale.ROOT, "fault at %.1f s (%s); healthy provider alone %.1f MB/s", faultAt, what,
              healthyRate), 262_144, chart(samples));
      System.out.print(json);
    }
  }

  static Map<String, Object> report(String label, long bytes, double seconds, double healthyRate, double faultAt,
      List<Sample> samples, long delayMs, long rate, long buffer) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("label", label);
    r.put("bytes", bytes);
    r.put("seconds", seconds);
    r.put("mbPerSec", bytes / 1e6 / seconds);
    r.put("healthyMbPerSec", healthyRate);
    r.put("faultAtSeconds", faultAt);
    r.put("mbPerSecBeforeFault", Double.isNaN(faultAt) ? Double.NaN : rateBetween(samples, 0, faultAt));
    r.put("mbPerSecAfterFault", Double.isNaN(faultAt) ? Double.NaN : rateBetween(samples, faultAt, seconds));
    r.put("recoverySeconds", Double.isNaN(faultAt) ? Double.NaN : recovery(samples, faultAt, RECOVERED_SHARE * healthyRate));
    r.put("faultDelayMsEachWay", delayMs);
    r.put("faultRateBytesPerSec", rate);
    r.put("faultBufferBytes", buffer);
    return r;
  }

  /** MB/s between two moments, from the samples around them. */
  static double rateBetween(List<Sample> samples, double from, double to) {
    long bytesFrom = bytesAt(samples, from);
    long bytesTo = bytesAt(samples, to);
    return to > from ? (bytesTo - bytesFrom) / 1e6 / (to - from) : Double.NaN;
  }

  /** Bytes received by {@code t}: the last sample at or before it. */
  private static long bytesAt(List<Sample> samples, double t) {
    long bytes = 0;
    for (Sample s : samples) {
      if (s.seconds() > t + 1e-9) {
        break;
      }
      bytes = s.bytes();
    }
    return bytes;
  }

  /**
   * Seconds from the fault to the end of the first one-second window, starting after it, whose rate is at
   * least {@code target} MB/s; NaN if none is (the fetch never recovered before it ended).
   */
  static double recovery(List<Sample> samples, double faultAt, double target) {
    for (Sample end : samples) {
      if (end.seconds() < faultAt + 1.0) {
        continue;
      }
      double rate = rateBetween(samples, end.seconds() - 1.0, end.seconds());
      if (rate >= target) {
        return end.seconds() - faultAt;
      }
    }
    return Double.NaN;
  }

  private static List<LoadChart.Point> chart(List<Sample> samples) {
    List<LoadChart.Point> points = new ArrayList<>();
    Sample previous = new Sample(0, 0);
    for (Sample s : samples) {
      double dt = s.seconds() - previous.seconds();
      if (dt > 0) {
        double mb = (s.bytes() - previous.bytes()) / 1e6 / dt;
        points.add(new LoadChart.Point(s.seconds(), mb * 1e6 / 262_144, mb, Double.NaN));
      }
      previous = s;
    }
    return points;
  }

  private static void pin(String api, String cid) {
    try {
      HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v0/pin/add?arg=" + cid + "&recursive=true"))
          .timeout(Duration.ofHours(1)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofInputStream());
      StringBuilder body = new StringBuilder();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          body.append(line);
        }
      }
      String error = r.headers().firstValue("X-Stream-Error").orElse("");
      if (r.statusCode() != 200 || !error.isEmpty()) {
        throw new IllegalStateException("pin/add answered " + r.statusCode() + " " + error + ": " + body);
      }
    } catch (IOException e) {
      throw new IllegalStateException("pin/add failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Whether the fetcher lists {@code peer} in {@code swarm/peers}. */
  private static boolean connected(String api, String peer) throws IOException, InterruptedException {
    return post(api, "/api/v0/swarm/peers").contains("\"Peer\":\"" + peer + "\"");
  }

  private static long dataReceived(String api) throws IOException, InterruptedException {
    String body = post(api, "/api/v0/bitswap/stat");
    Matcher m = DATA_RECEIVED.matcher(body);
    if (!m.find()) {
      throw new IOException("bitswap/stat without DataReceived: " + body);
    }
    return Long.parseLong(m.group(1));
  }

  private static String post(String api, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
