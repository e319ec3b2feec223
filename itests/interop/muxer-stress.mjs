// The polyfill must be the first import (see peer.mjs).
import './polyfill.mjs'

import { randomBytes } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { LOOPBACK_CONNECTION_MANAGER } from './libp2p-options.mjs'
import { boundedStop, emit, exit, hardTimeoutMs, intArg, log, runMain, stopOn } from './cli.mjs'
import { echoHandler, readStream, sendWithBackpressure } from './streams.mjs'

// Muxer stress for Cairn's yamux against js-libp2p: many connections, many
// concurrent echo streams of random sizes written in random pieces, with
// streams refused by multistream-select ("na") and streams reset mid-write
// interleaved among them; every echoed byte is compared with the byte sent.
//
//   node muxer-stress.mjs listen [--nodes K]
//       K js-libp2p nodes serving /cairn/echo/1.0.0 on 127.0.0.1 (Cairn dials
//       them); prints {"event":"listening","nodes":[{peerId,addrs}]}.
//   node muxer-stress.mjs dial <multiaddr/p2p/ID> [--connections K]
//       [--streams S] [--refusals R] [--resets X] [--max-bytes B]
//       [--rounds N] [--seed N] [--abort-on-ping-failure]
//       K js-libp2p nodes each dial Cairn and run N rounds; each round opens,
//       per connection, S echo streams, R streams for a protocol Cairn does not
//       serve and X echo streams reset after part of their data, in a shuffled
//       order, all at once. Prints {"event":"round",...} per round and
//       {"event":"done",...}; the first wrong byte prints {"event":"mismatch",...}
//       (offset, the bytes expected and received, and where else the
//       received bytes occur among the data sent on the connection) and exits 1.

const ECHO = '/cairn/echo/1.0.0'
const REFUSED = '/cairn/refused/1.0.0'
const CHUNK = 64 * 1024
const MAX_STREAMS_PER_PROTOCOL = 4096
const NEEDLE = 32

