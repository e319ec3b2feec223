package io.cairn.libp2p.noise.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HandshakeStateTest {
  private static final HexFormat HEX = HexFormat.of();

  /** One entry of {@code noise-xx-vectors.txt}: its key fields, and each message as payload and wire bytes. */
  record Vector(String name, Map<String, byte[]> fields, List<byte[][]> messages) {
    @Override
    public String toString() {
      return name;
    }

    X25519.KeyPair key(String field) {
      return TestKeys.x25519(fields.get(field));
    }
  }

  static List<Vector> vectors() throws IOException {
    List<Vector> vectors = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        HandshakeStateTest.class.getResourceAsStream("/noise-xx-vectors.txt"), StandardCharsets.UTF_8))) {
      Vector current = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.split(" ");
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        } else if (words[0].equals("vector")) {
          current = new Vector(words[1], new HashMap<>(), new ArrayList<>());
          vectors.add(current);
        } else if (words[0].equals("message")) {
          current.messages().add(new byte[][] {HEX.parseHex(words[1]), HEX.parseHex(words[2])});
        } else {
          current.fields().put(words[0], HEX.parseHex(words[1]));
        }
      }
    }
    return vectors;
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void handshakeAndTransportMessagesMatchTheVectorsByteForByte(Vector v) throws NoiseException {
    byte[] prologue = v.fields().get("prologue");
    HandshakeState initiator = new HandshakeState(true, prologue, v.key("init_static"), () -> v.key("init_ephemeral"));
    HandshakeState responder = new HandshakeState(false, prologue, v.key("resp_static"), () -> v.key("resp_ephemeral"));
    for (int i = 0; i < 3; i++) {
      HandshakeState writer = i % 2 == 0 ? initiator : responder;
      HandshakeState reader = i % 2 == 0 ? responder : initiator;
      byte[][] message = v.messages().get(i);
      byte[] wire = writer.writeMessage(message[0]);
      assertArrayEquals(message[1], wire, "handshake message " + (i + 1));
      assertArrayEquals(message[0], reader.readMessage(wire), "payload of handshake message " + (i + 1));
    }
    assertTrue(initiator.isComplete());
    assertTrue(responder.isComplete());
    assertArrayEquals(initiator.handshakeHash(), responder.handshakeHash());
    if (v.fields().containsKey("handshake_hash")) {
      assertArrayEquals(v.fields().get("handshake_hash"), initiator.handshakeHash());
    }
    assertArrayEquals(v.key("resp_static").publicKey(), initiator.remoteStaticKey());
    assertArrayEquals(v.key("init_static").publicKey(), responder.remoteStaticKey());

    HandshakeState.TransportKeys initiatorKeys = initiator.split();
    HandshakeState.TransportKeys responderKeys = responder.split();
    for (int i = 3; i < v.messages().size(); i++) {
      CipherState sender = i % 2 == 0 ? initiatorKeys.send() : responderKeys.send();
      CipherState receiver = i % 2 == 0 ? responderKeys.receive() : initiatorKeys.receive();
      byte[] payload = v.messages().get(i)[0];
      byte[] ciphertext = new byte[payload.length + CipherState.TAG_LENGTH];
      sender.encrypt(ByteBuffer.wrap(payload), ByteBuffer.wrap(ciphertext));
      assertArrayEquals(v.messages().get(i)[1], ciphertext, "transport message " + (i + 1));
      byte[] plaintext = new byte[payload.length];
      receiver.decrypt(ByteBuffer.wrap(ciphertext), ByteBuffer.wrap(plaintext));
      assertArrayEquals(payload, plaintext, "decrypted transport message " + (i + 1));
    }
  }

  @Test
  void aFlippedBitInTheResponderMessageFailsAuthentication() throws NoiseException {
    HandshakeState initiator = new HandshakeState(true, new byte[0], X25519.generate(), X25519::generate);
    HandshakeState responder = new HandshakeState(false, new byte[0], X25519.generate(), X25519::generate);
    responder.readMessage(initiator.writeMessage(new byte[0]));
    byte[] second = responder.writeMessage("payload".getBytes(StandardCharsets.UTF_8));
    second[40] ^= 1; // inside the encrypted static key
    NoiseException e = assertThrows(NoiseException.class, () -> initiator.readMessage(second));
    assertEquals(Reason.DECRYPTION_FAILED, e.reason());
  }

  @Test
  void shortMessagesAreMalformed() throws NoiseException {
    HandshakeState responder = new HandshakeState(false, new byte[0], X25519.generate(), X25519::generate);
    NoiseException e = assertThrows(NoiseException.class, () -> responder.readMessage(new byte[31]));
    assertEquals(Reason.MALFORMED_MESSAGE, e.reason());
  }

  @Test
  void aLowOrderEphemeralKeyIsRefused() throws NoiseException {
    HandshakeState initiator = new HandshakeState(true, new byte[0], X25519.generate(), X25519::generate);
    HandshakeState responder = new HandshakeState(false, new byte[0], X25519.generate(), X25519::generate);
    initiator.writeMessage(new byte[0]);
    responder.readMessage(new byte[32]); // u = 0: every DH with it is all zeros
    NoiseException e = assertThrows(NoiseException.class, () -> responder.writeMessage(new byte[0]));
    assertEquals(Reason.MALFORMED_MESSAGE, e.reason());
    assertFalse(responder.isComplete());
  }

  @Test
  void theLastNonceIsNeverUsed() throws NoiseException {
    CipherState cipher = new CipherState();
    cipher.initializeKey(new byte[CipherState.KEY_LENGTH]);
    cipher.setNonce(-2L); // 2^64 - 2, the last usable value
    cipher.encrypt(ByteBuffer.allocate(1), ByteBuffer.allocate(1 + CipherState.TAG_LENGTH));
    NoiseException e = assertThrows(NoiseException.class,
        () -> cipher.encrypt(ByteBuffer.allocate(1), ByteBuffer.allocate(1 + CipherState.TAG_LENGTH)));
    assertEquals(Reason.NONCE_EXHAUSTED, e.reason());
  }
}
