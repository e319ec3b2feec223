package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.itests.TestBlocks.BlockSet;
import io.cairn.itests.TestBlocks.Kind;
import io.cairn.multiformats.Cid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helia launcher on its own, Helia to Helia: what the bitswap interop tests do with Cairn on one
 * side, here with Helia on both, so a failure there is known not to be in the harness.
 */
class HeliaPeerTest {
  @TempDir Path dir;

  @Test
  void heliaFetchesEveryBlockFromHeliaAndRehashesIt() throws Exception {
    List<BlockSet> sets = List.of(new BlockSet(Kind.RAW, 1024, 200), new BlockSet(Kind.DAG_PB, 1024 * 1024, 8));
    try (HeliaPeer server = HeliaPeer.serve(sets, "--timeout", "300")) {
      HeliaPeer.Listening listening = server.awaitListening(60);
      assertTrue(listening.protocols().contains("/ipfs/bitswap/1.2.0"), listening.json().toString());
      assertTrue(listening.address().endsWith("/p2p/" + listening.peerId()), listening.address());

      try (HeliaPeer client = HeliaPeer.fetch(listening.address(), sets, 8, "--timeout", "120")) {
        HeliaPeer.Fetched fetched = client.awaitFetched(150);
        assertEquals(0, fetched.exitCode(), client.describe());
        assertTrue(fetched.ok(), fetched.json().toString());
        assertEquals(208, fetched.fetched());
        assertEquals(200L * 1024 + 8L * (4 + 1024 * 1024), fetched.bytes()); // 0x0a, uvarint(2^20) is 3 bytes
        assertEquals(TestBlocks.cidsSha256(TestBlocks.cids(sets)), fetched.json().path("cidsSha256").asText());
      }
      // the server saw the client identify with bitswap
      assertTrue(server.await(e -> "identified".equals(e.path("event").asText()) && e.path("bitswap").asBoolean(), 10)
          .path("agentVersion").asText().startsWith("helia/"));
    }
  }

  @Test
  void fetchOfBlocksTheServerLacksFailsWithTheirCids() throws Exception {
    List<Cid> wanted = List.of(TestBlocks.block(new BlockSet(Kind.RAW, 1024, 1), 0).cid(),
        TestBlocks.block(new BlockSet(Kind.RAW, 1000, 2), 1).cid());
    Path cidsFile = Files.writeString(dir.resolve("cids.txt"), wanted.get(0) + "\n" + wanted.get(1) + "\n");
    try (HeliaPeer server = HeliaPeer.serve(List.of(new BlockSet(Kind.RAW, 1024, 1)), "--timeout", "120")) {
      HeliaPeer.Listening listening = server.awaitListening(60);
      try (HeliaPeer client = HeliaPeer.fetch(listening.address(), cidsFile, 2, "--block-timeout", "2", "--timeout", "60")) {
        HeliaPeer.Fetched fetched = client.awaitFetched(90);
        assertEquals(1, fetched.exitCode(), client.describe());
        assertFalse(fetched.ok());
        assertEquals(1, fetched.fetched());
        assertEquals(1, fetched.failureCount());
        assertEquals(wanted.get(1).toString(), fetched.json().path("failures").path(0).path("cid").asText());
      }
    }
  }
}
