package io.cairn.bitswap.commands.internal;

import io.cairn.testing.bitswap.MemoryNetwork;
import static io.cairn.bitswap.commands.internal.BitswapCommandsTest.block;
import static io.cairn.bitswap.commands.internal.BitswapCommandsTest.fetched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BitswapShellCommandsTest {
  static BitswapShellCommands shell(Node n) {
    BitswapShellCommands s = new BitswapShellCommands();
    s.client = n.client;
    s.engine = n.engine;
    return s;
  }

  @Test
  void statPrintsKubosTextThenTheCountersKuboLacks() throws Exception {
    try (Node a = new Node(); Node b = new Node()) {
      fetched(a, b, 5000);
      Node.eventually("a's want is gone", () -> a.client.wantlist().isEmpty());
      List<String> lines = shell(a).stat().lines().toList();
      assertEquals(List.of("bitswap status", "\tblocks received: 1", "\tblocks sent: 0", "\tdata received: 5000",
          "\tdata sent: 0", "\tdup blocks received: 0", "\tdup data received: 0", "\twantlist [0 keys]", "\tpartners [1]"),
          lines.subList(0, 9));
      assertTrue(lines.get(9).startsWith("\tmessages received: "), lines.get(9));
      assertTrue(lines.contains("\tinvalid blocks dropped: 0"), lines.toString());
      assertTrue(lines.contains("\toutstanding bytes: 0"), lines.toString());

      List<String> verbose = shell(b).stat("-v", "--human").lines().toList();
      assertEquals("\tdata sent: 5.0 kB", verbose.get(4));
      assertEquals(List.of("\tpartners [1]", "\t\t" + a.id), verbose.subList(8, 10));
      assertEquals(verbose, shell(b).stat("--verbose", "--human").lines().toList());
    }
  }

  @Test
  void limitsShowsTheStrategiesLimitsAndClasses() throws Exception {
    try (Node a = new Node(); Node b = new Node()) {
      fetched(a, b, 5000);
      Node.eventually("b's answer counted", () -> b.engine.status().classes().get(2).answered() == 1);
      List<String> lines = shell(b).limits().lines().toList();
      assertEquals(List.of("bitswap engine limits", "\tpriority strategy: static (built-in)",
          "\tlimits strategy: static (built-in)", "\tbatch strategy: static (built-in)"), lines.subList(0, 4));
      assertTrue(lines.contains("\tlookups: 0 of 128"), lines.toString());
      assertTrue(lines.contains("\tper-peer outstanding bytes limit: 1048576 to 1048576"), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("\tglobal outstanding bytes: ") && l.endsWith(" of no limit")),
          lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.matches("\\tnormal +- +0 +1 .*")), lines.toString());
      assertTrue(shell(b).limits("--human").lines().toList().contains("\tper-peer outstanding bytes limit: 1.0 MB to 1.0 MB"));
      assertEquals("unknown option -x: usage: bitswap:limits [--human]",
          assertThrows(IllegalArgumentException.class, () -> shell(b).limits("-x")).getMessage());
      BitswapShellCommands noEngine = shell(b);
      noEngine.engine = null;
      assertEquals(BitswapReport.NO_ENGINE, assertThrows(IllegalStateException.class, noEngine::limits).getMessage());
    }
  }

  @Test
  void statRefusesAnUnknownOptionAndNamesAMissingService() throws Exception {
    try (Node a = new Node()) {
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> shell(a).stat("-x"));
      assertEquals("unknown option -x: usage: bitswap:stat [-v] [--human]", bad.getMessage());
      BitswapShellCommands noClient = shell(a);
      noClient.client = null;
      assertEquals(BitswapReport.NO_CLIENT, assertThrows(IllegalStateException.class, noClient::stat).getMessage());
      BitswapShellCommands noEngine = shell(a);
      noEngine.engine = null;
      assertEquals(BitswapReport.NO_ENGINE, assertThrows(IllegalStateException.class, noEngine::stat).getMessage());
      assertEquals(BitswapReport.NO_ENGINE, assertThrows(IllegalStateException.class, noEngine::ledger).getMessage());
      assertEquals(BitswapReport.NO_CLIENT, assertThrows(IllegalStateException.class, noClient::wantlist).getMessage());
    }
  }

  @Test
  void wantlistPrintsOurWantsOrWhatAPeerWantsFromUs() throws Exception {
    try (Node a = new Node(); Node b = new Node()) {
      MemoryNetwork.connect(a.network, b.network);
      assertEquals("this node wants no blocks\n", shell(a).wantlist());
      Cid nobodyHasIt = block(100, 8).cid();
      CompletableFuture<Block> pending = a.client.get(nobodyHasIt, Duration.ofMinutes(5));
      Node.eventually("b holds a's want", () -> !b.engine.wantlist(a.id).isEmpty());
      assertEquals(nobodyHasIt + "\n", shell(a).wantlist());

      List<String> theirs = shell(b).wantlist(a.id.toString()).lines().toList();
      assertEquals(2, theirs.size(), theirs.toString());
      assertTrue(theirs.get(0).matches("CID\\s+TYPE\\s+PRIORITY SEND DONT_HAVE"), theirs.get(0));
      assertTrue(theirs.get(1).matches(nobodyHasIt + "\\s+want-block\\s+-?\\d+ yes"), theirs.get(1));
      assertEquals(b.id + " wants no blocks from this node\n", shell(a).wantlist(b.id.toString()));
      pending.cancel(true);

      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> shell(a).wantlist("garbage"));
      assertTrue(bad.getMessage().startsWith("invalid peer id \"garbage\""), bad.getMessage());
    }
  }

  @Test
  void ledgerPrintsEveryPeerOrKubosTextForOne() throws Exception {
    try (Node a = new Node(); Node b = new Node(); Node c = new Node()) {
      fetched(a, b, 2000);
      MemoryNetwork.connect(b.network, c.network);
      Node.eventually("b has a ledger for c", () -> b.engine.ledger(c.id).isPresent());

      List<String> rows = shell(b).ledger().lines().toList();
      assertEquals(3, rows.size(), rows.toString());
      assertTrue(rows.get(0).matches("PEER\\s+BYTES SENT\\s+BYTES RECV\\s+BLOCKS SENT\\s+BLOCKS RECV\\s+WANTS\\s+DEBT RATIO"),
          rows.get(0));
      String rowA = rows.stream().filter(r -> r.startsWith(a.id.toString())).findFirst().orElseThrow();
      assertTrue(rowA.matches(a.id + "\\s+2000\\s+0\\s+1\\s+0\\s+0\\s+2000\\.000"), rowA);
      String rowC = rows.stream().filter(r -> r.startsWith(c.id.toString())).findFirst().orElseThrow();
      assertTrue(rowC.matches(c.id + "\\s+0\\s+0\\s+0\\s+0\\s+0\\s+0\\.000"), rowC);

      assertEquals("Ledger for " + a.id + "\nDebt ratio:\t2000.000000\nExchanges:\t1\nBytes sent:\t2000\n"
          + "Bytes received:\t0\nWants:\t0\n", shell(b).ledger(a.id.toString()));
      PeerId stranger = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
      assertEquals("no ledger for " + stranger + ": it is not connected over bitswap\n", shell(b).ledger(stranger.toString()));
      assertThrows(IllegalArgumentException.class, () -> shell(b).ledger("bogus"));
    }
  }

  @Test
  void ledgerWithoutPeersSaysSo() throws Exception {
    try (Node a = new Node()) {
      assertEquals("no bitswap peers\n", shell(a).ledger());
    }
  }

  @Test
  void humanBytesPrintsWhatGoHumanizeDoes() {
    assertEquals("0 B", BitswapShellCommands.humanBytes(0));
    assertEquals("9 B", BitswapShellCommands.humanBytes(9));
    assertEquals("10 B", BitswapShellCommands.humanBytes(10));
    assertEquals("999 B", BitswapShellCommands.humanBytes(999));
    assertEquals("1.0 kB", BitswapShellCommands.humanBytes(1000));
    assertEquals("1.5 MB", BitswapShellCommands.humanBytes(1_500_000));
    assertEquals("83 MB", BitswapShellCommands.humanBytes(82_854_982));
    assertEquals("9.2 EB", BitswapShellCommands.humanBytes(Long.MAX_VALUE));
  }
}
