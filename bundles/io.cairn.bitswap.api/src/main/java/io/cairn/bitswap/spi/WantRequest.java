package io.cairn.bitswap.spi;

import io.cairn.bitswap.message.WantType;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;

/**
 * One want as the engine received it, for a {@link PriorityRequestManager} to classify and order.
 *
 * @param local the want is the node's own fetch served by this engine (not a remote peer's)
 */
public record WantRequest(PeerId peer, Cid cid, WantType type, int priority, boolean sendDontHave, boolean local) {}
