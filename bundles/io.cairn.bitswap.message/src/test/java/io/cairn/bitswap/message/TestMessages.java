package io.cairn.bitswap.message;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Blocks, CIDs and messages for the tests, and the spec's rule of what each protocol version carries. */
final class TestMessages {
  private TestMessages() {}

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static Cid raw(byte[] data) {
    return Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, data));
  }

  static Cid raw(String text) {
    return raw(bytes(text));
  }

  static Cid v0(byte[] data) {
    return Cid.v0(Multihash.digest(Multicodec.SHA2_256, data));
  }

  static Cid dagCborBlake2b(byte[] data) {
    return Cid.v1(Multicodec.DAG_CBOR, Multihash.digest(Multicodec.BLAKE2B_256, data));
  }

  static Cid rawSha512(byte[] data) {
    return Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_512, data));
  }

  static String hex(byte[] bytes) {
    return ByteBufUtil.hexDump(bytes);
  }

  static String hex(Cid cid) {
    return hex(cid.toBytes());
  }

  /** A pooled buffer, so that the leak detector tracks it (Netty tracks no unpooled heap buffer). */
  static ByteBuf buffer(byte[] bytes, int offset, int length) {
    return ByteBufAllocator.DEFAULT.buffer(length).writeBytes(bytes, offset, length);
  }

  static ByteBuf buffer(byte[] bytes) {
    return buffer(bytes, 0, bytes.length);
  }

  static ByteBuf buffer(String hex) {
    return buffer(ByteBufUtil.decodeHexDump(hex));
  }

  /** Encodes with the public API and returns the bytes, length prefix included. */
  static byte[] encode(BitswapMessage message, BitswapProtocol protocol) {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
    try {
      BitswapCodec.encode(message, protocol, out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  /** Encodes and returns the body alone, without the length prefix. */
  static ByteBuf body(BitswapMessage message, BitswapProtocol protocol) {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
    BitswapCodec.encode(message, protocol, out);
    int length = (int) readVarint(out);
    if (length != out.readableBytes()) {
      out.release();
      throw new AssertionError("length prefix " + length + " but " + out.readableBytes() + " bytes follow");
    }
    return out;
  }

  static long readVarint(ByteBuf in) {
    return Varint.decodeProtobuf(() -> in.isReadable() ? in.readUnsignedByte() : -1);
  }

  static BitswapMessage decode(ByteBuf body) {
    try {
      return BitswapCodec.decode(body, MessageLimits.DEFAULT);
    } finally {
      body.release();
    }
  }

  /** What a peer of {@code protocol} receives of {@code message}: the spec's list, restated on its own. */
  static BitswapMessage asCarriedBy(BitswapMessage message, BitswapProtocol protocol) {
    if (protocol == BitswapProtocol.V1_2_0) {
      return message;
    }
    List<WantlistEntry> wants = new ArrayList<>();
    for (WantlistEntry e : message.wantlist()) {
      if (e.type() == WantType.BLOCK) {
        wants.add(new WantlistEntry(e.cid(), e.priority(), e.cancel(), e.type(), false));
      }
    }
    List<BlockPayload> blocks = new ArrayList<>();
    for (BlockPayload b : message.blocks()) {
      if (protocol == BitswapProtocol.V1_1_0 || b.prefix().equals(CidPrefix.V0)) {
        blocks.add(b);
      }
    }
    return new BitswapMessage(wants, message.full(), blocks, List.of(), 0);
  }

  /** A message with a bit of everything, sizes and values drawn to cross varint boundaries. */
  static BitswapMessage random(Random random) {
    List<WantlistEntry> wants = new ArrayList<>();
    for (int i = random.nextInt(4) == 0 ? 0 : random.nextInt(40); i > 0; i--) {
      wants.add(new WantlistEntry(randomCid(random), randomInt(random), random.nextBoolean(),
          random.nextBoolean() ? WantType.BLOCK : WantType.HAVE, random.nextBoolean()));
    }
    List<BlockPayload> blocks = new ArrayList<>();
    for (int i = random.nextInt(3) == 0 ? 0 : random.nextInt(6); i > 0; i--) {
      byte[] data = new byte[random.nextInt(8) == 0 ? random.nextInt(20_000) : random.nextInt(300)];
      random.nextBytes(data);
      Cid cid = switch (random.nextInt(4)) {
        case 0 -> v0(data);
        case 1 -> dagCborBlake2b(data);
        case 2 -> rawSha512(data);
        default -> raw(data);
      };
      blocks.add(BlockPayload.of(cid, data));
    }
    List<BlockPresence> presences = new ArrayList<>();
    for (int i = random.nextInt(3) == 0 ? 0 : random.nextInt(20); i > 0; i--) {
      presences.add(new BlockPresence(randomCid(random), random.nextBoolean() ? PresenceType.HAVE : PresenceType.DONT_HAVE));
    }
    return new BitswapMessage(wants, random.nextBoolean(), blocks, presences, random.nextBoolean() ? 0 : randomInt(random));
  }

  static Cid randomCid(Random random) {
    byte[] seed = new byte[8];
    random.nextBytes(seed);
    return switch (random.nextInt(4)) {
      case 0 -> v0(seed);
      case 1 -> dagCborBlake2b(seed);
      case 2 -> rawSha512(seed);
      default -> raw(seed);
    };
  }

  /** Zero, small, around the one- and two-byte varint edges, huge, negative. */
  static int randomInt(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> 1 + random.nextInt(127);
      case 2 -> 120 + random.nextInt(20);
      case 3 -> 16_380 + random.nextInt(10);
      case 4 -> random.nextInt();
      default -> random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    };
  }
}
