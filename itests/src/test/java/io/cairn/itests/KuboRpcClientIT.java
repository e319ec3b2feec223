package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * kubo-rpc-client 7 (npm, pinned by the lockfile) drives a {@code bin/cairn daemon} as it drives Kubo:
 * id, version, block put/get/stat/rm, swarm connect/peers (verbose too; to a second daemon), stats/bw (once and polled), add/cat/ls, pin
 * add/ls/rm/update, refs, repo stat/gc, bitswap stat/wantlist, dag import/export. Each call group is
 * one check of itests/interop/kubo-client-suite.mjs; the test fails naming every check that failed.
 */
class KuboRpcClientIT {
  @Test
  void kuboRpcClientDrivesTheNodeAsItDrivesKubo() throws Exception {
    int swarmB = CairnOptions.freePort();
    try (CairnProcess a = CairnProcess.daemon(CairnOptions.tempDir("kubo-a"), "--swarm-address", "/ip4/127.0.0.1/tcp/0",
            "--gateway-address", "127.0.0.1:0");
        CairnProcess b = CairnProcess.daemon(CairnOptions.tempDir("kubo-b"), "--swarm-address", "/ip4/127.0.0.1/tcp/" + swarmB,
            "--gateway-address", "127.0.0.1:0")) {
      String api = a.awaitRpcBase(60);
      assertFalse(api.isEmpty(), a.output());
      assertFalse(b.awaitRpcBase(60).isEmpty(), b.output());
      String peer = "/ip4/127.0.0.1/tcp/" + swarmB + "/p2p/" + b.peerId();
      try (InteropProcess suite = InteropProcess.run("kubo-client-suite.mjs", "--api", api, "--peer", peer)) {
        JsonNode done = suite.awaitEvent("done", 600);
        List<JsonNode> failures = suite.events().stream().filter(e -> e.has("check") && !e.path("ok").asBoolean()).toList();
        assertEquals(List.of(), failures.stream().map(JsonNode::toString).collect(Collectors.toList()),
            "failed checks; node output:\n" + a.output() + "\n" + suite.describe());
        assertEquals(0, done.path("failed").asInt(), suite.describe());
        assertEquals(12, suite.events().stream().filter(e -> e.has("check")).count(), suite.describe());
      }
    }
  }
}
