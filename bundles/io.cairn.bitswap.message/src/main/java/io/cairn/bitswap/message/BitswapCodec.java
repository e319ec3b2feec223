package io.cairn.bitswap.message;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The bitswap message protobuf, hand-written (no protobuf runtime): boxo's message.proto field numbers,
 * proto3 rules (fields at their default value are not written; unknown fields are skipped; a repeated
 * singular message merges), every length checked against what remains before anything is read or
 * allocated for it.
 *
 * <p>Encoding writes straight into the caller's buffer after computing the exact size. Decoding reads the
 * buffer by index; the only copies it makes are the CIDs' bytes and each block's data.
 *
 * <pre>
 * Message  { Wantlist wantlist = 1; repeated bytes blocks = 2; repeated Block payload = 3;
 *            repeated BlockPresence blockPresences = 4; int32 pendingBytes = 5; }
 * Wantlist { repeated Entry entries = 1; bool full = 2; }
 * Entry    { bytes block = 1; int32 priority = 2; bool cancel = 3; WantType wantType = 4; bool sendDontHave = 5; }
 * Block    { bytes prefix = 1; bytes data = 2; }
 * BlockPresence { bytes cid = 1; BlockPresenceType type = 2; }
 * </pre>
 */
public final class BitswapCodec {
  private static final int MESSAGE_WANTLIST = 1;
  private static final int MESSAGE_BLOCKS = 2;
  private static final int MESSAGE_PAYLOAD = 3;
  private static final int MESSAGE_PRESENCES = 4;
  private static final int MESSAGE_PENDING_BYTES = 5;
  private static final int WANTLIST_ENTRIES = 1;
  private static final int WANTLIST_FULL = 2;
  private static final int ENTRY_BLOCK = 1;
  private static final int ENTRY_PRIORITY = 2;
  private static final int ENTRY_CANCEL = 3;
  private static final int ENTRY_WANT_TYPE = 4;
  private static final int ENTRY_SEND_DONT_HAVE = 5;
  private static final int BLOCK_PREFIX = 1;
  private static final int BLOCK_DATA = 2;
  private static final int PRESENCE_CID = 1;
  private static final int PRESENCE_TYPE = 2;

  /** A bool or enum field set to 1: its tag and the one byte of its value. */
  private static final int FLAG_FIELD_SIZE = 2;

  private BitswapCodec() {}

  /**
   * @return the exact size of the message body {@link #encode} writes for {@code protocol}, without the
   *         length prefix
   * @throws MessageTooLargeException if the body would exceed {@link MessageLimits#MAX_MESSAGE_BYTES},
   *         which no receiver accepts
   */
  public static int encodedSize(BitswapMessage message, BitswapProtocol protocol) {
    long size = 0;
    long wantlist = wantlistSize(message, protocol);
    if (wantlist >= 0) {
      size += Wire.lengthDelimitedSize(wantlist);
    }
    List<BlockPayload> blocks = message.blocks();
    for (int i = 0; i < blocks.size(); i++) {
      BlockPayload block = blocks.get(i);
      if (protocol.supportsPayload()) {
        size += Wire.lengthDelimitedSize(payloadSize(block));
      } else if (block.prefix().equals(CidPrefix.V0)) {
        size += Wire.lengthDelimitedSize(block.data().length);
      }
    }
    if (protocol.supportsHave()) {
      List<BlockPresence> presences = message.presences();
      for (int i = 0; i < presences.size(); i++) {
        size += Wire.lengthDelimitedSize(presenceSize(presences.get(i)));
      }
      if (message.pendingBytes() != 0) {
        size += 1 + Wire.int32Size(message.pendingBytes());
      }
    }
    if (size > MessageLimits.MAX_MESSAGE_BYTES) {
      throw new MessageTooLargeException("message of " + size + " bytes is over the limit of "
          + MessageLimits.MAX_MESSAGE_BYTES);
    }
    return (int) size;
  }

  /**
   * Writes the message as the stream carries it: its body length as an unsigned varint, then the body,
   * with what {@code protocol} can carry:
   * <ul>
   * <li>1.2.0: everything;</li>
   * <li>1.1.0: no HAVE entries, no presences, no pending bytes (1.2.0 additions), no sendDontHave flag;</li>
   * <li>1.0.0: as 1.1.0, and blocks as bare data (field 2): only CIDv0 blocks, since the receiver takes
   * every 1.0.0 block for a CIDv0 and could verify no other.</li>
   * </ul>
   * The buffer grows once, to the exact size, if it has to.
   *
   * @throws MessageTooLargeException if the body would exceed {@link MessageLimits#MAX_MESSAGE_BYTES}
   */
  public static void encode(BitswapMessage message, BitswapProtocol protocol, ByteBuf out) {
    encode(message, protocol, encodedSize(message, protocol), out);
  }

