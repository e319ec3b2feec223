package io.cairn.bitswap;

import io.cairn.bitswap.message.WantType;
import io.cairn.multiformats.Cid;

/** One wantlist entry as held in a ledger. */
public record Want(Cid cid, int priority, WantType type, boolean sendDontHave) {}
