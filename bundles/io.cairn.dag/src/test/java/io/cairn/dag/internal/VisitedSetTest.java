package io.cairn.dag.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class VisitedSetTest {
  private static Multihash sha(int i) {
    return Multihash.digest(Multicodec.SHA2_256, ByteBuffer.allocate(4).putInt(i).array());
  }

  @Test
  void holdsAMillionCidsInAtMostFortyBytesEach() {
    VisitedSet set = new VisitedSet();
    int n = 1_000_000;
    for (int i = 0; i < n; i++) {
      assertTrue(set.add(Cid.v1(Multicodec.RAW, sha(i))));
    }
    assertEquals(n, set.size());
    for (int i = 0; i < n; i += 7) {
      assertTrue(set.contains(Cid.v1(Multicodec.RAW, sha(i))));
      assertFalse(set.add(Cid.v1(Multicodec.RAW, sha(i))));
    }
    for (int i = n; i < n + 100_000; i++) {
      assertFalse(set.contains(Cid.v1(Multicodec.RAW, sha(i))));
    }
    assertTrue(set.footprintBytes() <= 40L * n, set.footprintBytes() + " bytes");
  }

  @Test
  void versionsAndCodecsOfOneHashAreDifferentCids() {
    VisitedSet set = new VisitedSet(4);
    Multihash mh = sha(1);
    assertTrue(set.add(Cid.v0(mh)));
    assertTrue(set.add(Cid.v1(Multicodec.DAG_PB, mh)));
    assertTrue(set.add(Cid.v1(Multicodec.RAW, mh)));
    assertTrue(set.add(Cid.v1(Multicodec.DAG_CBOR, mh)));
    assertFalse(set.add(Cid.v1(Multicodec.RAW, mh)));
    assertEquals(4, set.size());
  }

  @Test
  void identityAndShortDigestCidsAreKeyedWhole() {
    VisitedSet set = new VisitedSet(4);
    for (int i = 0; i < 10_000; i++) {
      byte[] data = new byte[20];
      ByteBuffer.wrap(data).putInt(16, i);
      assertTrue(set.add(Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), data))));
      // A function this node does not know, with an 8-byte digest.
      assertTrue(set.add(Cid.v1(Multicodec.RAW, Multihash.of(0x300001, ByteBuffer.allocate(8).putInt(4, i).array()))));
    }
    assertEquals(20_000, set.size());
    assertTrue(set.contains(Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), new byte[20]))));
  }
}