  /** {@link #encode(BitswapMessage, BitswapProtocol, ByteBuf)} of a body whose size is already known. */
  static void encode(BitswapMessage message, BitswapProtocol protocol, int bodySize, ByteBuf out) {
    out.ensureWritable(Wire.varintSize(bodySize) + bodySize);
    Wire.writeVarint(out, bodySize);
    int bodyStart = out.writerIndex();
    long wantlist = wantlistSize(message, protocol);
    if (wantlist >= 0) {
      Wire.writeLengthDelimited(out, MESSAGE_WANTLIST, wantlist);
      writeWantlist(message, protocol, out);
    }
    List<BlockPayload> blocks = message.blocks();
    for (int i = 0; i < blocks.size(); i++) {
      BlockPayload block = blocks.get(i);
      if (protocol.supportsPayload()) {
        Wire.writeLengthDelimited(out, MESSAGE_PAYLOAD, payloadSize(block));
        Wire.writeLengthDelimited(out, BLOCK_PREFIX, block.prefix().encodedLength());
        block.prefix().writeTo(out);
        if (block.data().length > 0) {
          Wire.writeLengthDelimited(out, BLOCK_DATA, block.data().length);
          out.writeBytes(block.data());
        }
      } else if (block.prefix().equals(CidPrefix.V0)) {
        Wire.writeLengthDelimited(out, MESSAGE_BLOCKS, block.data().length);
        out.writeBytes(block.data());
      }
    }
    if (protocol.supportsHave()) {
      List<BlockPresence> presences = message.presences();
      for (int i = 0; i < presences.size(); i++) {
        BlockPresence presence = presences.get(i);
        Wire.writeLengthDelimited(out, MESSAGE_PRESENCES, presenceSize(presence));
        writeCid(out, PRESENCE_CID, presence.cid());
        if (presence.type() == PresenceType.DONT_HAVE) {
          out.writeByte(Wire.tag(PRESENCE_TYPE, Wire.VARINT)).writeByte(1);
        }
      }
      if (message.pendingBytes() != 0) {
        out.writeByte(Wire.tag(MESSAGE_PENDING_BYTES, Wire.VARINT));
        Wire.writeVarint(out, message.pendingBytes());
      }
    }
    assert out.writerIndex() - bodyStart == bodySize : "wrote " + (out.writerIndex() - bodyStart) + " of " + bodySize;
  }

  private static void writeWantlist(BitswapMessage message, BitswapProtocol protocol, ByteBuf out) {
    List<WantlistEntry> entries = message.wantlist();
    for (int i = 0; i < entries.size(); i++) {
      WantlistEntry entry = entries.get(i);
      if (!carries(protocol, entry)) {
        continue;
      }
      Wire.writeLengthDelimited(out, WANTLIST_ENTRIES, entrySize(entry, protocol));
      writeCid(out, ENTRY_BLOCK, entry.cid());
      if (entry.priority() != 0) {
        out.writeByte(Wire.tag(ENTRY_PRIORITY, Wire.VARINT));
        Wire.writeVarint(out, entry.priority());
      }
      if (entry.cancel()) {
        out.writeByte(Wire.tag(ENTRY_CANCEL, Wire.VARINT)).writeByte(1);
      }
      if (entry.type() == WantType.HAVE) {
        out.writeByte(Wire.tag(ENTRY_WANT_TYPE, Wire.VARINT)).writeByte(1);
      }
      if (entry.sendDontHave() && protocol.supportsHave()) {
        out.writeByte(Wire.tag(ENTRY_SEND_DONT_HAVE, Wire.VARINT)).writeByte(1);
      }
    }
    if (message.full()) {
      out.writeByte(Wire.tag(WANTLIST_FULL, Wire.VARINT)).writeByte(1);
    }
  }

  private static void writeCid(ByteBuf out, int field, Cid cid) {
    Wire.writeLengthDelimited(out, field, cid.encodedLength());
    out.writeBytes(cid.toBytes());
  }

  /** @return the size of the Wantlist sub-message, or -1 if the message has none to send */
  private static long wantlistSize(BitswapMessage message, BitswapProtocol protocol) {
    long size = 0;
    boolean any = false;
    List<WantlistEntry> entries = message.wantlist();
    for (int i = 0; i < entries.size(); i++) {
      WantlistEntry entry = entries.get(i);
      if (carries(protocol, entry)) {
        size += Wire.lengthDelimitedSize(entrySize(entry, protocol));
        any = true;
      }
    }
    if (message.full()) {
      return size + FLAG_FIELD_SIZE;
    }
    return any ? size : -1;
  }

