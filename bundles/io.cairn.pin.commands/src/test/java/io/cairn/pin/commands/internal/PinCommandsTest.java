package io.cairn.pin.commands.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.pin.PinType;
import io.cairn.pin.internal.Node;
import io.cairn.pin.internal.TestDag;
import io.cairn.rpc.RpcException;
import io.cairn.testing.TestRpc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pin and repo/gc commands in Kubo's shapes, over the real pinner and collector and the real store. */
class PinCommandsTest {
  @TempDir
  Path home;

  /** root → (a → (c), b), offered to fetches. */
  record Dag(Block root, Block a, Block b, Block c) {
    static Dag of(String label) {
      Block c = Block.raw((label + "-c").getBytes(StandardCharsets.UTF_8));
      Block b = Block.raw((label + "-b").getBytes(StandardCharsets.UTF_8));
      Block a = TestDag.node(label + "-a", c.cid());
      return new Dag(TestDag.node(label + "-root", a.cid(), b.cid()), a, b, c);
    }

    Block[] all() {
      return new Block[] {root, a, b, c};
    }

    String id() {
      return root.cid().toString();
    }
  }

  private static TestRpc.Request req() {
    return new TestRpc.Request();
  }

  private static TestRpc.Response run(io.cairn.rpc.RpcCommand command, TestRpc.Request request) throws Exception {
    TestRpc.Response response = new TestRpc.Response();
    RpcException e = TestRpc.run(command, request, response);
    if (e != null) {
      throw new AssertionError("unexpected error: " + e.getMessage());
    }
    return response;
  }

