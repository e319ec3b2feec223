package io.cairn.bitswap.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written codec against protobuf-java's generated code for the same .proto, the reference
 * implementation of the wire format: for random 1.2.0 messages both write the same bytes, and each reads
 * what the other wrote to the same message. (The benchmark compares their speed; this, that they agree.)
 */
class ProtobufAgreementTest {
  @Test
  void bothCodecsWriteTheSameBytesAndReadEachOther() {
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      BitswapMessage message = randomMessage(random);
      ByteBuf hand = Unpooled.buffer();
      ByteBuf protobuf = Unpooled.buffer();
      try {
        BitswapCodec.encode(message, BitswapProtocol.V1_2_0, hand);
        ProtobufCodec.encode(message, protobuf);
        assertArrayEquals(ByteBufUtil.getBytes(protobuf), ByteBufUtil.getBytes(hand), message.toString());
        skipLengthPrefix(hand);
        skipLengthPrefix(protobuf);
        assertEquals(message, ProtobufCodec.decode(hand.duplicate()));
        assertEquals(message, BitswapCodec.decode(protobuf, MessageLimits.DEFAULT));
      } finally {
        hand.release();
        protobuf.release();
      }
    }
  }

  @Test
  void version100BlocksReadTheSameWay() {
    byte[] data = {1, 2, 3};
    BitswapMessage message = BitswapMessage.blocks(List.of(new BlockPayload(CidPrefix.V0, data)));
    ByteBuf body = Unpooled.wrappedBuffer(ProtobufCodec.toProto(message).toBuilder().clearPayload()
        .addBlocks(com.google.protobuf.ByteString.copyFrom(data)).build().toByteArray());
    assertEquals(message, BitswapCodec.decode(body.duplicate(), MessageLimits.DEFAULT));
    assertEquals(message, ProtobufCodec.decode(body));
  }

  private static void skipLengthPrefix(ByteBuf buf) {
    while (buf.readByte() < 0) {
      // continuation bytes of the varint
    }
  }

  private static BitswapMessage randomMessage(Random random) {
    List<WantlistEntry> wants = new ArrayList<>();
    for (int i = random.nextInt(3) == 0 ? 0 : random.nextInt(30); i > 0; i--) {
      wants.add(new WantlistEntry(cid(random), randomInt(random), random.nextBoolean(),
          random.nextBoolean() ? WantType.HAVE : WantType.BLOCK, random.nextBoolean()));
    }
    List<BlockPayload> blocks = new ArrayList<>();
    for (int i = random.nextInt(3) == 0 ? 0 : random.nextInt(5); i > 0; i--) {
      byte[] data = new byte[random.nextInt(10) == 0 ? 0 : random.nextInt(3000)];
      random.nextBytes(data);
      blocks.add(BlockPayload.of(random.nextBoolean() ? cid(random) : Cid.v0(Multihash.digest(Multicodec.SHA2_256, data)), data));
    }
    List<BlockPresence> presences = new ArrayList<>();
    for (int i = random.nextInt(3) == 0 ? 0 : random.nextInt(10); i > 0; i--) {
      presences.add(new BlockPresence(cid(random), random.nextBoolean() ? PresenceType.HAVE : PresenceType.DONT_HAVE));
    }
    return new BitswapMessage(wants, random.nextBoolean(), blocks, presences, randomInt(random));
  }

  private static Cid cid(Random random) {
    byte[] seed = new byte[4];
    random.nextBytes(seed);
    Multicodec function = random.nextBoolean() ? Multicodec.SHA2_256 : Multicodec.BLAKE2B_256;
    Multicodec codec = random.nextBoolean() ? Multicodec.RAW : Multicodec.DAG_CBOR;
    return Cid.v1(codec, Multihash.digest(function, seed));
  }

  private static int randomInt(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> 0;
      case 1 -> random.nextInt(200);
      case 2 -> Integer.MAX_VALUE - random.nextInt(1000);
      case 3 -> -1 - random.nextInt(1000);
      default -> random.nextInt();
    };
  }
}
