package io.cairn.bench;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.internal.ManyPeers;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 14, benchmark 1's load: {@code --target MULTIADDR --count N [--sources S] [--concurrency C]
 * [--seed X] [--threads T] [--stop-file F] [--hold-seconds H] [--print-peers K]}. N distinct peer identities
 * ({@link LoadIdentities}, seed X) each open one Noise + yamux connection to the node, from S source
 * addresses spread over 127.1.0.0/16 (127.1.{s % 250}.{s / 250 + 1}: a /24 each, as the node shares pending
 * upgrades per IP and per /24), at most C upgrades at once. With K, it first prints the peer ids of the
 * first K identities ({@code {"peers":[...]}}, for the script to configure the node with, say as protected
 * peers, before they connect) and waits for a line on standard input. Then it prints one JSON line when
 * all are dialled ({@code {"dialled":N,"open":O,"failed":F,"seconds":...}}), then one a
 * second ({@code {"t":..., "open":O}}: connections still open, the others the node closed) until the stop
 * file exists or the hold time is over.
 */
public final class ConnectionsLoad {
  private ConnectionsLoad() {}

  public static void main(String[] args) throws Exception {
    RunOptions o = new RunOptions(args);
    Multiaddr target = Multiaddr.parse(o.require("target"));
    PeerId peer = target.peerId().orElseThrow(() -> new IllegalArgumentException("--target needs /p2p/<peer id>"));
    InetSocketAddress to = new InetSocketAddress(target.host().orElseThrow(), target.tcpPort().orElseThrow());
    int count = o.getInt("count", 10000);
    int sources = o.getInt("sources", 256);
    int concurrency = o.getInt("concurrency", 64);
    String seed = o.get("seed", "connections");
    int threads = o.getInt("threads", 2);
    String stopFile = o.get("stop-file", null);
    Path stop = stopFile == null ? null : Path.of(stopFile);
    long holdSeconds = o.getLong("hold-seconds", 600);

    int printPeers = o.getInt("print-peers", 0);
    if (printPeers > 0) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < printPeers; i++) {
        ids.add(LoadIdentities.peerId(seed, i).toString());
      }
      System.out.print("{\"peers\":" + Json.write(ids).trim() + "}\n");
      System.out.flush();
      new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
    }
    try (ManyPeers peers = new ManyPeers(threads)) {
      List<Connection> held = new ArrayList<>(count);
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      AtomicInteger failed = new AtomicInteger();
      Semaphore upgrades = new Semaphore(concurrency);
      List<CompletableFuture<Connection>> all = new ArrayList<>(count);
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        int s = i % sources;
        // Each source in a /24 of its own (as far as 250 go): the node shares pending upgrades per IP and per /24.
        InetSocketAddress from = new InetSocketAddress("127.1." + (s % 250) + "." + (s / 250 + 1), 0);
        upgrades.acquire();
        CompletableFuture<Connection> c = peers.dial(LoadIdentities.key(seed, i), from, to, peer);
        c.whenComplete((conn, e) -> {
          upgrades.release();
          if (e != null) {
            failed.incrementAndGet();
            if (failures.size() < 5) {
              failures.add(e.toString());
            }
          }
        });
        all.add(c);
      }
      for (CompletableFuture<Connection> c : all) {
        try {
          held.add(c.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
          // counted above
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("{\"dialled\":%d,\"open\":%d,\"failed\":%d,\"seconds\":%.1f,\"failures\":%s}%n", count,
          open(held), failed.get(), seconds, Json.write(List.copyOf(failures)).trim());
      System.out.flush();
      long holdUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
      while (System.nanoTime() < holdUntil && (stop == null || !Files.exists(stop))) {
        Thread.sleep(1000);
        System.out.printf("{\"t\":%.1f,\"open\":%d}%n", (System.nanoTime() - start) / 1e9, open(held));
        System.out.flush();
      }
    }
  }

  private static int open(List<Connection> held) {
    int n = 0;
    for (Connection c : held) {
      if (c.isOpen()) {
        n++;
      }
    }
    return n;
  }
}