  /** Want-have entries exist from 1.2.0 on; an older peer could not answer them (nor have had one to cancel). */
  private static boolean carries(BitswapProtocol protocol, WantlistEntry entry) {
    return entry.type() == WantType.BLOCK || protocol.supportsHave();
  }

  private static int entrySize(WantlistEntry entry, BitswapProtocol protocol) {
    int size = (int) Wire.lengthDelimitedSize(entry.cid().encodedLength());
    if (entry.priority() != 0) {
      size += 1 + Wire.int32Size(entry.priority());
    }
    if (entry.cancel()) {
      size += FLAG_FIELD_SIZE;
    }
    if (entry.type() == WantType.HAVE) {
      size += FLAG_FIELD_SIZE;
    }
    if (entry.sendDontHave() && protocol.supportsHave()) {
      size += FLAG_FIELD_SIZE;
    }
    return size;
  }

  private static long payloadSize(BlockPayload block) {
    long size = Wire.lengthDelimitedSize(block.prefix().encodedLength());
    int data = block.data().length;
    return data > 0 ? size + Wire.lengthDelimitedSize(data) : size;
  }

  private static int presenceSize(BlockPresence presence) {
    int size = (int) Wire.lengthDelimitedSize(presence.cid().encodedLength());
    return presence.type() == PresenceType.DONT_HAVE ? size + FLAG_FIELD_SIZE : size;
  }

  /**
   * Decodes one message body (without its length prefix): every readable byte of {@code body}. On
   * success the reader index is at the end; the buffer is not released (its owner releases it).
   *
   * <p>Unknown fields are skipped; a wantlist entry or presence whose CID is longer than
   * {@link MessageLimits#maxCidBytes()} is dropped; a presence of an unknown type is dropped; an entry's
   * unknown want type reads as BLOCK. 1.0.0 blocks come back with the {@link CidPrefix#V0} prefix.
   *
   * @throws MessageTooLargeException if the body is longer than {@link MessageLimits#maxMessageBytes()}
   * @throws MalformedMessageException for a truncated varint or field, a length past the end, a known
   *         field with the wrong wire type, an unsupported wire type, more entries, blocks or presences
   *         than the limits, an entry or presence without a CID, an unparseable CID or CID prefix
   */
  public static BitswapMessage decode(ByteBuf body, MessageLimits limits) {
    int start = body.readerIndex();
    int end = body.writerIndex();
    if (end - start > limits.maxMessageBytes()) {
      throw new MessageTooLargeException("message of " + (end - start) + " bytes is over the limit of "
          + limits.maxMessageBytes());
    }
    BitswapMessage message = new Decoder(body, start, limits).message(end);
    body.readerIndex(end);
    return message;
  }

  /** The state of one decode: the reader and what has been read so far. */
  private static final class Decoder {
    private final WireReader in;
    private final MessageLimits limits;
    private List<WantlistEntry> wantlist = List.of();
    private boolean full;
    private List<BlockPayload> blocks = List.of();
    private List<BlockPresence> presences = List.of();
    private int pendingBytes;
    private int entriesRead;
    private int blocksRead;
    private int presencesRead;

    Decoder(ByteBuf body, int start, MessageLimits limits) {
      this.in = new WireReader(body, start, "message");
      this.limits = limits;
    }

