// The polyfill must be the first import: ES modules are evaluated in import
// order, and js-libp2p 3 calls Promise.withResolvers, which Node 20 lacks.
import './polyfill.mjs'

import { createHash, randomBytes } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, identifyPush } from '@libp2p/identify'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { LOOPBACK_CONNECTION_MANAGER, privateKeyFromSeed } from './libp2p-options.mjs'
import { boundedStop, emit, exit, hardTimeoutMs, intArg, log, runMain, stopOn } from './cli.mjs'
import { echoHandler, readStream, sendWithBackpressure } from './streams.mjs'

// A js-libp2p 3 node for Cairn's interoperability tests.
//
//   node peer.mjs listen [--port N] [--timeout S] [--seed HEX] [--ignore-stdin]
//   node peer.mjs dial <multiaddr/p2p/ID> <scenario> [args] [--timeout S] [--seed HEX]
//     scenarios: identify | ping [count] | echo-concurrent [n] [bytes] | sink [mib]
//
// stdout: one JSON object per line, nothing else. stderr: human-readable logs.

const ECHO = '/cairn/echo/1.0.0'
const SINK = '/cairn/sink/1.0.0'
const CHUNK = 64 * 1024 // yamux's default maximum frame payload in js-libp2p
const IDENTIFY_TIMEOUT_MS = 10_000
const MAX_STREAMS_PER_PROTOCOL = 1024
const LIMITS = {
  pingCount: 10_000,
  echoStreams: 1000,
  echoBytes: 64 * 1024 * 1024,
  sinkMiB: 4096
}

// ------------------------------------------------------------------ the node

async function createNode ({ listen, seed, dialer }) {
  const init = {
    start: false,
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: LOOPBACK_CONNECTION_MANAGER,
    services: {
      // the dialer runs identify explicitly (see identifyRemote) so that a
      // failure is reported instead of swallowed
      identify: identify({ runOnConnectionOpen: !dialer }),
      // answers /ipfs/id/push/1.0.0: a peer tells us when its protocols change
      identifyPush: identifyPush(),
      ping: ping()
    }
  }
  if (seed != null) {
    init.privateKey = await privateKeyFromSeed(seed)
  }
  return createLibp2p(init)
}

function identifiedEvent (result) {
  return {
    event: 'identified',
    peerId: result.peerId.toString(),
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    protocols: [...result.protocols].sort(),
    listenAddrs: result.listenAddrs.map((ma) => ma.toString())
  }
}

function stopNode (node) {
  return boundedStop(node.stop())
}

// ------------------------------------------------------------------ handlers

function sinkHandler (stream, connection) {
  const signal = AbortSignal.timeout(hardTimeoutMs)
  const hash = createHash('sha256')
  let bytes = 0
  readStream(stream, (chunk) => { bytes += chunk.byteLength; hash.update(chunk) }, signal)
    .then(async () => {
      const reply = JSON.stringify({ bytes, sha256: hash.digest('hex') }) + '\n'
      await sendWithBackpressure(stream, new TextEncoder().encode(reply), signal)
      await stream.close({ signal })
      log(`sink: ${bytes} bytes from ${connection.remotePeer}`)
    })
    .catch((err) => {
      log(`sink: stream from ${connection.remotePeer} failed: ${err.message}`)
      stream.abort(err)
    })
}

// -------------------------------------------------------------------- listen

