// The polyfill must be the first import (see polyfill.mjs).
import './polyfill.mjs'

import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import * as lp from 'it-length-prefixed'
import { pushable } from 'it-pushable'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
// @helia/bitswap exports no codec; this is the protons code it uses itself (pinned by the lockfile)
import { BitswapMessage } from './node_modules/@helia/bitswap/dist/src/pb/message.js'
import { boundedStop, emit, exit, runMain, stopOn } from './cli.mjs'
import { generate } from './testdata.mjs'

// Shows what Helia's bitswap does on the wire, message by message: the facts
// in README.md "Helia's bitswap, as Cairn meets it" come from these runs.
//
//   node bitswap-probe.mjs listen [--ignore-stdin]
//     A plain libp2p peer announcing /ipfs/bitswap/1.2.0 that holds the test
//     blocks raw:1024 index 0..2 and prints every bitswap stream and message
//     it receives, answering want-blocks for those blocks. Point
//     `helia-peer.mjs fetch <addr> --kind raw --size 1024 --count 4` at it to
//     see what Helia's client sends (index 3 is missing).
//
//   node bitswap-probe.mjs wants <multiaddr/p2p/ID>
//     Against `helia-peer.mjs serve --sets raw:1000:2,raw:1024:2`: tries
//     /ipfs/bitswap/1.1.0, then sends wants on one stream in phases (want-have
//     and want-block, present and missing blocks, a repeated want, an upgrade
//     from have to block, cancel then want) and idles 12 s on that stream,
//     printing every answer and what happens to the stream.
//
// stdout: one JSON object per line ({"t": ms since start, "event": ...}).

const BITSWAP_120 = '/ipfs/bitswap/1.2.0'
const PHASE_GAP_MS = 2000
const IDLE_MS = 12_000
const started = Date.now()
const say = (obj) => emit({ t: Date.now() - started, ...obj })

const blocks = new Map()
for (const set of [{ kind: 'raw', size: 1000, count: 2 }, { kind: 'raw', size: 1024, count: 3 }]) {
  generate(set, (cid, bytes, index) => blocks.set(`${set.size}#${index}`, { cid, bytes }))
}
const digestKey = (cid) => Buffer.from(cid.multihash.bytes).toString('hex')
const nameOf = new Map([...blocks].map(([name, b]) => [digestKey(b.cid), name]))
const blockName = (cidBytes) => {
  const cid = CID.decode(cidBytes)
  return nameOf.get(digestKey(cid)) ?? cid.toString()
}

function describe (m) {
  return {
    full: m.wantlist?.full ?? null,
    entries: (m.wantlist?.entries ?? []).map((e) => ({
      block: blockName(e.cid), wantType: e.wantType, cancel: e.cancel, sendDontHave: e.sendDontHave, priority: e.priority
    })),
    blocks: m.blocks.map((b) => ({ prefix: Buffer.from(b.prefix).toString('hex'), bytes: b.data.byteLength })),
    presences: m.blockPresences.map((p) => ({ block: blockName(p.cid), type: p.type })),
    pendingBytes: m.pendingBytes
  }
}

let inboundStreams = 0

/** Prints each message of an inbound bitswap stream; `answer(message, connection)` may reply. */
async function onStream (stream, connection, answer) {
  const id = ++inboundStreams
  say({ event: 'inbound-stream', stream: id, from: connection.remotePeer.toString() })
  const input = pushable()
  stream.addEventListener('message', (evt) => input.push(evt.data))
  stream.addEventListener('remoteCloseWrite', () => { say({ event: 'remote-closed-write', stream: id }); input.end() })
  stream.addEventListener('close', (evt) => { say({ event: 'stream-closed', stream: id, error: evt.error?.name ?? null }); input.end() })
  for await (const data of lp.decode(input)) {
    const message = BitswapMessage.decode(data)
    say({ event: 'message', stream: id, bytes: data.byteLength, ...describe(message) })
    await answer?.(message, connection)
  }
}

