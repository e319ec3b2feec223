package io.cairn.itests;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.itests.TestBlocks.BlockSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Helia 7 node (bitswap over TCP + Noise + yamux, identify) from itests/interop/helia-peer.mjs,
 * holding or fetching the deterministic {@link TestBlocks}. See that directory's README for what
 * Helia's bitswap expects of a peer.
 */
public final class HeliaPeer extends InteropProcess {
  private HeliaPeer(List<String> args) throws IOException {
    super("helia-peer.mjs", args);
  }

  /** What {@code serve} prints once it listens. */
  public record Listening(String peerId, String address, List<String> protocols, int blocks, String cidsSha256,
      JsonNode json) {
  }

  /** What {@code fetch} printed, and how it exited (0 only when every block arrived and hashed right). */
  public record Fetched(int exitCode, boolean ok, int count, int fetched, long bytes, long ms, int failureCount,
      JsonNode json) {
  }

  /**
   * Starts {@code helia-peer.mjs serve} on 127.0.0.1 with the blocks of {@code sets}; stop it with
   * {@link #close()}. {@code options} go through as they are (for example {@code --port},
   * {@code --seed}, {@code --quiet}, {@code --timeout}).
   */
  public static HeliaPeer serve(List<BlockSet> sets, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("serve", "--sets", setsArg(sets)));
    args.addAll(List.of(options));
    return new HeliaPeer(args);
  }

  /** Starts {@code helia-peer.mjs fetch} of the blocks of {@code sets} from {@code target} (a multiaddr with /p2p/). */
  public static HeliaPeer fetch(String target, List<BlockSet> sets, int concurrency, String... options)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("fetch", target, "--sets", setsArg(sets),
        "--concurrency", Integer.toString(concurrency)));
    args.addAll(List.of(options));
    return new HeliaPeer(args);
  }

  /** Starts {@code helia-peer.mjs fetch} of the CIDs listed in {@code cidsFile} (one a line). */
  public static HeliaPeer fetch(String target, Path cidsFile, int concurrency, String... options)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("fetch", target, "--cids-file", cidsFile.toAbsolutePath().toString(),
        "--concurrency", Integer.toString(concurrency)));
    args.addAll(List.of(options));
    return new HeliaPeer(args);
  }

  private static String setsArg(List<BlockSet> sets) {
    if (sets.isEmpty()) {
      throw new IllegalArgumentException("no block sets");
    }
    return sets.stream().map(BlockSet::arg).collect(Collectors.joining(","));
  }

  /** Waits for {@code serve}'s {@code listening} line (its blocks are in place by then). */
  public Listening awaitListening(long seconds) throws InterruptedException {
    JsonNode e = awaitEvent("listening", seconds);
    List<String> protocols = new ArrayList<>();
    e.path("protocols").forEach(p -> protocols.add(p.asText()));
    return new Listening(e.path("peerId").asText(), e.path("addrs").path(0).asText(), List.copyOf(protocols),
        e.path("blocks").asInt(), e.path("cidsSha256").asText(), e);
  }

  /** Waits for {@code fetch} to end and returns its {@code fetched} line. */
  public Fetched awaitFetched(long seconds) throws InterruptedException {
    int exitCode = awaitExit(seconds);
    JsonNode e = awaitEvent("fetched", 1);
    return new Fetched(exitCode, e.path("ok").asBoolean(), e.path("count").asInt(), e.path("fetched").asInt(),
        e.path("bytes").asLong(), e.path("ms").asLong(), e.path("failureCount").asInt(), e);
  }
}
