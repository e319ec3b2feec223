package io.cairn.libp2p.internal;

import java.time.Duration;

/**
 * Bounds on one multistream-select negotiation, against a peer that sends huge lines or proposes
 * forever (nobody else limits the number of proposals).
 */
record MultistreamLimits(int maxMessageLength, int maxProposals, Duration timeout) {}
