package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.Block;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link CrashTest}: opens the store in the folder given, then puts batch after
 * batch until it is killed, printing {@code ACK <batch>} only once a batch's future has completed,
 * i.e. once the store says it is durable. Batches are numbered from the first argument on, and each
 * batch's blocks follow from its number alone, so the test can rebuild what was acknowledged.
 */
public final class CrashWriter {
  private CrashWriter() {}

  static List<Block> batch(long number) {
    return StoreFixture.blocks(number, 20 + (int) (number % 7) * 15, 16, 4000);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long next = Long.parseLong(args[1]);
    FileStore store = new StoreFixture().open(
        new FileTierSettings("ssd", 100, dir, 1L << 40, 0, 2 << 20, 0.5, 3_600_000, false, "deflate", 5, 10, 4096, 2048));
    System.out.println("OPEN");
    System.out.flush();
    while (true) {
      // Two batches in flight at once, so the kill also lands between a group commit's records.
      long a = next++;
      long b = next++;
      var first = store.putMany(batch(a));
      var second = store.putMany(batch(b));
      first.join();
      System.out.println("ACK " + a);
      second.join();
      System.out.println("ACK " + b);
      System.out.flush();
      if (a % 10 == 0) {
        store.delete(batch(a).getFirst().cid()).join();
        System.out.println("DEL " + a);
        System.out.flush();
      }
    }
  }
}
