package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Live configuration through FileInstall: a changed .cfg is applied without restarting the node; an
 * invalid value is refused with a log line naming the PID and key, and the previous value stays.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveConfigIT {
  private static final String ORIGIN = "https://webui.example";

  @Inject LogReaderService logReader;
  @Inject BundleContext context;

  @Configuration
  public Option[] config() {
    return new Option[] {CairnOptions.node(CairnOptions.tempDir("cairn-live"), CairnOptions.tempDir("cairn-live-conf"), CairnOptions.freePort())};
  }

  @Test
  public void changedFileIsAppliedAndInvalidValueIsRefused() throws Exception {
    Rpc rpc = CairnOptions.rpc(context);
    String idBefore = rpc.postWhenUp("/api/v0/id", Duration.ofSeconds(20)).body();
    assertEquals(403, rpc.post("/api/v0/id", "Origin", ORIGIN).statusCode());

    writeCfg(CairnOptions.watchedConf(context), "allowedOrigins=" + ORIGIN + "\nmaxArguments=1\n");
    awaitStatus(rpc, 200);
    assertEquals("the node must not restart to apply a change", idBefore, rpc.post("/api/v0/id").body());
    assertEquals(400, rpc.post("/api/v0/id?arg=a&arg=b").statusCode());

    // A refused configuration is a WARN line (the node runs on with what it had), caught here: a green
    // build prints no ERROR for a rejection it expects.
    BlockingQueue<String> warnings = new LinkedBlockingQueue<>();
    LogListener listener = entry -> {
      if (entry.getLogLevel() == LogLevel.WARN && entry.getMessage().startsWith("Rejected configuration")) {
        warnings.add(entry.getMessage());
      }
    };
    logReader.addLogListener(listener);
    try {
      writeCfg(CairnOptions.watchedConf(context), "allowedOrigins=not an origin\nmaxArguments=1\n");
      String rejection = warnings.poll(20, TimeUnit.SECONDS);
      assertTrue("no rejection logged", rejection != null);
      assertTrue(rejection, rejection.contains("io.cairn.rpc") && rejection.contains("allowedOrigins"));
      assertEquals("the previous value stays in force", 200, rpc.post("/api/v0/id", "Origin", ORIGIN).statusCode());

      writeCfg(CairnOptions.watchedConf(context), "allowedOrigins=" + ORIGIN + "\nmaxArguments=0\n");
      rejection = warnings.poll(20, TimeUnit.SECONDS);
      assertTrue("no rejection logged", rejection != null);
      assertTrue(rejection, rejection.contains("maxArguments"));
      assertEquals(400, rpc.post("/api/v0/id?arg=a&arg=b").statusCode());

      writeCfg(CairnOptions.watchedConf(context), "allowedOrigins=" + ORIGIN + "\nmaxArguments=lots\n");
      rejection = warnings.poll(20, TimeUnit.SECONDS);
      assertTrue("no rejection logged for a non-numeric value", rejection != null);
      assertTrue(rejection, rejection.contains("maxArguments"));
      assertEquals(400, rpc.post("/api/v0/id?arg=a&arg=b").statusCode());
    } finally {
      logReader.removeLogListener(listener);
    }
  }

  private static void writeCfg(Path conf, String content) throws Exception {
    Path tmp = conf.resolve("io.cairn.rpc.cfg.tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, conf.resolve("io.cairn.rpc.cfg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitStatus(Rpc rpc, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (rpc.post("/api/v0/id", "Origin", ORIGIN).statusCode() != status) {
      assertTrue("the change was not applied within 20 s", System.nanoTime() < deadline);
      Thread.sleep(50);
    }
  }
}
