package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.EngineStatus;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.Multiaddr;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * stack) fetches 1 KiB blocks from this node at 1,000 wants/s, each kind of the engine's strategies
 * (priority, limits, batch) is swapped three ways: its bundle stopped and started, its ranking changed
 * through ConfigAdmin (a component's configured service.ranking overrides the one it declares), and the
 * engine's reference targets changed. Each swap must show in the engine's status (what bitswap/stat and
 * the metrics read), and the load tool must end with every block fetched and not one error (DONT_HAVE,
 * timeout, bad block, disconnect): its exit code.
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

  private void await(String what, Function<EngineStatus, String> strategy, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String now = strategy.apply(engine.status());
    while (!now.equals(expected)) {
      assertTrue(what + ": expected strategy " + expected + ", still " + now, System.nanoTime() < deadline);
      Thread.sleep(20);
      now = strategy.apply(engine.status());
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

  private void targets(String filter) throws Exception {
    org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("io.cairn.bitswap.server", "?");
    Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
    props.put("priority.target", filter);
    props.put("limits.target", filter);
    props.put("batch.target", filter);
    c.update(props);
  }

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
    await("at start", EngineStatus::batchStrategy, "adaptive");
    await("at start", EngineStatus::priorityStrategy, "classes");
    await("at start", EngineStatus::limitsStrategy, "adaptive");

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

      // 1. Each strategy's bundle stopped and started.
      String[][] bundles = {{"io.cairn.bitswap.batch", "batch"}, {"io.cairn.bitswap.priority", "priority"},
          {"io.cairn.bitswap.adaptive", "limits"}};
      for (String[] b : bundles) {
        Function<EngineStatus, String> kind = kind(b[1]);
        String before = kind.apply(engine.status());
        bundle(b[0]).stop();
        await("stopping " + b[0], kind, "static");
        Thread.sleep(500);
        bundle(b[0]).start();
        await("starting " + b[0], kind, before);
      }

      // 2. Each ranking changed below static's through ConfigAdmin, then restored.
      String[][] pids = {{"io.cairn.bitswap.batch", "batch"}, {"io.cairn.bitswap.priority", "priority"},
          {"io.cairn.bitswap.adaptive", "limits"}};
      for (String[] p : pids) {
        Function<EngineStatus, String> kind = kind(p[1]);
        String before = kind.apply(engine.status());
        ranking(p[0], -10);
        await("ranking " + p[0] + " down", kind, "static");
        Thread.sleep(500);
        ranking(p[0], null);
        await("ranking " + p[0] + " restored", kind, before);
      }

      // 3. The engine's reference targets changed, then restored.
      targets("(cairn.strategy=static)");
      await("batch.target", EngineStatus::batchStrategy, "static");
      await("priority.target", EngineStatus::priorityStrategy, "static");
      await("limits.target", EngineStatus::limitsStrategy, "static");
      Thread.sleep(500);
      String stat = CairnOptions.rpc(context).post("/api/v0/bitswap/stat").body();
      assertTrue(stat, stat.contains("\"Batch\":\"static\""));
      targets("(cairn.strategy=*)");
      await("batch.target restored", EngineStatus::batchStrategy, "adaptive");
      await("priority.target restored", EngineStatus::priorityStrategy, "classes");
      await("limits.target restored", EngineStatus::limitsStrategy, "adaptive");

      assertTrue("the load tool did not finish: " + Files.readString(log.toPath()), load.waitFor(90, TimeUnit.SECONDS));
      assertEquals("the load tool saw failures:\n" + Files.readString(log.toPath()), 0, load.exitValue());
      String report = Files.readString(out.resolve("hotswap.json"));
      assertTrue(report, report.contains("\"errors\":0") || report.contains("\"errors\": 0"));
    } finally {
      load.destroyForcibly();
    }
  }

  private static Function<EngineStatus, String> kind(String kind) {
    return switch (kind) {
      case "batch" -> EngineStatus::batchStrategy;
      case "priority" -> EngineStatus::priorityStrategy;
      default -> EngineStatus::limitsStrategy;
    };
  }
}