async function createNode (listen) {
  return createLibp2p({
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
}

async function sendOne (connection, message) {
  const stream = await connection.newStream(BITSWAP_120)
  stream.send(lp.encode.single(BitswapMessage.encode(message)))
  await stream.close()
}

async function runListen (flags) {
  const node = await createNode(['/ip4/127.0.0.1/tcp/0'])
  const answerWantBlocks = async (message, connection) => {
    const found = (message.wantlist?.entries ?? [])
      .filter((e) => !e.cancel && e.wantType !== 'WantHave')
      .map((e) => blocks.get(blockName(e.cid)))
      .filter((b) => b != null && b.bytes.byteLength === 1024)
    if (found.length === 0) return
    // raw CIDv1 sha2-256: version 1, codec 0x55, multihash 0x12, 32 bytes
    await sendOne(connection, { blocks: found.map((b) => ({ prefix: Uint8Array.from([1, 0x55, 0x12, 32]), data: b.bytes })), blockPresences: [] })
    say({ event: 'answered', blocks: found.length })
  }
  await node.handle(BITSWAP_120, (stream, connection) => {
    onStream(stream, connection, answerWantBlocks).catch((err) => say({ event: 'stream-error', message: err.message }))
  })
  await node.start()
  say({ event: 'listening', addrs: node.getMultiaddrs().map((ma) => ma.toString()) })
  stopOn(async () => {
    await boundedStop(node.stop())
    exit(0)
  }, { ignoreStdin: flags['ignore-stdin'] === true })
}

async function runWants (positional) {
  const [target] = positional
  if (target == null) throw new Error('usage: bitswap-probe.mjs wants <multiaddr-with-/p2p/>')
  const node = await createNode([])
  await node.handle(BITSWAP_120, (stream, connection) => {
    onStream(stream, connection).catch((err) => say({ event: 'stream-error', message: err.message }))
  })
  await node.start()
  const connection = await node.dial(multiaddr(target), { signal: AbortSignal.timeout(10_000) })
  try {
    await connection.newStream('/ipfs/bitswap/1.1.0')
    say({ event: 'protocol', id: '/ipfs/bitswap/1.1.0', accepted: true })
  } catch (err) {
    say({ event: 'protocol', id: '/ipfs/bitswap/1.1.0', accepted: false, error: err.name })
  }
  const stream = await connection.newStream(BITSWAP_120)
  stream.addEventListener('remoteCloseWrite', () => say({ event: 'outbound-remote-closed-write' }))
  stream.addEventListener('close', (evt) => say({ event: 'outbound-closed', status: stream.status, error: evt.error?.name ?? null }))
  const want = (name, wantType, sendDontHave, cancel = false) =>
    ({ cid: blocks.get(name).cid.bytes, priority: 1, wantType, sendDontHave, cancel })
  const phase = async (what, entries) => {
    say({ event: 'phase', what })
    stream.send(lp.encode.single(BitswapMessage.encode({ wantlist: { entries, full: false }, blocks: [], blockPresences: [] })))
    await new Promise((resolve) => setTimeout(resolve, PHASE_GAP_MS))
  }
  // the server holds 1000#0, 1000#1, 1024#0, 1024#1; 1024#2 is missing
  await phase('want-have 1000#0 and 1024#0, want-block 1024#1, 1024#2 (missing) and 1000#1 (sendDontHave false)', [
    want('1000#0', 'WantHave', true), want('1024#0', 'WantHave', true), want('1024#1', 'WantBlock', true),
    want('1024#2', 'WantBlock', true), want('1000#1', 'WantBlock', false)])
  await phase('want-block 1024#1 again, no cancel in between', [want('1024#1', 'WantBlock', true)])
  await phase('want-block 1024#0 (was want-have)', [want('1024#0', 'WantBlock', true)])
  await phase('cancel 1024#1, then want-block 1024#1', [want('1024#1', 'WantBlock', true, true), want('1024#1', 'WantBlock', true)])
  say({ event: 'phase', what: `idle ${IDLE_MS / 1000} s on the same stream` })
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
  say({ event: 'after-idle', status: stream.status })
  await boundedStop(node.stop())
  exit(0)
}

runMain({
  usage: 'bitswap-probe.mjs listen [--ignore-stdin] | bitswap-probe.mjs wants <multiaddr-with-/p2p/>',
  modes: {
    listen: { timeout: 120, run: ({ flags }) => runListen(flags) },
    wants: { timeout: 120, run: ({ positional }) => runWants(positional) }
  }
})
