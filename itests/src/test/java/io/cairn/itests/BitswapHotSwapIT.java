package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.cairn.bitswap.BitswapEngine;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.Multiaddr;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 13, test 6: hot swap under traffic. While the load tool (bench's BitswapLoad, its own libp2p
 * stack) fetches 1 KiB blocks from this node at 1,000 wants/s, each kind of strategy that serves them is
 * swapped three ways: the engine's (priority, limits, batch) and the circuit breakers guarding the sends
 * to each peer (the network's peer guard) and the reads of each tier (the store's tier guard). Each is
 * swapped by its bundle stopped and started, its ranking changed through ConfigAdmin (a component's
 * configured service.ranking overrides the one it declares), and its consumer's reference target changed.
 * Each swap must show in the metrics ({@code cairn_bitswap_strategy}, {@code cairn_blockstore_strategy}), the
 * engine's also in bitswap/stat; and the load tool must end with
 * every block fetched and not one error (DONT_HAVE, timeout, bad block, disconnect): its exit code.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BitswapHotSwapIT {
  private static final int COUNT = 30_000;
  private static final int SIZE = 1024;
  private static final int RATE = 1000;

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject BitswapEngine engine;
  @Inject MultiTierBlockstore blockstore;
  @Inject Host host;

  @Configuration
  public Option[] config() {
    return new Option[] {
        CairnOptions.node(CairnOptions.tempDir("cairn-hotswap"), CairnOptions.tempDir("cairn-hotswap-conf"),
            CairnOptions.freePort()),
        frameworkProperty("cairn.swarm.address").value("/ip4/127.0.0.1/tcp/0")};
  }

  /** The strategy of {@code kind} in use, as the node's metrics show it. */
  private String inUse(String kind) throws Exception {
    String metrics = CairnOptions.rpc(context).send("GET", "/debug/metrics/prometheus").body();
    Matcher m = Pattern.compile("_strategy\\{kind=\"" + kind + "\",name=\"([^\"]*)\"").matcher(metrics);
    return m.find() ? m.group(1) : "(not in the metrics)";
  }

  private void await(String what, String kind, String expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String now = inUse(kind);
    while (!now.equals(expected)) {
      assertTrue(what + ": expected " + kind + " strategy " + expected + ", still " + now, System.nanoTime() < deadline);
      Thread.sleep(20);
      now = inUse(kind);
    }
  }

  private Bundle bundle(String name) {
    for (Bundle b : context.getBundles()) {
      if (b.getSymbolicName().equals(name)) {
        return b;
      }
    }
    throw new AssertionError("no bundle " + name);
  }

  private void ranking(String pid, Integer ranking) throws Exception {
    org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(pid, "?");
    if (ranking == null) {
      c.delete();
      return;
    }
    Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
    props.put("service.ranking", ranking);
    c.update(props);
  }

  /** Sets the reference targets {@code keys} of the consumer {@code pid} to {@code filter}. */
  private void targets(String pid, String filter, String... keys) throws Exception {
    org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(pid, "?");
    Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
    for (String key : keys) {
      props.put(key, filter);
    }
    c.update(props);
  }

  /** Every consumer's strategy targets, each kind with the strategy it names when it is not static. */
  private static final String[][] TARGETS = {{"io.cairn.bitswap.server", "priority.target", "limits.target",
      "batch.target"}, {"io.cairn.bitswap.network", "peerGuard.target"}, {"io.cairn.blockstore", "tierGuard.target"}};
  private static final String[][] DEFAULTS = {{"batch", "adaptive"}, {"priority", "classes"}, {"limits", "adaptive"},
      {"peer_guard", "resilience4j"}, {"tier_guard", "resilience4j"}};

  @Test
  public void everyStrategySwapsUnderAThousandBlocksASecondWithoutAFailedRequest() throws Exception {
    Path jar = CairnOptions.source().resolve("bench/target/benchmarks.jar");
    assertTrue("the load tool is built with bench (" + jar + "): ./cairnw mvn package -pl bench -am -DskipTests",
        Files.isRegularFile(jar));
    List<Block> blocks = TestBlocks.raw(SIZE, COUNT);
    for (int i = 0; i < COUNT; i += 1000) {
      blockstore.putBatch(blocks.subList(i, Math.min(COUNT, i + 1000))).get(60, TimeUnit.SECONDS);
    }
    Multiaddr address = host.listenAddresses().stream().filter(a -> a.toString().startsWith("/ip4/127.0.0.1/tcp/"))
        .findFirst().orElseThrow();
    for (String[] d : DEFAULTS) {
      await("at start", d[0], d[1]);
    }

    Path out = CairnOptions.tempDir("cairn-hotswap-load");
    File log = out.resolve("load.log").toFile();
    Process load = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dio.netty.leakDetection.level=disabled", "-cp", jar.toString(), "io.cairn.bench.BitswapLoad", "fetch",
        "--target", address + "/p2p/" + host.peerId(), "--count", String.valueOf(COUNT), "--size", String.valueOf(SIZE),
        "--rate", String.valueOf(RATE), "--peers", "2", "--want-timeout", "10", "--max-seconds", "120",
        "--out", out.toString(), "--name", "hotswap")
        .redirectErrorStream(true).redirectOutput(log).start();
    try {
      // Traffic first flows under the defaults.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (engine.stats().blocksSent() < 2 * RATE) {
        assertTrue("no traffic: " + Files.readString(log.toPath()), System.nanoTime() < deadline && load.isAlive());
        Thread.sleep(50);
      }

      // 1. Each strategy's bundle stopped and started (the breakers' bundle holds both guards).
      String[][] bundles = {{"io.cairn.bitswap.batch", "batch"}, {"io.cairn.bitswap.priority", "priority"},
          {"io.cairn.bitswap.adaptive", "limits"}, {"io.cairn.bitswap.breaker", "peer_guard", "tier_guard"}};
      for (String[] b : bundles) {
        List<String> kinds = List.of(b).subList(1, b.length);
        List<String> before = new ArrayList<>();
        for (String kind : kinds) {
          before.add(inUse(kind));
        }
        bundle(b[0]).stop();
        for (String kind : kinds) {
          await("stopping " + b[0], kind, "static");
        }
        Thread.sleep(500);
        bundle(b[0]).start();
        for (int i = 0; i < kinds.size(); i++) {
          await("starting " + b[0], kinds.get(i), before.get(i));
        }
      }

      // 2. Each ranking changed below static's through ConfigAdmin, then restored.
      String[][] pids = {{"io.cairn.bitswap.batch", "batch"}, {"io.cairn.bitswap.priority", "priority"},
          {"io.cairn.bitswap.adaptive", "limits"}, {"io.cairn.bitswap.breaker.peer", "peer_guard"},
          {"io.cairn.bitswap.breaker.tier", "tier_guard"}};
      for (String[] p : pids) {
        String before = inUse(p[1]);
        ranking(p[0], -10);
        await("ranking " + p[0] + " down", p[1], "static");
        Thread.sleep(500);
        ranking(p[0], null);
        await("ranking " + p[0] + " restored", p[1], before);
      }

      // 3. The consumers' reference targets changed, then restored.
      for (String[] t : TARGETS) {
        targets(t[0], "(cairn.strategy=static)", List.of(t).subList(1, t.length).toArray(String[]::new));
      }
      for (String[] d : DEFAULTS) {
        await(d[0] + " target", d[0], "static");
      }
      Thread.sleep(500);
      String stat = CairnOptions.rpc(context).post("/api/v0/bitswap/stat").body();
      assertTrue(stat, stat.contains("\"Batch\":\"static\""));
      for (String[] t : TARGETS) {
        targets(t[0], "(cairn.strategy=*)", List.of(t).subList(1, t.length).toArray(String[]::new));
      }
      for (String[] d : DEFAULTS) {
        await(d[0] + " target restored", d[0], d[1]);
      }

      assertTrue("the load tool did not finish: " + Files.readString(log.toPath()), load.waitFor(90, TimeUnit.SECONDS));
      assertEquals("the load tool saw failures:\n" + Files.readString(log.toPath()), 0, load.exitValue());
      String report = Files.readString(out.resolve("hotswap.json"));
      assertTrue(report, report.contains("\"errors\":0") || report.contains("\"errors\": 0"));
    } finally {
      load.destroyForcibly();
    }
  }
}
