package io.cairn.blockstore.commands.internal;

import static io.cairn.testing.TestRpc.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.cairn.multiformats.PublicKey;
import io.cairn.node.NodeIdentity;
import io.cairn.rpc.RpcException;
import io.cairn.testing.TestRpc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigCommandsTest {
  private static final PrivateKey KEY = Keys.generateEd25519();

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
    try (RealStore s = new RealStore(Map.of())) {
      Map<String, String> props = new HashMap<>(Map.of(ConfigCommands.API_PROPERTY, "127.0.0.1:5002",
          ConfigCommands.SWARM_PROPERTY, "/ip4/0.0.0.0/tcp/4002, /ip6/::/tcp/4002"));
      ConfigCommands.Source source = new ConfigCommands.Source(s.store, IDENTITY, props::get);
      TestRpc.Response response = new TestRpc.Response();
      assertNull(run(new ConfigCommands.Show(source), new TestRpc.Request(), response));
      @SuppressWarnings("unchecked")
      Map<String, Object> doc = (Map<String, Object>) response.json;
      // ipfs-cluster walks Datastore/StorageMax; the memory tier of RealStore holds 64 MiB.
      assertEquals("64MiB", ((Map<?, ?>) doc.get("Datastore")).get("StorageMax"));
      assertEquals(NodeConfig.GC_PERIOD, ((Map<?, ?>) doc.get("Datastore")).get("GCPeriod"));
      Map<?, ?> addresses = (Map<?, ?>) doc.get("Addresses");
      assertEquals("/ip4/127.0.0.1/tcp/5002", addresses.get("API"));
      assertEquals("/ip4/127.0.0.1/tcp/8080", addresses.get("Gateway"), "Kubo's default when none is set");
      assertEquals(List.of("/ip4/0.0.0.0/tcp/4002", "/ip6/::/tcp/4002"), addresses.get("Swarm"));
      assertEquals(Map.of("PeerID", IDENTITY.peerId().toString()), doc.get("Identity"), "the peer id and nothing else");
    }
  }

  @Test
  void configOfOneKeyAnswersKeyAndValueAndRefusesSettingOrUnknownKeys() throws Exception {
    try (RealStore s = new RealStore(Map.of())) {
      ConfigCommands.Source source = new ConfigCommands.Source(s.store, IDENTITY, k -> null);
      ConfigCommands.Get get = new ConfigCommands.Get(source);
      assertEquals(Map.of("Key", "Datastore.StorageMax", "Value", "64MiB"),
          TestRpc.json(get, new TestRpc.Request().arg("Datastore.StorageMax")));
      assertEquals(Map.of("Key", "Addresses.Swarm", "Value", List.of(NodeConfig.DEFAULT_SWARM)),
          TestRpc.json(get, new TestRpc.Request().arg("Addresses.Swarm")));

      RpcException unknown = TestRpc.error(get, new TestRpc.Request().arg("Datastore.Nope"));
      assertNotNull(unknown);
      assertTrue(unknown.getMessage().contains("key has no attribute Nope"), unknown.getMessage());
      RpcException set = TestRpc.error(get, new TestRpc.Request().arg("Datastore.StorageMax").arg("20GB"));
      assertEquals(RpcException.Code.CLIENT, set.code());
      assertEquals(RpcException.Code.CLIENT, TestRpc.error(get, new TestRpc.Request()).code(), "the key is required");
    }
  }
}