/** mulberry32: a small seeded generator, so that a run's sizes and order can be replayed. */
function prng (seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Sizes spread over every regime: empty, a few bytes, one frame, and past the 256 KiB initial window. */
function streamSize (rand, maxBytes) {
  const r = rand()
  if (r < 0.05) return 0
  if (r < 0.25) return Math.floor(rand() * 100) + 1
  if (r < 0.6) return Math.floor(rand() * Math.min(maxBytes, CHUNK)) + 1
  return Math.floor(rand() * maxBytes) + 1
}

/** --abort-on-ping-failure: libp2p's default, which ends a connection whose monitor ping is late (see README). */
let abortOnPingFailure = false

async function createNode (listen) {
  return createLibp2p({
    start: false,
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: LOOPBACK_CONNECTION_MANAGER,
    // libp2p's connection monitor pings every 10 s and, by default, aborts a connection whose ping
    // misses its adaptive timeout: on a connection saturated on purpose under CPU load that ends a
    // healthy session (seen here). The pings still run, as more streams among the others.
    connectionMonitor: { abortConnectionOnPingFailure: abortOnPingFailure },
    services: { identify: identify(), ping: ping() }
  })
}

// -------------------------------------------------------------------- listen

async function runListen (flags) {
  const count = intArg(flags.nodes, '--nodes', 1, 1, 64)
  const nodes = []
  for (let i = 0; i < count; i++) {
    const node = await createNode(['/ip4/127.0.0.1/tcp/0'])
    await node.handle(ECHO, echoHandler, { maxInboundStreams: MAX_STREAMS_PER_PROTOCOL, maxOutboundStreams: MAX_STREAMS_PER_PROTOCOL })
    await node.start()
    nodes.push(node)
  }
  emit({
    event: 'listening',
    nodes: nodes.map((n) => ({ peerId: n.peerId.toString(), addrs: n.getMultiaddrs().map((ma) => ma.toString()) }))
  })
  stopOn(async () => {
    await Promise.all(nodes.map((n) => boundedStop(n.stop())))
    emit({ event: 'stopped' })
    exit(0)
  }, { ignoreStdin: flags['ignore-stdin'] === true })
}

// ---------------------------------------------------------------------- dial

/** One echo stream: `size` random bytes in random pieces, everything read back and compared as it comes. */
/** Echo streams under way, for the stall report: what each is waiting for. */
const active = new Set()

async function echoOne (conn, size, rand, signal, resetAfter) {
  const task = { phase: 'opening', size, sent: 0 }
  active.add(task)
  try {
    return await echoStream(conn, size, rand, signal, resetAfter, task)
  } finally {
    active.delete(task)
  }
}

async function echoStream (conn, size, rand, signal, resetAfter, task) {
  const stream = await conn.newStream(ECHO, { signal, maxOutboundStreams: MAX_STREAMS_PER_PROTOCOL })
  task.stream = stream
  task.phase = 'sending'
  const data = randomBytes(size)
  const result = { stream: stream.id, size, data, got: 0, mismatch: null }
  task.result = result
  const reading = readStream(stream, (chunk) => {
    if (result.mismatch == null) {
      for (let i = 0; i < chunk.byteLength; i++) {
        const at = result.got + i
        if (at >= size || chunk[i] !== data[at]) {
          result.mismatch = {
            offset: at,
            chunkOffset: result.got,
            chunkLength: chunk.byteLength,
            expected: Buffer.from(data.subarray(at, at + NEEDLE)).toString('hex'),
            received: Buffer.from(chunk.subarray(i, i + NEEDLE)).toString('hex')
          }
          break
        }
      }
    }
    result.got += chunk.byteLength
  }, signal)
  reading.catch(() => {}) // awaited below, or abandoned with the reset
  try {
    let off = 0
    while (off < size) {
      if (resetAfter != null && off >= resetAfter) {
        stream.abort(new Error('reset by the stress test'))
        return null
      }
      const n = Math.min(size - off, Math.floor(rand() * CHUNK) + 1)
      await sendWithBackpressure(stream, data.subarray(off, off + n), signal)
      off += n
      task.sent = off
    }
    if (resetAfter != null) {
      stream.abort(new Error('reset by the stress test'))
      return null
    }
    task.phase = 'closing'
    await stream.close({ signal })
    task.phase = 'reading'
    await reading
    if (result.mismatch == null && result.got !== size) {
      result.mismatch = { offset: Math.min(result.got, size), short: result.got < size }
    }
    return result
  } catch (err) {
    stream.abort(err)
    throw new Error(`echo stream ${stream.id} (${size} bytes) failed after ${result.got} bytes back: ${err.message}`)
  }
}

/** One proposal, or three in turn (as bitswap 1.2.0, 1.1.0, 1.0.0 were refused in issue 5). */
const REFUSALS = [[REFUSED], ['/cairn/refused/1.2.0', '/cairn/refused/1.1.0', REFUSED]]

async function refusedOne (conn, protocols, signal) {
  try {
    const stream = await conn.newStream(protocols, { signal, maxOutboundStreams: MAX_STREAMS_PER_PROTOCOL })
    stream.abort(new Error('unexpected'))
    throw new Error(`${protocols} was accepted`)
  } catch (err) {
    if (err.name !== 'UnsupportedProtocolError') throw err
    return null
  }
}

/** Where else the bytes received at a mismatch were sent on this connection (stream id and offset). */
function locate (needleHex, results) {
  const needle = Buffer.from(needleHex, 'hex')
  if (needle.byteLength < 8) return []
  const found = []
  for (const r of results) {
    if (r == null) continue
    for (let at = r.data.indexOf(needle); at >= 0 && found.length < 8; at = r.data.indexOf(needle, at + 1)) {
      found.push({ stream: r.stream, size: r.size, offset: at })
    }
  }
  return found
}

async function round (conns, settings, rand, signal) {
  const work = []
  for (const conn of conns) {
    const kinds = [
      ...Array(settings.streams).fill('echo'),
      ...Array(settings.refusals).fill('refused'),
      ...Array(settings.resets).fill('reset')
    ]
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [kinds[i], kinds[j]] = [kinds[j], kinds[i]]
    }
    const tasks = kinds.map((kind) => {
      if (kind === 'refused') return refusedOne(conn, REFUSALS[Math.floor(rand() * REFUSALS.length)], signal)
      const size = streamSize(rand, settings.maxBytes)
      const resetAfter = kind === 'reset' ? Math.floor(rand() * (size + 1)) : null
      // a seeded generator per stream: the pieces do not depend on the order streams run in
      const pieces = prng(Math.floor(rand() * 2 ** 32))
      return echoOne(conn, size, pieces, signal, resetAfter)
    })
    work.push(Promise.all(tasks).then((results) => ({ conn, results })))
  }
  let streams = 0
  let bytes = 0
  for (const { conn, results } of await Promise.all(work)) {
    for (const r of results) {
      if (r == null) continue
      streams++
      bytes += r.size
      if (r.mismatch != null) {
        const where = r.mismatch.received != null ? locate(r.mismatch.received, results) : []
        emit({ event: 'mismatch', remotePeer: conn.remotePeer.toString(), stream: r.stream, size: r.size, got: r.got, ...r.mismatch, foundAt: where })
        throw new Error(`stream ${r.stream} (${r.size} bytes): echoed bytes differ from those sent at offset ${r.mismatch.offset}`)
      }
    }
  }
  return { streams, bytes }
}

