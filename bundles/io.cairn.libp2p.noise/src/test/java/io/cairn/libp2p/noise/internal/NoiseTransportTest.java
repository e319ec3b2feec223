package io.cairn.libp2p.noise.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import io.cairn.libp2p.spi.SecureSession;
import io.cairn.node.config.Configs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The component's {@code secure()} over two channels joined back to back. */
class NoiseTransportTest {
  private static final String YAMUX = "/yamux/1.0.0";
  private static final String MPLEX = "/mplex/6.7.0";

  private final TestIdentity aliceIdentity = new TestIdentity();
  private final TestIdentity bobIdentity = new TestIdentity();
  private final TestLog aliceLog = new TestLog();
  private final TestLog bobLog = new TestLog();
  private final NoiseTransport alice = new NoiseTransport(aliceIdentity, aliceLog.logger, Configs.defaults(NoiseConfig.class));
  private NoiseTransport bob = new NoiseTransport(bobIdentity, bobLog.logger, Configs.defaults(NoiseConfig.class));
  private final Wire wire = new Wire();

  static NoiseConfig config(int handshakeTimeout, int maxFrameLength) {
    return (NoiseConfig) Proxy.newProxyInstance(NoiseConfig.class.getClassLoader(), new Class<?>[] {NoiseConfig.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "handshakeTimeout" -> handshakeTimeout;
          case "maxFrameLength" -> maxFrameLength;
          case "annotationType" -> NoiseConfig.class;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /** The failure a handshake future ended with; fails the test if it did not fail with a NoiseException. */
  static NoiseException failure(CompletableFuture<?> future) {
    assertTrue(future.isDone(), "the handshake is still running");
    Throwable cause = future.handle((value, failure) -> failure).join();
    return assertInstanceOf(NoiseException.class, cause, "the handshake should have failed");
  }

  /** Our handlers in {@code channel}'s pipeline, by name. */
  private static List<String> handlers(EmbeddedChannel channel) {
    return channel.pipeline().names().stream().filter(name -> !name.contains("TailContext")).toList();
  }

  private SecureSession[] handshake(List<String> aliceMuxers, List<String> bobMuxers) {
    CompletableFuture<SecureSession> dialled = alice.secure(wire.a, true, Optional.of(bobIdentity.peerId()), aliceMuxers);
    CompletableFuture<SecureSession> accepted = bob.secure(wire.b, false, Optional.empty(), bobMuxers);
    wire.pump();
    return new SecureSession[] {dialled.join(), accepted.join()};
  }

  /** Reads what arrived at {@code channel} as plaintext, releasing every buffer. */
  private static byte[] received(EmbeddedChannel channel) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (ByteBuf part = channel.readInbound(); part != null; part = channel.readInbound()) {
      byte[] bytes = new byte[part.readableBytes()];
      part.readBytes(bytes);
      assertTrue(part.release());
      assertEquals(0, part.refCnt());
      all.writeBytes(bytes);
    }
    return all.toByteArray();
  }

  private void finish() {
    assertFalse(wire.a.finish(), "nothing left unread on alice's channel");
    assertFalse(wire.b.finish(), "nothing left unread on bob's channel");
  }

  @Test
  void theHandshakeProvesBothIdentitiesAndLeavesTheCodecInThePipeline() {
    CompletableFuture<SecureSession> dialled = alice.secure(wire.a, true, Optional.of(bobIdentity.peerId()), List.of(YAMUX));
    CompletableFuture<SecureSession> accepted = bob.secure(wire.b, false, Optional.empty(), List.of(YAMUX));
    assertEquals(List.of(NoiseFrameDecoder.NAME, NoiseHandshakeHandler.NAME), handlers(wire.a));
    wire.pump();

    SecureSession atAlice = dialled.join();
    assertEquals(bobIdentity.peerId(), atAlice.remotePeer());
    assertEquals(bobIdentity.publicKey(), atAlice.remoteKey());
    SecureSession atBob = accepted.join();
    assertEquals(aliceIdentity.peerId(), atBob.remotePeer());
    assertEquals(aliceIdentity.publicKey(), atBob.remoteKey());
    assertEquals(List.of(NoiseFrameDecoder.NAME, NoiseTransportCodec.NAME), handlers(wire.a));
    assertEquals(List.of(NoiseFrameDecoder.NAME, NoiseTransportCodec.NAME), handlers(wire.b));
    assertEquals("/noise", alice.protocolId());
    finish();
  }

  @Test
  void dataFlowsBothWaysAndLargeWritesAreCutIntoFrames() {
    handshake(List.of(YAMUX), List.of(YAMUX));
    wire.a.writeAndFlush(Unpooled.copiedBuffer("hello bob", UTF_8));
    wire.b.writeAndFlush(Unpooled.directBuffer().writeBytes("hello alice".getBytes(UTF_8)));
    wire.pump();
    assertEquals("hello bob", new String(received(wire.b), UTF_8));
    assertEquals("hello alice", new String(received(wire.a), UTF_8));

    byte[] mebibyte = new byte[1 << 20];
    new Random(1).nextBytes(mebibyte);
    for (ByteBuf plaintext : List.of(Unpooled.wrappedBuffer(mebibyte), Unpooled.directBuffer().writeBytes(mebibyte))) {
      ChannelFuture written = wire.b.writeAndFlush(plaintext);
      assertTrue(written.isSuccess());
      assertEquals(0, plaintext.refCnt(), "the codec released the plaintext");
      ByteBuf onTheWire = Wire.written(wire.b);
      int frames = 0;
      for (int at = onTheWire.readerIndex(); at < onTheWire.writerIndex(); at += 2 + onTheWire.getUnsignedShort(at)) {
        assertTrue(onTheWire.getUnsignedShort(at) <= 65535);
        frames++;
      }
      int expectedFrames = (mebibyte.length + NoiseTransportCodec.MAX_PLAINTEXT - 1) / NoiseTransportCodec.MAX_PLAINTEXT;
      assertEquals(expectedFrames, frames);
      assertEquals(mebibyte.length + frames * (2 + CipherState.TAG_LENGTH), onTheWire.readableBytes());
      wire.a.writeInbound(onTheWire);
      assertArrayEquals(mebibyte, received(wire.a));
    }
    finish();
  }

  @Test
  void bytesRightAfterTheLastHandshakeMessageReachTheCodec() {
    CompletableFuture<SecureSession> dialled = alice.secure(wire.a, true, Optional.empty(), List.of());
    CompletableFuture<SecureSession> accepted = bob.secure(wire.b, false, Optional.empty(), List.of());
    wire.b.writeInbound(Wire.written(wire.a)); // message 1
    wire.a.writeInbound(Wire.written(wire.b)); // message 2: alice is done and sends message 3
    dialled.join();
    wire.a.writeAndFlush(Unpooled.copiedBuffer("early", UTF_8));
    wire.b.writeInbound(Wire.written(wire.a)); // message 3 and the first transport message, in one read
    accepted.join();
    assertEquals("early", new String(received(wire.b), UTF_8));
    finish();
  }

  @Test
  void earlyMuxerNegotiationFollowsTheInitiatorsPreference() {
    SecureSession[] sessions = handshake(List.of(YAMUX, MPLEX), List.of(MPLEX, YAMUX));
    assertEquals(Optional.of(YAMUX), sessions[0].earlyMuxer());
    assertEquals(Optional.of(YAMUX), sessions[1].earlyMuxer());
    finish();
  }

  @Test
  void aSideWithoutMuxersLeavesTheChoiceToMultistreamSelect() {
    SecureSession[] sessions = handshake(List.of(YAMUX), List.of());
    assertEquals(Optional.empty(), sessions[0].earlyMuxer());
    assertEquals(Optional.empty(), sessions[1].earlyMuxer());
    finish();
  }

  @Test
  void noCommonMuxerFailsTheHandshake() {
    CompletableFuture<SecureSession> dialled = alice.secure(wire.a, true, Optional.empty(), List.of(YAMUX));
    CompletableFuture<SecureSession> accepted = bob.secure(wire.b, false, Optional.empty(), List.of(MPLEX));
    wire.pump();
    assertEquals(Reason.NO_COMMON_MUXER, failure(dialled).reason());
    assertEquals(Reason.CONNECTION_CLOSED, failure(accepted).reason());
    assertFalse(wire.a.isOpen());
    finish();
  }

  @Test
  void chooseMuxerTakesTheFirstOfTheInitiatorsThatTheResponderLists() throws NoiseException {
    assertEquals(Optional.of("b"), NoiseHandshakeHandler.chooseMuxer(List.of("x", "b", "a"), List.of("a", "b")));
    assertEquals(Optional.empty(), NoiseHandshakeHandler.chooseMuxer(List.of(), List.of("a")));
    assertEquals(Optional.empty(), NoiseHandshakeHandler.chooseMuxer(List.of("a"), List.of()));
    assertThrows(NoiseException.class, () -> NoiseHandshakeHandler.chooseMuxer(List.of("a"), List.of("b")));
  }

  @Test
  void aPeerOtherThanTheOneDialledIsRefused() {
    TestIdentity carol = new TestIdentity();
    CompletableFuture<SecureSession> dialled = alice.secure(wire.a, true, Optional.of(carol.peerId()), List.of());
    CompletableFuture<SecureSession> accepted = bob.secure(wire.b, false, Optional.empty(), List.of());
    wire.pump();
    NoiseException e = failure(dialled);
    assertEquals(Reason.UNEXPECTED_PEER, e.reason());
    assertTrue(e.getMessage().contains(carol.peerId().toString()) && e.getMessage().contains(bobIdentity.peerId().toString()),
        e.getMessage());
    assertEquals(Reason.CONNECTION_CLOSED, failure(accepted).reason());
    assertFalse(wire.a.isOpen());
    finish();
  }

  @Test
  void aFrameCutShortByTheConnectionEndingFailsTheHandshake() {
    CompletableFuture<SecureSession> accepted = bob.secure(wire.b, false, Optional.empty(), List.of());
    wire.b.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 32, 1, 2, 3}));
    assertFalse(accepted.isDone());
    wire.b.close();
    assertEquals(Reason.TRUNCATED_FRAME, failure(accepted).reason());
    finish();
  }

  @Test
  void aFrameCutShortAfterTheHandshakeIsReported() {
    handshake(List.of(), List.of());
    wire.b.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 32, 1, 2, 3}));
    wire.b.close();
    NoiseException e = assertThrows(NoiseException.class, wire.b::checkException);
    assertEquals(Reason.TRUNCATED_FRAME, e.reason());
    finish();
  }

  @Test
  void aLengthOverTheLimitIsRefusedBeforeItsBytesArrive() {
    bob = new NoiseTransport(bobIdentity, bobLog.logger, config(10_000, 1000));
    CompletableFuture<SecureSession> accepted = bob.secure(wire.b, false, Optional.empty(), List.of());
    wire.b.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x03, (byte) 0xe9})); // 1001
    NoiseException e = failure(accepted);
    assertEquals(Reason.FRAME_TOO_LONG, e.reason());
    assertTrue(e.getMessage().contains("1001"), e.getMessage());
    assertFalse(wire.b.isOpen());
    finish();
  }

  @Test
  void aFrameOverTheLimitAfterTheHandshakeClosesTheSession() {
    bob = new NoiseTransport(bobIdentity, bobLog.logger, config(10_000, 1000));
    handshake(List.of(), List.of());
    wire.a.writeAndFlush(Unpooled.wrappedBuffer(new byte[2000]));
    ByteBuf frame = Wire.written(wire.a);
    NoiseException e = assertThrows(NoiseException.class, () -> wire.b.writeInbound(frame));
    assertFalse(wire.b.isOpen());
    assertEquals(Reason.FRAME_TOO_LONG, e.reason());
    assertTrue(bobLog.has("INFO", "over the limit of 1000"), bobLog.lines.toString());
    assertNull(wire.b.readInbound());
    finish();
  }

  @Test
  void aFlippedBitInATransportFrameClosesTheSession() {
    handshake(List.of(), List.of());
    wire.a.writeAndFlush(Unpooled.copiedBuffer("attack at dawn", UTF_8));
    ByteBuf frame = Wire.written(wire.a);
    frame.setByte(5, frame.getByte(5) ^ 0x10);
    NoiseException e = assertThrows(NoiseException.class, () -> wire.b.writeInbound(frame));
    assertFalse(wire.b.isOpen());
    assertEquals(Reason.DECRYPTION_FAILED, e.reason());
    assertTrue(bobLog.has("INFO", "authentication failed"), bobLog.lines.toString());
    assertNull(wire.b.readInbound());
    finish();
  }

  /** Alice dials a responder played by hand with HandshakeState, so that its payload can be anything. */
  private CompletableFuture<SecureSession> dialHandPlayedResponder(X25519.KeyPair staticKey, byte[] payload)
      throws NoiseException {
    CompletableFuture<SecureSession> dialled = alice.secure(wire.a, true, Optional.empty(), List.of());
    HandshakeState responder = new HandshakeState(false, new byte[0], staticKey, X25519::generate);
    responder.readMessage(Wire.message(wire.a));
    wire.a.writeInbound(Wire.frame(responder.writeMessage(payload)));
    return dialled;
  }

  @Test
  void aSignatureOverAnotherStaticKeyIsRefused() throws NoiseException {
    byte[] otherKey = X25519.generate().publicKey();
    byte[] payload = new HandshakePayload(bobIdentity.publicKey().toProtobuf(),
        bobIdentity.sign(HandshakePayload.signedData(otherKey)), List.of()).encode();
    CompletableFuture<SecureSession> dialled = dialHandPlayedResponder(X25519.generate(), payload);
    assertEquals(Reason.BAD_SIGNATURE, failure(dialled).reason());
    assertFalse(wire.a.isOpen());
    assertTrue(aliceLog.has("DEBUG", "did not sign its static Noise key"), aliceLog.lines.toString());
    finish();
  }

  @Test
  void aGarbagePayloadIsRefused() throws NoiseException {
    CompletableFuture<SecureSession> dialled = dialHandPlayedResponder(X25519.generate(), new byte[] {0x0a, 0x40, 1, 2});
    NoiseException e = failure(dialled);
    assertEquals(Reason.MALFORMED_MESSAGE, e.reason());
    assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    assertFalse(wire.a.isOpen());
    finish();
  }

  @Test
  void anRsaIdentityKeyOf1024BitsIsRefused() throws GeneralSecurityException, NoiseException {
    X25519.KeyPair staticKey = X25519.generate();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair rsa = generator.generateKeyPair();
    byte[] spki = rsa.getPublic().getEncoded();
    ByteArrayOutputStream keyProtobuf = new ByteArrayOutputStream();
    keyProtobuf.writeBytes(new byte[] {0x08, 0x00, 0x12, (byte) (spki.length | 0x80), (byte) (spki.length >>> 7)});
    keyProtobuf.writeBytes(spki);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(rsa.getPrivate());
    signer.update(HandshakePayload.signedData(staticKey.publicKey()));
    byte[] payload = new HandshakePayload(keyProtobuf.toByteArray(), signer.sign(), List.of()).encode();

    NoiseException e = failure(dialHandPlayedResponder(staticKey, payload));
    assertEquals(Reason.INVALID_IDENTITY_KEY, e.reason());
    assertTrue(e.getMessage().contains("1024"), e.getMessage());
    finish();
  }

  @Test
  void aHandshakeThatTakesTooLongIsAbandoned() {
    NoiseTransport impatient = new NoiseTransport(aliceIdentity, aliceLog.logger, config(500, 65535));
    wire.a.freezeTime(); // the channel's clock moves only when told
    CompletableFuture<SecureSession> dialled = impatient.secure(wire.a, true, Optional.empty(), List.of());
    wire.a.advanceTimeBy(499, TimeUnit.MILLISECONDS);
    wire.a.runScheduledPendingTasks();
    assertFalse(dialled.isDone());
    wire.a.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    wire.a.runScheduledPendingTasks();
    assertEquals(Reason.TIMEOUT, failure(dialled).reason());
    assertFalse(wire.a.isOpen());
    wire.a.releaseOutbound(); // message 1, which nobody read
    finish();
  }

  @Test
  void theTimeoutEndsWithTheHandshake() {
    NoiseTransport impatient = new NoiseTransport(aliceIdentity, aliceLog.logger, config(500, 65535));
    impatient.secure(wire.a, true, Optional.empty(), List.of());
    bob.secure(wire.b, false, Optional.empty(), List.of());
    wire.pump();
    wire.a.advanceTimeBy(1, TimeUnit.SECONDS);
    wire.a.runScheduledPendingTasks();
    assertTrue(wire.a.isOpen());
    finish();
  }

  @Test
  void anInvalidConfigurationKeepsTheSettingsInForce() {
    TestLog log = new TestLog();
    NoiseTransport transport = new NoiseTransport(aliceIdentity, log.logger, config(50, 65535));
    assertEquals(new NoiseTransport.Settings(10_000, 65535), transport.settings());
    assertTrue(log.has("WARN", "handshakeTimeout"), log.lines.toString());

    transport.modified(config(2000, 1000));
    assertEquals(new NoiseTransport.Settings(2000, 1000), transport.settings());
    transport.modified(config(2000, 70_000));
    assertEquals(new NoiseTransport.Settings(2000, 1000), transport.settings());
    assertTrue(log.has("WARN", "maxFrameLength"), log.lines.toString());
  }
}
