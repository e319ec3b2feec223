// libp2p settings shared by the interop scripts' nodes.

import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'

/**
 * Tests and the load tool open many connections from loopback in quick
 * succession: allow-listed addresses skip js-libp2p's inbound rate limit,
 * pending-connection cap, maxConnections and pruning.
 */
export const LOOPBACK_CONNECTION_MANAGER = {
  allow: ['/ip4/127.0.0.0/ipcidr/8'],
  inboundConnectionThreshold: 1000,
  maxIncomingPendingConnections: 100
}

/** The Ed25519 key for `--seed HEX` (64 hex digits), for a fixed peer id. */
export async function privateKeyFromSeed (seed) {
  if (!/^[0-9a-fA-F]{64}$/.test(seed)) throw new Error('--seed must be 64 hex digits (a 32-byte Ed25519 seed)')
  return generateKeyPairFromSeed('Ed25519', Buffer.from(seed, 'hex'))
}
