package io.cairn.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.PeerUnavailableException;
import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.monitor.MetricNames;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * The Prometheus page as a scraper reads it, over the real tiered store, memory tier, bitswap client and
 * engine: Kubo's names, labels, types and the values the services report.
 */
class PrometheusOutputTest {
  private final Logger log = Components.logger();
  private final MetricRegistry registry = new NodeMetricRegistry();
  private final BatchIOManager batchio =
      Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", log, Map.of());
  private final MultiTierBlockstore store =
      Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", log, Map.of());
  private final BlockTier memory =
      Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", log, Map.of("capacityBytes", 64L << 20));
  private final NoPeers network = new NoPeers();
  private final Bitswap client = Components.createWith(Bitswap.class,
      "io.cairn.bitswap.client.internal.BitswapClientComponent", Map.of(), network, store, log);
  private final BitswapEngine engine = Components.createWith(BitswapEngine.class,
      "io.cairn.bitswap.server.internal.BitswapEngineComponent", Map.of(), network, store, log);

  PrometheusOutputTest() {
    Components.call(store, "bindBatchIO", batchio);
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, "memory", BlockTier.RANK, 0, "service.id", 1L), null);
  }

  @AfterEach
  void close() {
    Components.deactivate(client);
    Components.deactivate(engine);
    Components.deactivate(store);
    Components.deactivate(batchio);
  }

  /** One sample line: its family and labels, and its value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** The page's samples by {@code name{labels}} as written, its {@code # TYPE} lines by family, in page order. */
  record Page(Map<String, Sample> samples, Map<String, String> types, List<String> families) {
    Sample sample(String nameAndLabels) {
      Sample s = samples.get(nameAndLabels);
      assertTrue(s != null, nameAndLabels + " is not on the page: " + samples.keySet());
      return s;
    }
  }

  /** Parses the Prometheus text format 0.0.4: every line is a comment, or a sample {@code name[{labels}] value}. */
  static Page parse(String text) {
    Map<String, Sample> samples = new HashMap<>();
    Map<String, String> types = new HashMap<>();
    List<String> families = new java.util.ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
        families.add(parts[2]);
        continue;
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      // The format allows a comma after the last label, and the client writes one.
      String key = line.substring(0, space).replace(",}", "}");
      double value = Double.parseDouble(line.substring(space + 1));
      MetricNames.Labelled parsed = MetricNames.parse(key);
      assertTrue(parsed != null, "malformed sample line: " + line);
      samples.put(key, new Sample(parsed.family(), parsed.labels(), value));
    }
    return new Page(samples, types, families);
  }

  /** Scrapes until the page shows what the client's manager thread counts at its next tick. */
  private Page awaitPage(PrometheusServlet servlet, java.util.function.Predicate<Page> shows) throws Exception {
    long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    Page page = scrape(servlet);
    while (!shows.test(page)) {
      assertTrue(System.nanoTime() < giveUp, "the page never showed it: " + page.samples().keySet());
      Thread.sleep(20);
      page = scrape(servlet);
    }
    return page;
  }

  private Page scrape(PrometheusServlet servlet) throws IOException {
    StringWriter out = new StringWriter();
    servlet.write(out, TextFormat.CONTENT_TYPE_004);
    return parse(out.toString());
  }

  @Test
  void kubosNamesCarryTheServicesValues() throws Exception {
    BitswapClientMetrics clientMetrics = new BitswapClientMetrics(registry);
    clientMetrics.bitswap = client;
    BitswapServerMetrics serverMetrics = new BitswapServerMetrics(registry);
    serverMetrics.engine = engine;
    BlockstoreMetrics storeMetrics = new BlockstoreMetrics(registry);
    storeMetrics.store = store;
    TierMetrics tierMetrics = new TierMetrics(registry);
    tierMetrics.bindTier(memory);
    store.put(Block.raw("one".getBytes(StandardCharsets.UTF_8))).get();
    store.put(Block.raw("two".getBytes(StandardCharsets.UTF_8))).get();
    // As the RPC servlet counts requests.
    registry.meter(MetricNames.labelled(MetricNames.HTTP_REQUESTS, "method", "post", "code", "200", "handler", "api")).mark(2);
    registry.meter(MetricNames.labelled(MetricNames.HTTP_REQUESTS, "method", "post", "code", "404", "handler", "api")).mark();
    registry.timer(MetricNames.labelled("ipfs_http_request_duration_seconds", "handler", "api"))
        .update(250, java.util.concurrent.TimeUnit.MILLISECONDS);

    Page page = scrape(new PrometheusServlet(registry));

    for (String kubo : List.of("ipfs_bitswap_blocks_received", "ipfs_bitswap_wantlist_total", "ipfs_bitswap_pending_tasks")) {
      assertEquals(0.0, page.sample(kubo).value(), kubo);
      assertEquals("gauge", page.types().get(kubo), kubo);
    }
    assertEquals(2.0, page.sample("ipfs_http_requests_total{method=\"post\",code=\"200\",handler=\"api\"}").value());
    assertEquals(1.0, page.sample("ipfs_http_requests_total{method=\"post\",code=\"404\",handler=\"api\"}").value());
    assertEquals("counter", page.types().get("ipfs_http_requests_total"));
    // A labelled timer: Kubo's summary, in seconds, its quantiles beside the name's own labels.
    assertEquals(1.0, page.sample("ipfs_http_request_duration_seconds_count{handler=\"api\"}").value());
    assertEquals(0.25, page.sample("ipfs_http_request_duration_seconds{handler=\"api\",quantile=\"0.99\"}").value(), 1e-9);
    assertEquals("summary", page.types().get("ipfs_http_request_duration_seconds"));
    assertEquals(2.0, page.sample("cairn_blockstore_tier_blocks{tier=\"memory\"}").value());
    assertEquals(store.stats().blocks(), (long) page.sample("cairn_blockstore_blocks").value());
    assertEquals(64L << 20, (long) page.sample("cairn_blockstore_tier_capacity_bytes{tier=\"memory\"}").value());
    assertTrue(page.samples().containsKey("cairn_bitswap_sessions"));
    assertTrue(page.samples().containsKey("cairn_blockstore_cache_hit_ratio"));
    assertEquals(page.families().stream().sorted().toList(), page.families(), "families in name order");
  }

  @Test
  void aServiceThatGoesTakesItsGaugesAlong() throws Exception {
    BitswapClientMetrics clientMetrics = new BitswapClientMetrics(registry);
    clientMetrics.bitswap = client;
    TierMetrics tierMetrics = new TierMetrics(registry);
    tierMetrics.bindTier(memory);
    PrometheusServlet servlet = new PrometheusServlet(registry);
    assertTrue(scrape(servlet).samples().containsKey("ipfs_bitswap_blocks_received"));

    // Unbound but not yet deactivated (a dynamic reference between services): left out, not an error.
    clientMetrics.bitswap = null;
    assertFalse(scrape(servlet).samples().containsKey("ipfs_bitswap_blocks_received"));
    clientMetrics.deactivate();
    tierMetrics.unbindTier(memory);
    Page page = scrape(servlet);
    assertFalse(page.samples().keySet().stream().anyMatch(k -> k.startsWith("ipfs_bitswap") || k.startsWith("cairn_blockstore_tier")),
        page.samples().keySet().toString());
    assertTrue(registry.getNames().isEmpty(), registry.getNames().toString());

    // Back again: the same names register anew.
    new BitswapClientMetrics(registry).bitswap = client;
    assertTrue(scrape(servlet).samples().containsKey("ipfs_bitswap_blocks_received"));
  }

  @Test
  void theBitswapBundlesOwnHistogramsAndTaskGaugesComeWithTheRegistry() throws Exception {
    Components.call(client, "bindMetrics", registry);
    Components.call(engine, "bindMetrics", registry);
    Block block = Block.raw("pushed".getBytes(StandardCharsets.UTF_8));
    PeerId peer = PeerId.fromPublicKey(io.cairn.multiformats.Keys.generateEd25519().publicKey());
    // A peer sends a block nobody asked for and a HAVE: both are counted on receipt, as boxo counts them.
    ((BitswapReceiver) client).receive(peer, new BitswapMessage(List.of(), false,
        List.of(BlockPayload.of(block.cid(), block.data())), List.of(new BlockPresence(block.cid(), PresenceType.HAVE)), 0));
    PrometheusServlet servlet = new PrometheusServlet(registry);
    Page page = scrape(servlet);

    assertEquals(1.0, page.sample("ipfs_bitswap_recv_all_blocks_bytes_count").value());
    assertEquals(block.size(), page.sample("ipfs_bitswap_recv_all_blocks_bytes{quantile=\"0.5\"}").value());
    assertEquals(0.0, page.sample("ipfs_bitswap_recv_dup_blocks_bytes_count").value());
    assertEquals(1.0, page.sample("ipfs_bitswap_haves_received").value());
    for (String gauge : List.of("ipfs_bitswap_active_tasks", "ipfs_bitswap_active_block_tasks", "ipfs_bitswap_pending_block_tasks",
        "ipfs_bitswap_want_blocks_total", "ipfs_bitswap_wanthaves_broadcast")) {
      assertEquals(0.0, page.sample(gauge).value(), gauge);
    }
    assertEquals(0.0, page.sample("ipfs_bitswap_sent_all_blocks_bytes_count").value());
    assertEquals(0.0, page.sample("ipfs_bitswap_send_times_count").value());

    // A block nobody here has: with no peer to ask for it, the want is broadcast as want-have.
    BitswapClientMetrics clientMetrics = new BitswapClientMetrics(registry);
    clientMetrics.bitswap = client;
    java.util.concurrent.CompletableFuture<Block> wanted =
        client.get(Block.raw("absent".getBytes(StandardCharsets.UTF_8)).cid(), java.time.Duration.ofMinutes(1));
    Page wanting = awaitPage(servlet, p -> p.sample("ipfs_bitswap_wanthaves_broadcast").value() == 1.0);
    assertEquals(1.0, wanting.sample("ipfs_bitswap_wantlist_total").value());
    assertEquals(0.0, wanting.sample("ipfs_bitswap_want_blocks_total").value());
    wanted.cancel(false);
    awaitPage(servlet, p -> p.sample("ipfs_bitswap_wanthaves_broadcast").value() == 0.0);
    clientMetrics.deactivate();

    Components.call(client, "unbindMetrics", registry);
    Components.call(engine, "unbindMetrics", registry);
    assertTrue(registry.getNames().isEmpty(), registry.getNames().toString());
  }

  /** A bitswap network with nobody on it: the client and engine run, and nothing is exchanged. */
  static final class NoPeers implements BitswapNetwork {
    @Override
    public CompletableFuture<Void> send(PeerId peer, BitswapMessage message) {
      return CompletableFuture.failedFuture(new PeerUnavailableException(peer, "no peers here"));
    }

    @Override
    public Set<PeerId> peers() {
      return Set.of();
    }

    @Override
    public Optional<BitswapProtocol> protocol(PeerId peer) {
      return Optional.empty();
    }

    @Override
    public void addReceiver(BitswapReceiver receiver) {}

    @Override
    public void removeReceiver(BitswapReceiver receiver) {}

    @Override
    public void disconnect(PeerId peer, String reason) {}
  }
}
