package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.cairn.node.NodeIdentity;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

/** The platform boots from its features: every bundle active, every component satisfied, no error logged. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BootIT {
  @Inject BundleContext context;
  @Inject ServiceComponentRuntime scr;
  @Inject LogReaderService logReader;
  @Inject NodeIdentity identity;

  @Configuration
  public Option[] config() {
    return new Option[] {CairnOptions.node(CairnOptions.tempDir("cairn-boot"), CairnOptions.tempDir("cairn-boot-conf"), CairnOptions.freePort())};
  }

  @Test
  public void everyBundleIsActive() {
    List<String> notActive = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
      int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
      if (b.getState() != expected) {
        notActive.add(b.getSymbolicName() + " state " + b.getState());
      }
    }
    assertEquals("bundles not active", Collections.emptyList(), notActive);
  }

  @Test
  public void everyComponentIsSatisfied() throws Exception {
    // The RPC servlet becomes active only once the HTTP whiteboard has taken it; wait for that.
    CairnOptions.rpc(context).postWhenUp("/api/v0/version", Duration.ofSeconds(20));
    List<String> problems = new ArrayList<>();
    for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
      if (!scr.isComponentEnabled(d)) {
        continue;
      }
      for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
        if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
          problems.add(d.name + " in " + d.bundle.symbolicName + ": state " + c.state
              + (c.failure == null ? "" : " " + c.failure));
        }
      }
    }
    assertEquals("components not satisfied", Collections.emptyList(), problems);
  }

  @Test
  @SuppressWarnings("deprecation")
  public void nothingLoggedAnError() {
    List<String> errors = new ArrayList<>();
    for (var e = logReader.getLog(); e.hasMoreElements(); ) {
      LogEntry entry = e.nextElement();
      if (entry.getLogLevel() == LogLevel.ERROR) {
        errors.add(entry.getBundle().getSymbolicName() + ": " + entry.getMessage() + " " + entry.getException());
      }
    }
    assertEquals(Collections.emptyList(), errors);
  }

  @Test
  public void idAnswersWithKubosFieldNames() throws Exception {
    HttpResponse<String> r = CairnOptions.rpc(context).postWhenUp("/api/v0/id", Duration.ofSeconds(20));
    assertEquals(r.body(), 200, r.statusCode());
    assertEquals("1", r.headers().firstValue("X-Chunked-Output").orElse(""));
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    String body = r.body();
    assertTrue(body, body.startsWith("{\"ID\":\"" + identity.peerId() + "\",\"PublicKey\":\""));
    for (String field : List.of("\"Addresses\":", "\"AgentVersion\":\"cairn/", "\"Protocols\":")) {
      assertTrue(field + " in " + body, body.contains(field));
    }
  }

  @Test
  public void versionAnswersWithKubosFieldNames() throws Exception {
    String body = CairnOptions.rpc(context).postWhenUp("/api/v0/version", Duration.ofSeconds(20)).body();
    for (String field : List.of("\"Version\":", "\"Commit\":", "\"Repo\":", "\"System\":", "\"Golang\":")) {
      assertTrue(field + " in " + body, body.contains(field));
    }
  }

  @Test
  public void httpConventionsAreKubos() throws Exception {
    Rpc rpc = CairnOptions.rpc(context);
    rpc.postWhenUp("/api/v0/id", Duration.ofSeconds(20));

    HttpResponse<String> get = rpc.send("GET", "/api/v0/id");
    assertEquals(405, get.statusCode());
    assertEquals("405 - Method Not Allowed\n", get.body());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));

    assertEquals(404, rpc.post("/api/v0/no/such/command").statusCode());
    assertEquals(204, rpc.send("OPTIONS", "/api/v0/id").statusCode());
    assertEquals(403, rpc.post("/api/v0/id", "Origin", "https://evil.example").statusCode());

    HttpResponse<String> bad = rpc.post("/api/v0/id?arg=not-a-peer-id");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body(), bad.body().matches("\\{\"Message\":\"invalid peer id .*\",\"Code\":1,\"Type\":\"error\"}\\n"));

    HttpResponse<String> badTimeout = rpc.post("/api/v0/version?timeout=soon");
    assertEquals(400, badTimeout.statusCode());
  }

  @Test
  public void identityIsPersistedInTheHome() {
    Path home = Path.of(context.getProperty("cairn.path"));
    assertTrue(home.resolve("identity.key").toFile().isFile());
  }
}
