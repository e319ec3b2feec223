package io.cairn.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GatewayRequestTest {
  static final String CID = "bafkreic6gi22qndoljcyl6gfqvrpkbjlr7rguo5relq6s3dwpbewjx6eme";

  static GatewayRequest parse(String path, Map<String, String> query, String accept) throws GatewayError {
    return GatewayRequest.parse("GET", path, query, accept, null);
  }

  @Test
  void acceptIsReadInTheClientsOrderOfPreference() throws GatewayError {
    assertEquals(GatewayRequest.Format.CAR, parse("/ipfs/" + CID, Map.of(),
        "application/vnd.ipld.raw;q=0.5, application/vnd.ipld.car").format());
    assertEquals(GatewayRequest.Format.RAW, parse("/ipfs/" + CID, Map.of(),
        "application/vnd.ipld.raw, application/vnd.ipld.car").format());
    // An unsupported CAR variant is passed over for the next acceptable entry.
    GatewayRequest r = parse("/ipfs/" + CID, Map.of(),
        "application/vnd.ipld.car;order=foo, application/vnd.ipld.car;order=dfs;dups=y;q=0.5");
    assertEquals(GatewayRequest.Format.CAR, r.format());
    assertTrue(r.dups());
    assertEquals(GatewayRequest.Format.RAW, parse("/ipfs/" + CID, Map.of(),
        "application/vnd.ipld.car;q=0, application/vnd.ipld.raw").format(), "q=0 means not acceptable");
  }

  @Test
  void entityBytesResolvesAsTheSpecSays() throws GatewayError {
    GatewayRequest.EntityBytes all = parse("/ipfs/" + CID, Map.of("format", "car", "entity-bytes", "0:*"), null).range();
    assertEquals(List.of(0L, 99L), asList(all.resolve(100)));
    assertEquals(List.of(90L, 99L), asList(new GatewayRequest.EntityBytes(-10, null).resolve(100)));
    // A negative value counts from the end as -1024:* does: -1000 is the 1000th byte from the end, index 9000.
    assertEquals(List.of(499L, 9000L), asList(new GatewayRequest.EntityBytes(499, -1000L).resolve(10_000)));
    assertEquals(List.of(10L, 99L), asList(new GatewayRequest.EntityBytes(10, 5000L).resolve(100)), "clipped to the end");
    assertNull(new GatewayRequest.EntityBytes(100, null).resolve(100), "wholly past the end");
    assertNull(new GatewayRequest.EntityBytes(0, null).resolve(0), "an empty file holds no byte");
    assertEquals(GatewayRequest.Scope.ENTITY, parse("/ipfs/" + CID, Map.of("format", "car", "entity-bytes", "1:2"), null).scope());
    assertThrows(GatewayError.class, () -> parse("/ipfs/" + CID, Map.of("format", "car", "entity-bytes", "5:2"), null));
    assertThrows(GatewayError.class,
        () -> parse("/ipfs/" + CID, Map.of("format", "car", "entity-bytes", "1:2", "dag-scope", "all"), null));
  }

  private static List<Long> asList(long[] r) {
    return List.of(r[0], r[1]);
  }

  @Test
  void anyInputIsARequestOrAGatewayErrorNeverAnotherException() {
    Random random = new Random(11);
    String alphabet = "/ipfs/bafkqaaaQm%25+;=,*:-0123456789.?&abcdefghijklmnopqrstuvwxyz\u00e9\u0000 ";
    for (int i = 0; i < 5000; i++) {
      String path = (random.nextBoolean() ? "/ipfs/" : "") + text(random, alphabet, 40);
      Map<String, String> query = new HashMap<>();
      for (String p : List.of("format", "dag-scope", "entity-bytes", "car-version", "car-order", "car-dups")) {
        if (random.nextInt(3) == 0) {
          query.put(p, text(random, alphabet, 8));
        }
      }
      String accept = random.nextBoolean() ? null : text(random, alphabet, 60);
      try {
        GatewayRequest.parse(random.nextBoolean() ? "GET" : "HEAD", path, query, accept, text(random, alphabet, 20));
      } catch (GatewayError e) {
        assertTrue(e.status() >= 400 && e.status() < 600, e.getMessage());
      }
    }
  }

  @Test
  void aMalformedAcceptIs400SayingWhatIsWrong() {
    for (String accept : List.of(";;;,,,;q=abc", ";", "application/vnd.ipld.raw;q=abc", "application/vnd.ipld.raw;q=2",
        "vnd.ipld.raw", "application/vnd.ipld.car;=y", "/raw", "application/", ";q=1")) {
      GatewayError e = assertThrows(GatewayError.class, () -> parse("/ipfs/" + CID, Map.of(), accept), accept);
      assertEquals(400, e.status(), accept);
      assertTrue(e.getMessage().startsWith("malformed Accept header"), e.getMessage());
    }
  }

  @Test
  void anAcceptWithEmptyEntriesAndSpacesIsStillRead() throws GatewayError {
    // RFC 9110 5.6.1: empty list elements are ignored; parameters may have spaces around the ';'.
    assertEquals(GatewayRequest.Format.RAW, parse("/ipfs/" + CID, Map.of(), ",, application/vnd.ipld.raw ;q=0.9 ,").format());
    assertEquals(GatewayRequest.Format.CAR, parse("/ipfs/" + CID, Map.of(),
        "text/html;q=0.1, application/vnd.ipld.car; version=\"1\"; q=0.5").format());
    assertEquals(GatewayRequest.Format.RAW, parse("/ipfs/" + CID, Map.of(), "*/*;q=0.1, application/vnd.ipld.raw").format());
  }

  @Test
  void anyAcceptIsARequestOr400() {
    Random random = new Random(12);
    String alphabet = ";,=q/ \t\"*.0123456789abcdefghijklmnopqrstuvwxyz-+\u00ff";
    List<String> parts = List.of("application/vnd.ipld.raw", "application/vnd.ipld.car", ";q=", ";version=1", ";dups=y",
        ",", ";", "=", "\"");
    for (int i = 0; i < 20_000; i++) {
      StringBuilder accept = new StringBuilder();
      for (int n = random.nextInt(8); n > 0; n--) {
        accept.append(random.nextBoolean() ? parts.get(random.nextInt(parts.size())) : text(random, alphabet, 6));
      }
      try {
        parse("/ipfs/" + CID, Map.of(), accept.toString());
      } catch (GatewayError e) {
        assertTrue(e.status() == 400 || e.status() == 406, e.status() + " for " + accept + ": " + e.getMessage());
      }
    }
  }

  private static String text(Random random, String alphabet, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(max); i > 0; i--) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
