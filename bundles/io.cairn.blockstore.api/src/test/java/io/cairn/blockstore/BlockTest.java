package io.cairn.blockstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BlockTest {
  @Test
  void rawBlockHasKubosCidAndVerifies() {
    Block b = Block.raw("hello world".getBytes(StandardCharsets.UTF_8));
    // `echo -n "hello world" | ipfs block put --cid-codec raw` gives this CID.
    assertEquals("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", b.cid().toString());
    assertTrue(b.verify());
    assertEquals(11, b.size());
  }

  @Test
  void wrongBytesDoNotVerify() {
    Cid cid = Block.raw(new byte[] {1, 2, 3}).cid();
    assertFalse(new Block(cid, new byte[] {1, 2, 4}).verify());
    assertThrows(IllegalArgumentException.class, () -> new Block(cid, null));
  }
}