async function runListen (flags) {
  const port = intArg(flags.port, '--port', 0, 0, 65535)
  const node = await createNode({ listen: [`/ip4/127.0.0.1/tcp/${port}`], seed: flags.seed, dialer: false })
  node.addEventListener('peer:connect', (evt) => emit({ event: 'connected', peerId: evt.detail.toString() }))
  node.addEventListener('peer:disconnect', (evt) => emit({ event: 'disconnected', peerId: evt.detail.toString() }))
  node.addEventListener('peer:identify', (evt) => emit(identifiedEvent(evt.detail)))
  // identify push lands in the peer store: report what it now says about the peer
  node.addEventListener('peer:update', (evt) => {
    if (evt.detail.previous != null) {
      emit({ event: 'updated', peerId: evt.detail.peer.id.toString(), protocols: [...evt.detail.peer.protocols].sort() })
    }
  })
  const opts = { maxInboundStreams: MAX_STREAMS_PER_PROTOCOL, maxOutboundStreams: MAX_STREAMS_PER_PROTOCOL }
  await node.handle(ECHO, echoHandler, opts)
  await node.handle(SINK, sinkHandler, opts)
  await node.start()
  emit({
    event: 'listening',
    peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map((ma) => ma.toString()),
    protocols: node.getProtocols().sort()
  })

  stopOn(async () => {
    await stopNode(node)
    emit({ event: 'stopped' })
    exit(0)
  }, { ignoreStdin: flags['ignore-stdin'] === true })
}

// ---------------------------------------------------------------------- dial

async function identifyRemote (node, conn) {
  const result = await node.services.identify.identify(conn, { signal: AbortSignal.timeout(IDENTIFY_TIMEOUT_MS) })
  return result
}

async function scenarioPing (node, conn, args) {
  const count = intArg(args[0], 'count', 3, 1, LIMITS.pingCount)
  for (let i = 0; i < count; i++) {
    const rtt = await node.services.ping.ping(conn.remotePeer, { signal: AbortSignal.timeout(10_000) })
    emit({ event: 'ping', seq: i + 1, rttMs: rtt })
  }
}

async function echoOne (conn, bytes, signal) {
  const stream = await conn.newStream(ECHO, { signal, maxOutboundStreams: MAX_STREAMS_PER_PROTOCOL })
  try {
    const data = randomBytes(bytes)
    const received = Buffer.alloc(bytes)
    let got = 0
    let overflow = false
    const reading = readStream(stream, (chunk) => {
      if (got + chunk.byteLength > bytes) {
        overflow = true
      } else {
        received.set(chunk, got)
      }
      got += chunk.byteLength
    }, signal)
    for (let off = 0; off < bytes; off += CHUNK) {
      await sendWithBackpressure(stream, data.subarray(off, Math.min(off + CHUNK, bytes)), signal)
    }
    await stream.close({ signal })
    await reading
    if (overflow || got !== bytes) return `stream ${stream.id}: sent ${bytes} bytes, got ${got} back`
    if (!data.equals(received)) return `stream ${stream.id}: echoed bytes differ from those sent`
    return null
  } catch (err) {
    stream.abort(err)
    throw err
  }
}

async function scenarioEchoConcurrent (node, conn, args, signal) {
  const n = intArg(args[0], 'n', 100, 1, LIMITS.echoStreams)
  const bytes = intArg(args[1], 'bytes', 64 * 1024, 0, LIMITS.echoBytes)
  const start = performance.now()
  const results = await Promise.allSettled(Array.from({ length: n }, () => echoOne(conn, bytes, signal)))
  const ms = Math.round(performance.now() - start)
  const problems = results
    .map((r) => r.status === 'rejected' ? `error: ${r.reason?.message ?? r.reason}` : r.value)
    .filter((p) => p != null)
  if (problems.length > 0) {
    for (const p of problems.slice(0, 10)) log(p)
    throw new Error(`${problems.length} of ${n} echo streams failed; first: ${problems[0]}`)
  }
  emit({ event: 'echo', streams: n, bytes, ok: true, ms })
}

