package io.cairn.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.cairn.multiformats.PublicKey;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeNetwork;
import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigCommandsTest {
  private static final PrivateKey KEY = Keys.generateEd25519();
  private static final long STORAGE_MAX = 64L << 20;

  /** The node's identity as the commands see it: a peer id (the private key is never asked for). */
  private static final NodeIdentity IDENTITY = new NodeIdentity() {
    @Override
    public PeerId peerId() {
      return PeerId.fromPublicKey(KEY.publicKey());
    }

    @Override
    public PublicKey publicKey() {
      return KEY.publicKey();
    }

    @Override
    public byte[] sign(byte[] message) {
      throw new AssertionError("config/show never signs");
    }
  };

  /** The libp2p host as the commands see it: what it is set to listen on, and nothing it bound. */
  private static NodeNetwork host(String... swarm) {
    return new NodeNetwork() {
      @Override
      public List<String> announcedAddresses() {
        return List.of("/ip4/192.0.2.1/tcp/4321/p2p/" + IDENTITY.peerId());
      }

      @Override
      public Set<String> protocols() {
        return Set.of();
      }

      @Override
      public List<String> swarmAddresses() {
        return List.of(swarm);
      }
    };
  }

  @Test
  void sizesAreKuboStringsThatParseBackExactly() {
    assertEquals("10GB", NodeConfig.size(10_000_000_000L));
    assertEquals("50GiB", NodeConfig.size(50L << 30));
    assertEquals("64MiB", NodeConfig.size(64L << 20));
    assertEquals("1500kB", NodeConfig.size(1_500_000L));
    assertEquals("1001B", NodeConfig.size(1001));
    assertEquals("0B", NodeConfig.size(0));
  }

  @Test
  void addressesBecomeKubosMultiaddrs() {
    assertEquals("/ip4/127.0.0.1/tcp/5001", NodeConfig.multiaddr("127.0.0.1:5001"));
    assertEquals("/ip6/::1/tcp/5001", NodeConfig.multiaddr("[::1]:5001"));
    assertEquals("/dns/localhost/tcp/8080", NodeConfig.multiaddr("localhost:8080"));
    assertEquals("/ip4/10.0.0.1/tcp/1", NodeConfig.multiaddr("/ip4/10.0.0.1/tcp/1"));
    assertThrows(IllegalArgumentException.class, () -> NodeConfig.multiaddr("no-port"));
  }

  @Test
  void showAnswersKubosShapeAndClusterFindsStorageMaxByPath() throws Exception {
    Map<String, String> props = new HashMap<>(Map.of(ConfigCommands.API_PROPERTY, "127.0.0.1:5002"));
    NodeNetwork host = host("/ip4/0.0.0.0/tcp/4002", "/ip6/::/tcp/4002");
    Map<String, Object> doc = new ConfigCommands.Source(() -> STORAGE_MAX, IDENTITY, () -> host, props::get).document();
    // ipfs-cluster walks Datastore/StorageMax.
    assertEquals("64MiB", ((Map<?, ?>) doc.get("Datastore")).get("StorageMax"));
    assertEquals(NodeConfig.GC_PERIOD, ((Map<?, ?>) doc.get("Datastore")).get("GCPeriod"));
    Map<?, ?> addresses = (Map<?, ?>) doc.get("Addresses");
    assertEquals("/ip4/127.0.0.1/tcp/5002", addresses.get("API"));
    assertEquals("/ip4/127.0.0.1/tcp/8080", addresses.get("Gateway"), "Kubo's default when none is set");
    assertEquals(List.of("/ip4/0.0.0.0/tcp/4002", "/ip6/::/tcp/4002"), addresses.get("Swarm"));
    assertEquals(Map.of("PeerID", IDENTITY.peerId().toString()), doc.get("Identity"), "the peer id and nothing else");
  }

  @Test
  void theSwarmIsWhatTheHostIsSetToListenOnElseTheProperty() throws Exception {
    Map<String, String> props = Map.of(ConfigCommands.SWARM_PROPERTY, "/ip4/0.0.0.0/tcp/4002, /ip6/::/tcp/4002");
    // The host's own answer wins: it already holds the property's override, or its configuration.
    NodeNetwork host = host("/ip4/0.0.0.0/tcp/4003");
    assertEquals(List.of("/ip4/0.0.0.0/tcp/4003"), swarm(new ConfigCommands.Source(() -> 0, IDENTITY, () -> host, props::get)));
    // No host running: the property, if set; else no swarm at all.
    assertEquals(List.of("/ip4/0.0.0.0/tcp/4002", "/ip6/::/tcp/4002"),
        swarm(new ConfigCommands.Source(() -> 0, IDENTITY, () -> null, props::get)));
    assertEquals(List.of(), swarm(new ConfigCommands.Source(() -> 0, IDENTITY, () -> null, k -> null)));
  }

  @Test
  void configOfOneKeyAnswersKeyAndValueAndRefusesSettingOrUnknownKeys() throws Exception {
    ConfigCommands.Source source = new ConfigCommands.Source(() -> STORAGE_MAX, IDENTITY,
        () -> host("/ip4/0.0.0.0/tcp/4001"), k -> null);
    assertEquals(Map.of("Key", "Datastore.StorageMax", "Value", "64MiB"),
        source.answer(request(List.of("Datastore.StorageMax"))));
    assertEquals(Map.of("Key", "Addresses.Swarm", "Value", List.of("/ip4/0.0.0.0/tcp/4001")),
        source.answer(request(List.of("Addresses.Swarm"))));

    RpcException unknown = assertThrows(RpcException.class, () -> source.answer(request(List.of("Datastore.Nope"))));
    assertEquals(RpcException.Code.NORMAL, unknown.code());
    assertTrue(unknown.getMessage().contains("key has no attribute Nope"), unknown.getMessage());
    assertEquals(RpcException.Code.CLIENT,
        assertThrows(RpcException.class, () -> source.answer(request(List.of("Datastore.StorageMax", "20GB")))).code());
    assertEquals(RpcException.Code.CLIENT,
        assertThrows(RpcException.class, () -> source.answer(request(List.of("Datastore.StorageMax"), "bool"))).code(), "--bool/--json set");
    assertEquals(RpcException.Code.CLIENT, assertThrows(RpcException.class, () -> source.answer(request(List.of()))).code(),
        "the key is required");
  }

  /** {@code config} with {@code arguments} and the options {@code flags}, given without a value. */
  private static RpcRequest request(List<String> arguments, String... flags) throws RpcException {
    Map<String, String[]> parameters = new java.util.HashMap<>();
    for (String f : flags) {
      parameters.put(f, new String[] {""});
    }
    return new HttpRpcRequest("config", arguments, parameters, null, MultipartReader.Limits.DEFAULT, java.time.Instant.now());
  }

  private static Object swarm(ConfigCommands.Source source) throws RpcException {
    return ((Map<?, ?>) source.document().get("Addresses")).get("Swarm");
  }
}