  @Test
  void pinAddAnswersOnePinsObjectAndLsShowsEveryType() throws Exception {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      n.remote(d.all());
      Block single = Block.raw("single".getBytes(StandardCharsets.UTF_8));
      n.put(single);
      var add = new PinCommands.Add(n.pinner);
      assertEquals(Map.of("Pins", List.of(d.id())), TestRpc.json(add, req().arg(d.id()).option("name", "docs")));
      assertEquals(Map.of("Pins", List.of(single.cid().toString())),
          TestRpc.json(add, req().arg("/ipfs/" + single.cid()).option("recursive", "false")));

      var ls = new PinCommands.Ls(n.pinner);
      Map<String, Object> keys = Map.of(
          d.id(), Map.of("Type", "recursive", "Name", ""),
          single.cid().toString(), Map.of("Type", "direct", "Name", ""),
          d.a().cid().toString(), Map.of("Type", "indirect", "Name", ""),
          d.b().cid().toString(), Map.of("Type", "indirect", "Name", ""),
          d.c().cid().toString(), Map.of("Type", "indirect", "Name", ""));
      assertEquals(Map.of("Keys", keys), TestRpc.json(ls, req()));

      TestRpc.Response streamed = run(ls, req().option("stream", "true").option("type", "recursive").option("names", "true"));
      assertEquals(List.of(Map.of("Cid", d.id(), "Name", "docs", "Type", "recursive")), streamed.lines);
      streamed = run(ls, req().option("stream", "true").option("type", "direct"));
      assertEquals(List.of(Map.of("Cid", single.cid().toString(), "Type", "direct")), streamed.lines);
      streamed = run(ls, req().option("stream", "true"));
      assertEquals(5, streamed.lines.size());
      assertEquals(Map.of("Cid", d.id(), "Type", "recursive"), streamed.lines.get(0));

      streamed = run(ls, req().arg(d.c().cid().toString()).option("stream", "true"));
      assertEquals(List.of(Map.of("Cid", d.c().cid().toString(), "Type", "indirect through " + d.id())), streamed.lines);
    }
  }

  @Test
  void progressLinesOnlyWithProgressAndStreamGivesOnePinsLineEach() throws Exception {
    try (Node n = new Node(home)) {
      Dag one = Dag.of("one");
      Dag two = Dag.of("two");
      n.remote(one.all());
      n.remote(two.all());
      var add = new PinCommands.Add(n.pinner);
      TestRpc.Response r = run(add, req().arg(one.id()).option("progress", "true"));
      assertEquals(Map.of("Pins", List.of(one.id())), r.lines.getLast());
      List<Object> progress = r.lines.subList(0, r.lines.size() - 1);
      assertFalse(progress.isEmpty());
      long last = -1;
      for (Object line : progress) {
        long p = ((Number) ((Map<?, ?>) line).get("Progress")).longValue();
        assertTrue(p >= last, "progress grows");
        last = p;
      }
      assertEquals(4, last, "the final progress counts every block");

      r = run(add, req().arg(one.id()).arg(two.id()).option("stream", "true"));
      assertEquals(List.of(Map.of("Pins", List.of(one.id())), Map.of("Pins", List.of(two.id()))), r.lines);
      assertNull(r.streamError);
    }
  }

  @Test
  void failuresAnswerKubosMessages() throws Exception {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      n.put(d.all());
      var ls = new PinCommands.Ls(n.pinner);
      RpcException e = TestRpc.error(ls, req().arg(d.id()).option("stream", "true").option("type", "recursive"));
      assertEquals("path '" + d.id() + "' is not pinned", e.getMessage());
      assertEquals(RpcException.Code.CLIENT, TestRpc.error(ls, req().option("type", "pinned")).code());
      var rm = new PinCommands.Rm(n.pinner);
      assertEquals("not pinned or pinned indirectly", TestRpc.error(rm, req().arg(d.id())).getMessage());
      assertEquals(RpcException.Code.CLIENT, TestRpc.error(rm, req().arg("not-a-cid")).code());
      assertEquals(RpcException.Code.CLIENT, TestRpc.error(rm, req()).code());

      var add = new PinCommands.Add(n.pinner);
      Dag missing = Dag.of("missing"); // nowhere to fetch it from
      RpcException failed = TestRpc.error(add, req().arg(missing.id()));
      assertTrue(failed.getMessage().contains(missing.id()), failed.getMessage());
      // With progress too: failing before any progress line, it is a plain error (Kubo's shape); after one,
      // the error would go into the stream's trailer.
      failed = TestRpc.error(add, req().arg(missing.id()).option("progress", "true"));
      assertTrue(failed.getMessage().contains(missing.id()), failed.getMessage());
      assertEquals(0, n.pinner.count(PinType.RECURSIVE));
    }
  }

  @Test
  void rmAndUpdateAnswerTheirPins() throws Exception {
    try (Node n = new Node(home)) {
      Dag one = Dag.of("one");
      Dag two = Dag.of("two");
      n.put(one.all());
      n.remote(two.all());
      TestRpc.json(new PinCommands.Add(n.pinner), req().arg(one.id()));
      var update = new PinCommands.Update(n.pinner);
      assertEquals(Map.of("Pins", List.of(one.id(), two.id())),
          TestRpc.json(update, req().arg(one.id()).arg(two.id()).option("unpin", "false")));
      assertEquals(2, n.pinner.count(PinType.RECURSIVE));
      assertEquals("'to' cid was already recursively pinned",
          TestRpc.error(update, req().arg(one.id()).arg(two.id())).getMessage());
      assertEquals(RpcException.Code.CLIENT, TestRpc.error(update, req().arg(one.id())).code());
      var rm = new PinCommands.Rm(n.pinner);
      assertEquals(Map.of("Pins", List.of(one.id(), two.id())), TestRpc.json(rm, req().arg(one.id()).arg(two.id())));
      assertEquals(0, n.pinner.count(PinType.RECURSIVE));
    }
  }

  @Test
  void verifyWritesBrokenPinsAndWithVerboseTheSoundOnes() throws Exception {
    try (Node n = new Node(home)) {
      Dag good = Dag.of("good");
      Dag bad = Dag.of("bad");
      n.put(good.all());
      n.put(bad.all());
      var add = new PinCommands.Add(n.pinner);
      TestRpc.json(add, req().arg(good.id()).arg(bad.id()));
      n.blocks.delete(bad.b().cid()).join();
      var verify = new PinCommands.Verify(n.pinner);

      TestRpc.Response r = run(verify, req());
      assertEquals(1, r.lines.size());
      Map<?, ?> line = (Map<?, ?>) r.lines.get(0);
      assertEquals(bad.id(), line.get("Cid"));
      assertFalse(line.containsKey("Ok"));
      Map<?, ?> badNode = (Map<?, ?>) ((List<?>) line.get("BadNodes")).get(0);
      assertEquals(bad.b().cid().toString(), badNode.get("Cid"));

      r = run(verify, req().option("verbose", "true"));
      assertEquals(2, r.lines.size());
      assertTrue(r.lines.contains(Map.of("Cid", good.id(), "Ok", true)));

      r = run(verify, req().option("quiet", "true"));
      assertEquals(List.of(Map.of("Cid", bad.id())), r.lines);
      assertEquals(RpcException.Code.CLIENT,
          TestRpc.error(verify, req().option("quiet", "true").option("verbose", "true")).code());
    }
  }

  @Test
  void repoGcStreamsEachRemovedKey() throws Exception {
    try (Node n = new Node(home)) {
      Dag pinned = Dag.of("pinned");
      Dag garbage = Dag.of("garbage");
      n.put(pinned.all());
      n.put(garbage.all());
      TestRpc.json(new PinCommands.Add(n.pinner), req().arg(pinned.id()));
      TestRpc.Response r = run(new RepoGc(n.gc), req().option("stream-errors", "true"));
      Set<Object> keys = new HashSet<>(r.lines);
      Set<Object> expected = new HashSet<>();
      for (Block b : garbage.all()) {
        expected.add(Map.of("Key", Map.of("/", b.cid().toString())));
      }
      assertEquals(expected, keys);
      assertNull(r.streamError);
      for (Block b : pinned.all()) {
        assertTrue(n.has(b.cid()));
      }
      r = run(new RepoGc(n.gc), req());
      assertTrue(r.linesStarted, "an empty NDJSON answer, as Kubo's");
      assertEquals(List.of(), r.lines);
    }
  }

  @Test
  void shellCommandsPinListUnpinAndCollect() throws Exception {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      n.remote(d.all());
      Block loose = Block.raw("loose".getBytes(StandardCharsets.UTF_8));
      n.put(loose);
      PinShellCommands shell = new PinShellCommands(n.pinner);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      shell.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
      assertEquals("pinned " + d.id() + " recursively (4 blocks)", shell.add(d.id()));
      assertEquals("4 pins", shell.ls()); // the root and its three blocks; the loose block is not pinned
      String lines = printed.toString(StandardCharsets.UTF_8);
      assertTrue(lines.contains(d.id() + " recursive\n"), lines);
      assertTrue(lines.contains(d.c().cid() + " indirect\n"), lines);

      var gc = new PinShellCommands.RepoShellCommands(n.gc);
      gc.out = shell.out;
      String result = gc.gc();
      assertTrue(result.contains("1 removed"), result);
      assertFalse(n.has(loose.cid()));

      assertEquals("unpinned " + d.id() + "\n", shell.rm(d.id()));
      assertEquals("0 pins", shell.ls("recursive"));
      Cid unused = d.root().cid();
      assertTrue(n.has(unused));
    }
  }
}
