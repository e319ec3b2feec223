package io.cairn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricNamesTest {
  @Test
  void labelsRoundTripInOrder() {
    String name = MetricNames.labelled("ipfs_http_requests", "method", "post", "code", "200");
    assertEquals("ipfs_http_requests{method=\"post\",code=\"200\"}", name);
    MetricNames.Labelled parsed = MetricNames.parse(name);
    assertEquals("ipfs_http_requests", parsed.family());
    assertEquals(Map.of("method", "post", "code", "200"), parsed.labels());
    assertEquals(java.util.List.of("method", "code"), java.util.List.copyOf(parsed.labels().keySet()));
  }

  @Test
  void valuesLoseTheCharactersTheFormCannotHold() {
    String name = MetricNames.labelled("m", "k", "a\"b,c{d}\\e\nf");
    assertEquals("a_b_c_d__e_f", MetricNames.parse(name).labels().get("k"));
  }

  @Test
  void aPlainNameIsItsOwnFamily() {
    assertEquals(new MetricNames.Labelled("cairn_blockstore_blocks", Map.of()), MetricNames.parse("cairn_blockstore_blocks"));
  }

  @Test
  void badNamesAreRefusedAndMalformedOnesDoNotParse() {
    assertThrows(IllegalArgumentException.class, () -> MetricNames.labelled("bad-name"));
    assertThrows(IllegalArgumentException.class, () -> MetricNames.labelled("m", "bad label", "v"));
    assertThrows(IllegalArgumentException.class, () -> MetricNames.labelled("m", "odd"));
    assertNull(MetricNames.parse("m{k=\"v\""));
    assertNull(MetricNames.parse("m{k=v}"));
    assertNull(MetricNames.parse("m{k=\"v\",k=\"w\"}"));
  }
}
