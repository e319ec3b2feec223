package io.cairn.bitswap.message;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.cairn.bitswap.message.pb.BitswapProto.Message;
import io.cairn.multiformats.Cid;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rival of {@link BitswapCodec} built on protobuf-java's generated code (bench/src/main/protobuf),
 * doing the same job as well as that library allows: a {@link BitswapMessage} to a length-prefixed
 * message in a Netty buffer and a body back, with no avoidable copy (arrays wrapped, not copied, on the
 * way out; the input aliased on the way in, so that the only copies are the CIDs' and blocks' arrays, as
 * in the hand-written codec). Bitswap 1.2.0 only, and without the limit checks the hand-written
 * decoder makes, which only flatters this one.
 */
final class ProtobufCodec {
  private ProtobufCodec() {}

  static Message toProto(BitswapMessage message) {
    Message.Builder builder = Message.newBuilder();
    if (!message.wantlist().isEmpty() || message.full()) {
      Message.Wantlist.Builder wantlist = Message.Wantlist.newBuilder().setFull(message.full());
      for (WantlistEntry entry : message.wantlist()) {
        wantlist.addEntries(Message.Wantlist.Entry.newBuilder()
            .setBlock(wrap(entry.cid().toBytes()))
            .setPriority(entry.priority())
            .setCancel(entry.cancel())
            .setWantTypeValue(entry.type() == WantType.HAVE ? 1 : 0)
            .setSendDontHave(entry.sendDontHave()));
      }
      builder.setWantlist(wantlist);
    }
    for (BlockPayload block : message.blocks()) {
      builder.addPayload(Message.Block.newBuilder().setPrefix(wrap(block.prefix().toBytes())).setData(wrap(block.data())));
    }
    for (BlockPresence presence : message.presences()) {
      builder.addBlockPresences(Message.BlockPresence.newBuilder()
          .setCid(wrap(presence.cid().toBytes()))
          .setTypeValue(presence.type() == PresenceType.DONT_HAVE ? 1 : 0));
    }
    return builder.setPendingBytes(message.pendingBytes()).build();
  }

  /** Writes the length prefix and the message through one CodedOutputStream over the buffer's memory. */
  static void write(Message message, ByteBuf out) {
    int size = message.getSerializedSize();
    int total = CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    out.ensureWritable(total);
    CodedOutputStream stream = CodedOutputStream.newInstance(out.nioBuffer(out.writerIndex(), total));
    try {
      stream.writeUInt32NoTag(size);
      message.writeTo(stream);
      stream.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.writerIndex(out.writerIndex() + total);
  }

  static void encode(BitswapMessage message, ByteBuf out) {
    write(toProto(message), out);
  }

  /** Parses the readable bytes of {@code body} (one message body), aliasing them rather than copying. */
  static Message parse(ByteBuf body) {
    CodedInputStream stream = CodedInputStream.newInstance(body.nioBuffer());
    stream.enableAliasing(true);
    try {
      return Message.parseFrom(stream);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BitswapMessage fromProto(Message message) {
    List<WantlistEntry> wants = new ArrayList<>(message.getWantlist().getEntriesCount());
    for (Message.Wantlist.Entry entry : message.getWantlist().getEntriesList()) {
      wants.add(new WantlistEntry(Cid.fromBytes(entry.getBlock().toByteArray()), entry.getPriority(), entry.getCancel(),
          entry.getWantTypeValue() == 1 ? WantType.HAVE : WantType.BLOCK, entry.getSendDontHave()));
    }
    List<BlockPayload> blocks = new ArrayList<>(message.getBlocksCount() + message.getPayloadCount());
    for (ByteString data : message.getBlocksList()) {
      blocks.add(new BlockPayload(CidPrefix.V0, data.toByteArray()));
    }
    for (Message.Block block : message.getPayloadList()) {
      blocks.add(new BlockPayload(CidPrefix.decode(block.getPrefix().toByteArray()), block.getData().toByteArray()));
    }
    List<BlockPresence> presences = new ArrayList<>(message.getBlockPresencesCount());
    for (Message.BlockPresence presence : message.getBlockPresencesList()) {
      int type = presence.getTypeValue();
      if (type == 0 || type == 1) {
        presences.add(new BlockPresence(Cid.fromBytes(presence.getCid().toByteArray()),
            type == 0 ? PresenceType.HAVE : PresenceType.DONT_HAVE));
      }
    }
    return new BitswapMessage(wants, message.getWantlist().getFull(), blocks, presences, message.getPendingBytes());
  }

  static BitswapMessage decode(ByteBuf body) {
    return fromProto(parse(body));
  }

  private static ByteString wrap(byte[] bytes) {
    return UnsafeByteOperations.unsafeWrap(bytes);
  }
}