    BitswapMessage message(int end) {
      while (in.position() < end) {
        in.enter("message", -1);
        int tag = in.tag(end);
        switch (tag >>> 3) {
          case MESSAGE_WANTLIST -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "wantlist");
            wantlist(in.length(end) + in.position());
          }
          case MESSAGE_BLOCKS -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "block");
            countBlock();
            int length = in.length(end);
            addBlock(new BlockPayload(CidPrefix.V0, in.bytes(in.position(), length)));
            in.skipBytes(length);
          }
          case MESSAGE_PAYLOAD -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "payload block");
            countBlock();
            payload(in.length(end) + in.position());
          }
          case MESSAGE_PRESENCES -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "block presence");
            if (++presencesRead > limits.maxPresences()) {
              throw in.malformed("more than " + limits.maxPresences() + " block presences");
            }
            presence(in.length(end) + in.position());
          }
          case MESSAGE_PENDING_BYTES -> {
            in.expect(tag, Wire.VARINT, "pendingBytes");
            pendingBytes = (int) in.varint(end);
          }
          default -> in.skip(tag, end);
        }
      }
      return new BitswapMessage(wantlist, full, blocks, presences, pendingBytes);
    }

    /** One Wantlist sub-message; a second one in the same message adds its entries (protobuf merge). */
    private void wantlist(int end) {
      while (in.position() < end) {
        in.enter("wantlist", -1);
        int tag = in.tag(end);
        switch (tag >>> 3) {
          case WANTLIST_ENTRIES -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "entry");
            if (++entriesRead > limits.maxWantlistEntries()) {
              throw in.malformed("more than " + limits.maxWantlistEntries() + " wantlist entries");
            }
            entry(in.length(end) + in.position());
          }
          case WANTLIST_FULL -> {
            in.expect(tag, Wire.VARINT, "full");
            full = in.varint(end) != 0;
          }
          default -> in.skip(tag, end);
        }
      }
    }

    private void entry(int end) {
      in.enter("wantlist entry", entriesRead - 1);
      int cidAt = -1;
      int cidLength = 0;
      int priority = 0;
      boolean cancel = false;
      WantType type = WantType.BLOCK;
      boolean sendDontHave = false;
      while (in.position() < end) {
        int tag = in.tag(end);
        switch (tag >>> 3) {
          case ENTRY_BLOCK -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "block");
            cidLength = in.length(end);
            cidAt = in.position();
            in.skipBytes(cidLength);
          }
          case ENTRY_PRIORITY -> {
            in.expect(tag, Wire.VARINT, "priority");
            priority = (int) in.varint(end);
          }
          case ENTRY_CANCEL -> {
            in.expect(tag, Wire.VARINT, "cancel");
            cancel = in.varint(end) != 0;
          }
          case ENTRY_WANT_TYPE -> {
            in.expect(tag, Wire.VARINT, "wantType");
            type = WantType.ofWire((int) in.varint(end));
          }
          case ENTRY_SEND_DONT_HAVE -> {
            in.expect(tag, Wire.VARINT, "sendDontHave");
            sendDontHave = in.varint(end) != 0;
          }
          default -> in.skip(tag, end);
        }
      }
      if (cidLength > limits.maxCidBytes()) {
        return;
      }
      Cid cid = cid(cidAt, cidLength);
      if (wantlist.isEmpty()) {
        wantlist = new ArrayList<>();
      }
      wantlist.add(new WantlistEntry(cid, priority, cancel, type, sendDontHave));
    }

    private void payload(int end) {
      in.enter("payload block", blocksRead - 1);
      int prefixAt = -1;
      int prefixLength = 0;
      int dataAt = 0;
      int dataLength = 0;
      while (in.position() < end) {
        int tag = in.tag(end);
        switch (tag >>> 3) {
          case BLOCK_PREFIX -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "prefix");
            prefixLength = in.length(end);
            prefixAt = in.position();
            in.skipBytes(prefixLength);
          }
          case BLOCK_DATA -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "data");
            dataLength = in.length(end);
            dataAt = in.position();
            in.skipBytes(dataLength);
          }
          default -> in.skip(tag, end);
        }
      }
      if (prefixAt < 0) {
        throw in.malformed("no CID prefix");
      }
      in.seek(prefixAt);
      CidPrefix prefix = CidPrefix.read(in, prefixAt + prefixLength);
      in.seek(end);
      addBlock(new BlockPayload(prefix, in.bytes(dataAt, dataLength)));
    }

    private void presence(int end) {
      in.enter("block presence", presencesRead - 1);
      int cidAt = -1;
      int cidLength = 0;
      int type = 0;
      while (in.position() < end) {
        int tag = in.tag(end);
        switch (tag >>> 3) {
          case PRESENCE_CID -> {
            in.expect(tag, Wire.LENGTH_DELIMITED, "cid");
            cidLength = in.length(end);
            cidAt = in.position();
            in.skipBytes(cidLength);
          }
          case PRESENCE_TYPE -> {
            in.expect(tag, Wire.VARINT, "type");
            type = (int) in.varint(end);
          }
          default -> in.skip(tag, end);
        }
      }
      if (cidLength > limits.maxCidBytes() || type < 0 || type > 1) {
        return;
      }
      Cid cid = cid(cidAt, cidLength);
      if (presences.isEmpty()) {
        presences = new ArrayList<>();
      }
      presences.add(new BlockPresence(cid, type == 0 ? PresenceType.HAVE : PresenceType.DONT_HAVE));
    }

    private Cid cid(int at, int length) {
      if (at < 0) {
        throw in.malformed("no CID");
      }
      try {
        return Cid.fromBytes(in.bytes(at, length), limits.maxCidBytes());
      } catch (MultiformatException e) {
        throw in.malformed("invalid CID: " + e.getMessage(), e);
      }
    }

    private void countBlock() {
      if (++blocksRead > limits.maxBlocks()) {
        throw in.malformed("more than " + limits.maxBlocks() + " blocks");
      }
    }

    private void addBlock(BlockPayload block) {
      if (blocks.isEmpty()) {
        blocks = new ArrayList<>();
      }
      blocks.add(block);
    }
  }
}