async function scenarioSink (node, conn, args, signal) {
  const mib = intArg(args[0], 'mib', 64, 0, LIMITS.sinkMiB)
  const total = mib * 1024 * 1024
  const stream = await conn.newStream(SINK, { signal, maxOutboundStreams: MAX_STREAMS_PER_PROTOCOL })
  try {
    const replyChunks = []
    const reading = readStream(stream, (chunk) => { replyChunks.push(Buffer.from(chunk)) }, signal)
    const hash = createHash('sha256')
    const start = performance.now()
    for (let sent = 0; sent < total; sent += CHUNK) {
      const buf = randomBytes(Math.min(CHUNK, total - sent))
      hash.update(buf)
      await sendWithBackpressure(stream, buf, signal)
    }
    await stream.close({ signal })
    await reading
    const ms = performance.now() - start
    const sha256 = hash.digest('hex')
    const text = Buffer.concat(replyChunks).toString('utf8').trim()
    let reply
    try {
      reply = JSON.parse(text)
    } catch {
      throw new Error(`sink reply is not JSON: ${JSON.stringify(text.slice(0, 200))}`)
    }
    const ok = reply.bytes === total && reply.sha256 === sha256
    emit({
      event: 'sink',
      bytes: total,
      sha256,
      remoteBytes: reply.bytes,
      remoteSha256: reply.sha256,
      ok,
      ms: Math.round(ms),
      mbPerSec: Math.round((total / 1e6) / (ms / 1000) * 10) / 10,
      mibPerSec: Math.round((total / 1048576) / (ms / 1000) * 10) / 10
    })
    if (!ok) throw new Error(`sink mismatch: sent ${total} bytes sha256 ${sha256}, remote got ${reply.bytes} bytes sha256 ${reply.sha256}`)
  } catch (err) {
    stream.abort(err)
    throw err
  }
}

async function runDial (positional, flags) {
  const [target, scenario, ...args] = positional
  if (target == null || scenario == null) throw new Error('usage: peer.mjs dial <multiaddr-with-/p2p/> <scenario> [args]')
  const ma = multiaddr(target)
  const p2p = ma.getComponents().find((c) => c.name === 'p2p')
  if (p2p?.value == null) throw new Error(`multiaddr has no /p2p/ component: ${target}`)
  const remotePeer = peerIdFromString(p2p.value)
  const scenarios = {
    identify: null,
    ping: scenarioPing,
    'echo-concurrent': scenarioEchoConcurrent,
    sink: scenarioSink
  }
  if (!(scenario in scenarios)) throw new Error(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(', ')}`)

  const signal = AbortSignal.timeout(hardTimeoutMs)
  setMaxListeners(Infinity, signal) // shared by up to LIMITS.echoStreams streams
  const node = await createNode({ listen: [], seed: flags.seed, dialer: true })
  await node.start()
  log(`dialer ${node.peerId} dialing ${target} for ${scenario}`)
  const conn = await node.dial(ma, { signal: AbortSignal.timeout(10_000) })
  if (!conn.remotePeer.equals(remotePeer)) throw new Error(`connected to ${conn.remotePeer}, expected ${remotePeer}`)
  emit({ event: 'connected', peerId: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString(), encryption: conn.encryption ?? null, multiplexer: conn.multiplexer ?? null })

  try {
    emit(identifiedEvent(await identifyRemote(node, conn)))
  } catch (err) {
    if (scenario === 'identify') throw new Error(`identify failed: ${err.message}`)
    log(`identify of the remote failed, going on with ${scenario}: ${err.message}`)
    emit({ event: 'identify-unavailable', message: err.message })
  }
  if (scenarios[scenario] != null) {
    await scenarios[scenario](node, conn, args, signal)
  }
  await stopNode(node)
  exit(0)
}

// ---------------------------------------------------------------------- main

runMain({
  usage: 'peer.mjs listen [--port N] | peer.mjs dial <multiaddr-with-/p2p/> <identify|ping|echo-concurrent|sink> [args]',
  modes: {
    listen: { timeout: 600, run: ({ flags }) => runListen(flags) },
    dial: { timeout: 120, run: ({ positional, flags }) => runDial(positional, flags) }
  }
})