/** The echo streams still under way: phase, bytes, and the stream's and muxer's flow-control state. */
function describeActive () {
  return [...active].slice(0, 40).map((t) => {
    const s = t.stream
    return {
      phase: t.phase,
      size: t.size,
      sent: t.sent,
      got: t.result?.got,
      id: s?.id,
      status: s?.status,
      writeStatus: s?.writeStatus,
      readStatus: s?.readStatus,
      remoteWriteStatus: s?.remoteWriteStatus,
      needsDrain: s?.writableNeedsDrain,
      writeBuffer: s?.writeBuffer?.byteLength,
      readBuffer: s?.readBuffer?.byteLength,
      sendWindow: s?.sendWindowCapacity,
      recvWindow: s?.recvWindowCapacity,
      state: s?.state
    }
  })
}

async function runDial (positional, flags) {
  const [target] = positional
  if (target == null) throw new Error('usage: muxer-stress.mjs dial <multiaddr-with-/p2p/> [options]')
  const settings = {
    connections: intArg(flags.connections, '--connections', 4, 1, 64),
    streams: intArg(flags.streams, '--streams', 50, 0, 1000),
    refusals: intArg(flags.refusals, '--refusals', 5, 0, 1000),
    resets: intArg(flags.resets, '--resets', 5, 0, 1000),
    maxBytes: intArg(flags['max-bytes'], '--max-bytes', 512 * 1024, 1, 64 * 1024 * 1024),
    rounds: intArg(flags.rounds, '--rounds', 10, 1, 1_000_000)
  }
  const seed = intArg(flags.seed, '--seed', Date.now() % 2 ** 31, 0, 2 ** 32 - 1)
  const rand = prng(seed)
  const signal = AbortSignal.timeout(hardTimeoutMs)
  setMaxListeners(Infinity, signal)
  const nodes = []
  const conns = []
  for (let i = 0; i < settings.connections; i++) {
    const node = await createNode([])
    await node.start()
    nodes.push(node)
    conns.push(await node.dial(multiaddr(target), { signal: AbortSignal.timeout(10_000) }))
  }
  emit({ event: 'connected', connections: conns.length, seed, ...settings })
  let totalStreams = 0
  for (let r = 1; r <= settings.rounds; r++) {
    const start = performance.now()
    const watchdog = setInterval(() => emit({ event: 'stall', round: r, seconds: Math.round((performance.now() - start) / 1000), streams: describeActive() }), 10_000)
    const { streams, bytes } = await round(conns, settings, rand, signal).finally(() => clearInterval(watchdog))
    totalStreams += streams
    emit({ event: 'round', round: r, streams, bytes, ms: Math.round(performance.now() - start) })
  }
  emit({ event: 'done', rounds: settings.rounds, streams: totalStreams, seed })
  await Promise.all(nodes.map((n) => boundedStop(n.stop())))
  exit(0)
}

runMain({
  booleans: ['ignore-stdin', 'abort-on-ping-failure'],
  usage: 'muxer-stress.mjs listen [--nodes K] | muxer-stress.mjs dial <multiaddr-with-/p2p/> [--connections K] [--streams S] [--refusals R] [--resets X] [--max-bytes B] [--rounds N] [--seed N]',
  modes: {
    listen: { timeout: 3600, run: ({ flags }) => { abortOnPingFailure = flags['abort-on-ping-failure'] === true; return runListen(flags) } },
    dial: { timeout: 600, run: ({ positional, flags }) => { abortOnPingFailure = flags['abort-on-ping-failure'] === true; return runDial(positional, flags) } }
  }
})
