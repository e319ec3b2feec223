package io.cairn.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testing.Components;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSecurityTest {
  @TempDir Path home;
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<String> logged = new ArrayList<>();

  private ConsoleSecurity security(Map<String, Object> config) throws IOException {
    ConsoleSecurityConfig c = (ConsoleSecurityConfig) Components.config(ConsoleSecurityConfig.class, config);
    return new ConsoleSecurity(home, "127.0.0.1", Components.logger(logged), c, now::get);
  }

  private ConsoleSecurity security() throws IOException {
    return security(Map.of());
  }

  private String password() throws IOException {
    return Files.readString(home.resolve("console.password")).strip();
  }

  /** A response that records what the provider sent. */
  static final class Answer {
    int status = 200;
    final Map<String, String> headers = new HashMap<>();
    final StringWriter body = new StringWriter();
    final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(HttpServletResponse.class.getClassLoader(),
        new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "setStatus" -> status = (Integer) a[0];
            case "setHeader" -> headers.put((String) a[0], (String) a[1]);
            case "getWriter" -> {
              return new PrintWriter(body, true);
            }
            default -> { }
          }
          return null;
        });
  }

  private static HttpServletRequest request(String client, Map<String, String> headers) {
    return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
          case "getHeader" -> headers.get((String) a[0]);
          case "getRemoteAddr" -> client;
          case "getScheme" -> "http";
          default -> null;
        });
  }

  private static Map<String, String> basic(String user, String password, String... more) {
    Map<String, String> h = new HashMap<>(Map.of("Host", "127.0.0.1:5001", "Authorization",
        "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
    for (int i = 0; i < more.length; i += 2) {
      h.put(more[i], more[i + 1]);
    }
    return h;
  }

  private Answer ask(ConsoleSecurity s, String client, Map<String, String> headers) {
    Answer answer = new Answer();
    Object user = s.authenticate(request(client, headers), answer.response);
    if (user != null) {
      assertEquals(200, answer.status, "a granted request gets no error status");
      answer.status = 0; // granted: the console answers
    }
    return answer;
  }

  @Test
  void thePasswordFileIsGeneratedRandomAndOwnerOnly() throws Exception {
    security();
    Path file = home.resolve("console.password");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String first = password();
    assertTrue(first.matches("[A-Za-z0-9_-]{24}"), first);
    Files.delete(file);
    security();
    assertNotEquals(first, password(), "each node home gets its own random password");
    assertTrue(logged.isEmpty(), logged.toString());
  }

  @Test
  void theCorrectPasswordIsGrantedAndAWrongOneIsNot() throws Exception {
    ConsoleSecurity s = security();
    assertEquals(0, ask(s, "10.0.0.1", basic("admin", password())).status);
    assertEquals(0, ask(s, "10.0.0.1", basic("admin", password())).status, "every request is checked; again");
    Answer wrong = ask(s, "10.0.0.2", basic("admin", "admin"));
    assertEquals(401, wrong.status);
    assertTrue(wrong.headers.get("WWW-Authenticate").startsWith("Basic realm="), wrong.headers.toString());
    assertEquals(401, ask(s, "10.0.0.3", basic("root", password())).status, "another user name");
    assertEquals(401, ask(s, "10.0.0.4", Map.of("Host", "localhost:5001")).status, "no credentials: asked for them");
    assertEquals(401, ask(s, "10.0.0.5", Map.of("Host", "localhost:5001", "Authorization", "Basic !!!")).status);
  }

  @Test
  void failedLoginsMakeTheClientWaitLongerEachTime() throws Exception {
    ConsoleSecurity s = security();
    String good = password();
    assertEquals(401, ask(s, "10.0.0.1", basic("admin", "guess1")).status);
    Answer waiting = ask(s, "10.0.0.1", basic("admin", good));
    assertEquals(429, waiting.status, "even the right password waits out the back-off");
    assertEquals("1", waiting.headers.get("Retry-After"));
    assertEquals(0, ask(s, "10.0.0.9", basic("admin", good)).status, "another client is not held back");

    now.addAndGet(1000);
    assertEquals(401, ask(s, "10.0.0.1", basic("admin", "guess2")).status);
    now.addAndGet(1000);
    assertEquals(429, ask(s, "10.0.0.1", basic("admin", good)).status, "the second failure waits 2 s");
    now.addAndGet(1000);
    assertEquals(0, ask(s, "10.0.0.1", basic("admin", good)).status);
    assertEquals(401, ask(s, "10.0.0.1", basic("admin", "guess3")).status);
    assertEquals("1", ask(s, "10.0.0.1", basic("admin", good)).headers.get("Retry-After"), "success cleared the failures");
  }

  @Test
  void theBackOffIsBounded() throws Exception {
    ConsoleSecurity s = security(Map.of("maxLoginBackoffMillis", 4000L));
    for (int i = 0; i < 10; i++) {
      assertEquals(401, ask(s, "10.0.0.1", basic("admin", "guess" + i)).status);
      now.addAndGet(4000);
    }
    assertEquals(401, ask(s, "10.0.0.1", basic("admin", "again")).status);
    assertEquals("4", ask(s, "10.0.0.1", basic("admin", "x")).headers.get("Retry-After"));
  }

  @Test
  void failedLoginsAreLoggedAtWarnAtMostOncePerInterval() throws Exception {
    ConsoleSecurity s = security();
    for (int i = 0; i < 5; i++) {
      ask(s, "10.0.0." + i, basic("admin", "guess"));
    }
    assertEquals(1, logged.size(), logged.toString());
    assertTrue(logged.get(0).startsWith("WARN Web Console: failed login for user 'admin' from 10.0.0.0"), logged.get(0));
    now.addAndGet(10_000);
    ask(s, "10.0.0.9", basic("admin", "guess"));
    assertEquals(2, logged.size(), logged.toString());
    assertTrue(logged.get(1).contains("4 more refusals"), logged.get(1));
  }

  @Test
  void anIpv6ClientCannotEscapeItsBackOffByMovingWithinItsSlash64() throws Exception {
    ConsoleSecurity s = security();
    String good = password();
    assertEquals(401, ask(s, "2001:db8:7:1::1", basic("admin", "guess")).status);
    assertEquals(429, ask(s, "2001:db8:7:1:ffff::2", basic("admin", good)).status, "another address of the same /64");
    assertEquals(429, ask(s, "[2001:db8:7:1::3]", basic("admin", good)).status, "written in brackets");
    assertEquals(0, ask(s, "2001:db8:7:2::1", basic("admin", good)).status, "another /64 is another client");
    assertEquals(ConsoleSecurity.clientKey("not an address"), ConsoleSecurity.clientKey("localhost"),
        "what is not an IP literal is never looked up: all such clients are one");
  }

  @Test
  void eachKindOfRefusalHasItsOwnLogLine() throws Exception {
    ConsoleSecurity s = security();
    ask(s, "10.0.0.1", basic("admin", "guess"));
    ask(s, "10.0.0.2", basic("admin", password(), "Host", "evil.example:5001"));
    ask(s, "10.0.0.3", basic("admin", password(), "Origin", "http://evil.example"));
    ask(s, "10.0.0.4", basic("admin", password(), "Host", "evil.example:5001"));
    assertEquals(3, logged.size(), logged.toString());
    assertTrue(logged.get(1).contains("Host 'evil.example:5001' from 10.0.0.2"), logged.get(1));
    assertTrue(logged.get(2).contains("origin 'http://evil.example' (client 10.0.0.3)"), logged.get(2));
  }

  @Test
  void aRebindingHostIsRefusedEvenWithThePassword() throws Exception {
    ConsoleSecurity s = security();
    Answer evil = ask(s, "127.0.0.1", basic("admin", password(), "Host", "evil.example:5001"));
    assertEquals(403, evil.status);
    assertTrue(evil.body.toString().contains("evil.example"), evil.body.toString());
    assertEquals(0, ask(s, "127.0.0.1", basic("admin", password(), "Host", "localhost:5001")).status);
    assertEquals(0, ask(s, "127.0.0.1", basic("admin", password(), "Host", "[::1]:5001")).status);
    ConsoleSecurity named = security(Map.of("allowedHosts", new String[] {"node.example.org"}));
    assertEquals(0, ask(named, "127.0.0.1", basic("admin", password(), "Host", "node.example.org:5001")).status);
  }

  @Test
  void anotherSitesPageIsRefused() throws Exception {
    ConsoleSecurity s = security();
    assertEquals(403, ask(s, "127.0.0.1", basic("admin", password(), "Origin", "http://evil.example")).status);
    assertEquals(403, ask(s, "127.0.0.1", basic("admin", password(), "Referer", "http://evil.example/page")).status);
    assertEquals(0, ask(s, "127.0.0.1", basic("admin", password(), "Origin", "http://127.0.0.1:5001")).status);
    assertEquals(0, ask(s, "127.0.0.1", basic("admin", password(), "Host", "localhost:5001",
        "Referer", "http://localhost:5001/system/console/bundles")).status, "the console's own pages, reached by name");
    ConsoleSecurity allowing = security(Map.of("allowedOrigins", new String[] {"https://ops.example.org"}));
    assertEquals(0, ask(allowing, "127.0.0.1", basic("admin", password(), "Origin", "https://ops.example.org")).status);
  }

  @Test
  void thereIsNeverADefaultPassword() throws Exception {
    Files.writeString(home.resolve("console.password"), "\n");
    assertTrue(assertThrows(IOException.class, this::security).getMessage().contains("holds no password"));
  }

  @Test
  void editingTheFileChangesThePasswordAtTheNextLogin() throws Exception {
    ConsoleSecurity s = security();
    String old = password();
    assertEquals(0, ask(s, "10.0.0.1", basic("admin", old)).status);
    Path file = home.resolve("console.password");
    Files.writeString(file, "a new and long password\n");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
    assertEquals(401, ask(s, "10.0.0.1", basic("admin", old)).status);
    now.addAndGet(1000);
    assertEquals(0, ask(s, "10.0.0.1", basic("admin", "a new and long password")).status);
  }

  @Test
  void aLooseFileModeIsReported() throws Exception {
    Path file = home.resolve("console.password");
    Files.writeString(file, "operator chosen\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    security();
    assertTrue(logged.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("chmod 600")), logged.toString());
  }

  @Test
  void badSettingsAreRefusedByKey() throws Exception {
    security(Map.of("allowedHosts", new String[] {"http://x"}));
    assertTrue(logged.stream().anyMatch(l -> l.contains("key allowedHosts")), logged.toString());
    security(Map.of("loginBackoffMillis", 5000L, "maxLoginBackoffMillis", 1000L));
    assertTrue(logged.stream().anyMatch(l -> l.contains("key maxLoginBackoffMillis")), logged.toString());
  }

  @Test
  void basicCredentialsParse() {
    assertNull(ConsoleSecurity.basicCredentials(null));
    assertNull(ConsoleSecurity.basicCredentials("Bearer x"));
    assertNull(ConsoleSecurity.basicCredentials("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())));
    assertEquals(List.of("a", "b:c"), List.of(ConsoleSecurity.basicCredentials("basic " + Base64.getEncoder().encodeToString("a:b:c".getBytes()))));
  }
}
