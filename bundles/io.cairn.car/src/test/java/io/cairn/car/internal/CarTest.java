package io.cairn.car.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.car.Car;
import io.cairn.car.CarFormatException;
import io.cairn.car.CarLimits;
import io.cairn.car.CarReader;
import io.cairn.car.CarWriter;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CarTest {
  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static List<Block> blocks(int n) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      blocks.add(Block.raw(bytes(i * 1000, i)));
    }
    return blocks;
  }

  static byte[] car(List<Cid> roots, List<Block> blocks) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter w = Car.writer(out, roots)) {
      for (Block b : blocks) {
        w.write(b);
      }
    }
    return out.toByteArray();
  }

  static List<Block> readAll(CarReader r) throws IOException {
    List<Block> out = new ArrayList<>();
    for (Block b = r.next(); b != null; b = r.next()) {
      out.add(b);
    }
    return out;
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = CarTest.class.getResourceAsStream("/go-car/" + name)) {
      return in.readAllBytes();
    }
  }

  static CarFormatException failure(byte[] car, CarLimits limits) {
    return assertThrows(CarFormatException.class, () -> {
      try (CarReader r = Car.reader(new ByteArrayInputStream(car), limits)) {
        readAll(r);
      }
    });
  }

  static CarFormatException failure(byte[] car) {
    return failure(car, CarLimits.DEFAULT);
  }

  @Test
  void roundTripKeepsRootsBlocksAndOrder() throws IOException {
    List<Block> blocks = blocks(20);
    Cid cbor = Cid.v1(Multicodec.DAG_CBOR, Multihash.digest(Multicodec.SHA2_256, new byte[] {(byte) 0xa0}));
    Block v0 = new Block(Cid.v0(Multihash.digest(Multicodec.SHA2_256, bytes(77, 99))), bytes(77, 99));
    List<Block> all = new ArrayList<>(blocks);
    all.add(new Block(cbor, new byte[] {(byte) 0xa0}));
    all.add(v0);
    List<Cid> roots = List.of(blocks.get(3).cid(), v0.cid());
    byte[] car = car(roots, all);
    try (CarReader r = Car.reader(new ByteArrayInputStream(car), CarLimits.DEFAULT)) {
      assertEquals(1, r.header().version());
      assertEquals(roots, r.header().roots());
      assertEquals(all, readAll(r));
      assertEquals(car.length, r.offset());
      assertEquals(all.size(), r.blocks());
      assertEquals(all.stream().mapToLong(Block::size).sum(), r.blockBytes());
    }
  }

  @Test
  void writerNeverWritesIdentityBlocks() throws IOException {
    byte[] data = "inline".getBytes();
    Block identity = new Block(Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), data)), data);
    Block raw = Block.raw(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter w = Car.writer(out, List.of(identity.cid()))) {
      assertFalse(w.write(identity));
      assertTrue(w.write(raw));
      assertEquals(1, w.blocks());
      w.flush();
      assertEquals(out.size(), w.offset());
    }
    try (CarReader r = Car.reader(new ByteArrayInputStream(out.toByteArray()), CarLimits.DEFAULT)) {
      assertEquals(List.of(identity.cid()), r.header().roots());
      assertEquals(List.of(raw), readAll(r));
    }
  }

  @Test
  void headerIsTheDagCborGoCarWrites() throws IOException {
    // go-car's header of sample-v1.car, re-encoded from its root: byte-identical.
    byte[] sample = fixture("sample-v1.car");
    try (CarReader r = Car.reader(new ByteArrayInputStream(sample), CarLimits.DEFAULT)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Car.writer(out, r.header().roots()).close();
      byte[] ours = out.toByteArray();
      assertArrayEquals(Arrays.copyOf(sample, ours.length), ours);
    }
  }

  @Test
  void readsGoCarsSampleAndRewritesItAsGoCarDoesWithoutIdentityBlocks() throws IOException {
    byte[] sample = fixture("sample-v1.car");
    List<Block> blocks;
    List<Cid> roots;
    try (CarReader r = Car.reader(new ByteArrayInputStream(sample), CarLimits.DEFAULT)) {
      roots = r.header().roots();
      blocks = readAll(r);
      assertEquals(sample.length, r.offset());
    }
    assertEquals(List.of(Cid.parse("bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy")), roots);
    assertTrue(blocks.size() > 1000, "sample-v1.car holds " + blocks.size() + " blocks");
    assertTrue(blocks.stream().anyMatch(b -> b.cid().multihash().code() == Multicodec.IDENTITY.code()));
    // go-car's own copy of the sample without its identity blocks: what our writer makes of the same blocks.
    assertArrayEquals(fixture("sample-v1-noidentity.car"), car(roots, blocks));
  }

  @Test
  void readsTheV1PayloadOfCarV2s() throws IOException {
    List<Block> v1;
    try (CarReader r = Car.reader(new ByteArrayInputStream(fixture("sample-v1.car")), CarLimits.DEFAULT)) {
      v1 = readAll(r);
    }
    for (String name : List.of("sample-wrapped-v2.car", "sample-v2-indexless.car")) {
      try (CarReader r = Car.reader(new ByteArrayInputStream(fixture(name)), CarLimits.DEFAULT)) {
        assertEquals(2, r.header().version(), name);
        assertEquals(1, r.header().roots().size(), name);
        assertEquals(v1, readAll(r), name);
        assertNull(r.next(), name + ": the index after the payload is not read as sections");
      }
    }
  }

  @Test
  void goCarsMalformedArchivesAreClearErrors() throws IOException {
    assertTrue(failure(fixture("badheaderlength.car")).getMessage().contains("header"));
    CarFormatException section = failure(fixture("badsectionlength.car"));
    assertTrue(section.offset() > 0, section.getMessage());
    assertTrue(failure(fixture("sample-rootless-v42.car")).getMessage().contains("unsupported CAR version 42"));
    failure(fixture("sample-corrupt-pragma.car"));
    CarFormatException zero = failure(fixture("sample-v1-with-zero-len-section.car"));
    assertTrue(zero.getMessage().contains("section length 0"), zero.getMessage());
    CarFormatException tail = failure(fixture("sample-v1-tailing-corrupt-section.car"));
    assertTrue(tail.offset() > 400_000, tail.getMessage());
  }

  @Test
  void truncatedSectionNamesItsOffset() throws IOException {
    List<Block> blocks = blocks(5);
    byte[] whole = car(List.of(blocks.get(0).cid()), blocks);
    byte[] head = car(List.of(blocks.get(0).cid()), blocks.subList(0, 4));
    // Cut inside the last section's data, then inside its CID, then inside its length varint.
    for (int cut : new int[] {whole.length - 10, head.length + 3, head.length + 1}) {
      CarFormatException e = failure(Arrays.copyOf(whole, cut));
      assertEquals(head.length, e.offset(), e.getMessage());
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
    CarFormatException header = failure(Arrays.copyOf(whole, 5));
    assertEquals(0, header.offset());
    failure(new byte[0]);
  }

  @Test
  void badVarintsAreClearErrors() throws IOException {
    Block b = Block.raw(bytes(10, 1));
    byte[] header = car(List.of(b.cid()), List.of());
    byte[] overlong = new byte[header.length + 10];
    System.arraycopy(header, 0, overlong, 0, header.length);
    Arrays.fill(overlong, header.length, overlong.length, (byte) 0xff);
    CarFormatException e = failure(overlong);
    assertEquals(header.length, e.offset());
    assertTrue(e.getMessage().contains("varint"), e.getMessage());
    byte[] nonMinimal = Arrays.copyOf(header, header.length + 2);
    nonMinimal[header.length] = (byte) 0x81;
    assertTrue(failure(nonMinimal).getMessage().contains("minimal"));
    assertTrue(failure(new byte[] {(byte) 0xff, (byte) 0xff}).getMessage().contains("header length"));
  }

  @Test
  void blockThatDoesNotHashToItsCidIsRefused() throws IOException {
    List<Block> blocks = blocks(3);
    byte[] car = car(List.of(blocks.get(0).cid()), blocks);
    car[car.length - 1] ^= 1;
    byte[] head = car(List.of(blocks.get(0).cid()), blocks.subList(0, 2));
    CarFormatException e = failure(car);
    assertEquals(head.length, e.offset());
    assertTrue(e.getMessage().contains("does not hash to its CID " + blocks.get(2).cid()), e.getMessage());
  }

  @Test
  void lengthsOverTheLimitsAreRefusedBeforeAnythingIsRead() throws IOException {
    Block big = Block.raw(bytes(5000, 3));
    byte[] car = car(List.of(big.cid()), List.of(big));
    CarFormatException e = failure(car, new CarLimits(1024, 4096));
    assertTrue(e.getMessage().contains("outside 1 to " + (4096 + Cid.DEFAULT_MAX_LENGTH)), e.getMessage());
    // A section claiming 2^40 bytes after a valid header: refused from the varint, never allocated.
    byte[] header = car(List.of(big.cid()), List.of());
    byte[] huge = Arrays.copyOf(header, header.length + Varint.encodedLength(1L << 40));
    Varint.encode(1L << 40, huge, header.length);
    assertTrue(failure(huge).getMessage().contains("section length " + (1L << 40)));
    // A header over the header limit.
    List<Cid> roots = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      roots.add(Block.raw(bytes(1, i)).cid());
    }
    assertTrue(failure(car(roots, List.of()), new CarLimits(64, 4096)).getMessage().contains("header length"));
  }

  @Test
  void malformedHeadersAreClearErrors() throws IOException {
    record Case(byte[] cbor, String message) {
    }
    List<Case> cases = List.of(
        new Case(new byte[] {(byte) 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x01}, "no roots"),
        new Case(new byte[] {(byte) 0x81, 0x01}, "major type 4"),
        new Case(new byte[] {(byte) 0xa1, 0x63, 'f', 'o', 'o', 0x01}, "unknown field \"foo\""),
        new Case(new byte[] {(byte) 0xa2, 0x65, 'r', 'o', 'o', 't', 's', (byte) 0x9a, 0x7f, (byte) 0xff, (byte) 0xff,
            (byte) 0xff}, "claims"),
        new Case(new byte[] {(byte) 0xbf}, "indefinite"));
    for (Case c : cases) {
      byte[] car = new byte[c.cbor.length + 1];
      car[0] = (byte) c.cbor.length;
      System.arraycopy(c.cbor, 0, car, 1, c.cbor.length);
      CarFormatException e = failure(car);
      assertTrue(e.getMessage().contains(c.message), e.getMessage());
      assertEquals(0, e.offset());
    }
  }

  @Test
  void corruptedArchivesOnlyEverFailWithCarFormatException() throws IOException {
    // Seeded mutations of a small real archive (bytes flipped, cut, spliced): every outcome is either a
    // clean read of verified blocks or a CarFormatException, never another exception.
    List<Block> blocks = new ArrayList<>(blocks(6));
    blocks.add(new Block(Cid.v0(Multihash.digest(Multicodec.SHA2_256, bytes(40, 8))), bytes(40, 8)));
    byte[] car = car(List.of(blocks.get(1).cid()), blocks);
    Random random = new Random(2026);
    int failures = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] mutated = switch (round % 3) {
        case 0 -> {
          byte[] m = car.clone();
          for (int k = 0; k < 1 + random.nextInt(4); k++) {
            m[random.nextInt(m.length)] = (byte) random.nextInt(256);
          }
          yield m;
        }
        case 1 -> Arrays.copyOf(car, random.nextInt(car.length));
        default -> {
          int from = random.nextInt(car.length);
          int to = from + random.nextInt(car.length - from);
          byte[] m = new byte[car.length - (to - from)];
          System.arraycopy(car, 0, m, 0, from);
          System.arraycopy(car, to, m, from, car.length - to);
          yield m;
        }
      };
      try (CarReader r = Car.reader(new ByteArrayInputStream(mutated), CarLimits.DEFAULT)) {
        for (Block b : readAll(r)) {
          assertTrue(b.verify(), "a block returned is a verified block");
        }
      } catch (CarFormatException e) {
        failures++;
      }
    }
    assertTrue(failures > 2000, failures + " of 3000 mutations refused");
  }
}
