package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.CompressionCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builds stores, settings and blocks for the file tier's tests (and the crash writer's child JVM). */
final class StoreFixture {
  final List<String> infos = new CopyOnWriteArrayList<>();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final List<CompressionCodec> codecs = new CopyOnWriteArrayList<>();

  static FileTierSettings settings(Path dir) {
    return new FileTierSettings("ssd", 100, dir, 1L << 40, 0, 1 << 20, 0.5, 3_600_000, false, "deflate", 5, 10, 4096, 2048);
  }

  FileStore.Codecs codecs() {
    return new FileStore.Codecs() {
      @Override
      public CompressionCodec byId(int id) {
        return codecs.stream().filter(c -> c.id() == id).findFirst().orElse(null);
      }

      @Override
      public CompressionCodec byName(String name) {
        return codecs.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
      }
    };
  }

  FileStore.Events events() {
    return new FileStore.Events() {
      @Override
      public void info(String message) {
        infos.add(message);
      }

      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    };
  }

  FileStore open(FileTierSettings settings) throws java.io.IOException {
    return FileStore.open(settings, codecs(), events());
  }

  /** Random raw blocks of sizes in [min, max], the same for the same seed. */
  static List<Block> blocks(long seed, int count, int min, int max) {
    Random random = new Random(seed);
    List<Block> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[min + random.nextInt(max - min + 1)];
      random.nextBytes(data);
      blocks.add(Block.raw(data));
    }
    return blocks;
  }

  /** Text-like blocks that compress well. */
  static List<Block> textBlocks(int count, int size) {
    List<Block> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      while (text.length() < size) {
        text.append("block ").append(i).append(" of the file tier's compression test, line ").append(text.length()).append('\n');
      }
      blocks.add(Block.raw(text.substring(0, size).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return blocks;
  }
}
