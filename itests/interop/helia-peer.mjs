// The polyfill must be the first import: ES modules are evaluated in import
// order, and Helia 7 / js-libp2p 3 call Promise.withResolvers, which Node 20 lacks.
import './polyfill.mjs'

import { setMaxListeners } from 'node:events'
import { readFile, writeFile } from 'node:fs/promises'
import { withBitswap } from '@helia/bitswap'
import { withLibp2pLight } from '@helia/libp2p'
import { identify, identifyPush } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryBlockstore } from 'blockstore-core'
import { createHeliaLight } from 'helia'
import { CID } from 'multiformats/cid'
import { LOOPBACK_CONNECTION_MANAGER, privateKeyFromSeed } from './libp2p-options.mjs'
import { boundedStop, emit, exit, hardTimeoutMs, intArg, log, runMain, stopOn } from './cli.mjs'
import { cidsSha256, generate, parseSets, verifyBlock } from './testdata.mjs'

// A Helia 7 node (bitswap only, over TCP + Noise + yamux with identify) for
// Cairn's bitswap interop tests and load comparison.
//
//   node helia-peer.mjs serve [set] [--port P] [--cids-out F] [--quiet] [--ignore-stdin] [--timeout S] [--seed HEX]
//   node helia-peer.mjs fetch <multiaddr/p2p/ID> [set | --cids-file F] [--concurrency C]
//                             [--block-timeout S] [--timeout S] [--seed HEX] [--report-blocks]
//   --report-blocks: a {"event":"block","cid":...,"atMs":...} line as each block arrives (atMs: wall clock)
//   set: --kind raw|dagpb --size S --count N, or --sets kind:size:count[,...]
//
// stdout: one JSON object per line, nothing else. stderr: human-readable logs.
// The blocks are the deterministic test blocks of testdata.mjs.

const BITSWAP_120 = '/ipfs/bitswap/1.2.0'
const IDENTIFY_TIMEOUT_MS = 10_000
const DIAL_TIMEOUT_MS = 10_000
const MAX_FAILURES_REPORTED = 10

// ------------------------------------------------------------------ the node

/**
 * A Helia node as createHelia() builds it, minus everything but bitswap:
 * createHeliaLight has no routers and no HTTP block brokers (so nothing is
 * fetched from outside this machine), withLibp2pLight takes our libp2p config
 * instead of Helia's default one (no DHT, relay, WebRTC, mDNS, bootstrap...),
 * and withBitswap adds @helia/bitswap with its defaults.
 */
async function createHeliaNode ({ listen, seed, blockstore }) {
  const helia = createHeliaLight({ blockstore })
  const libp2pInit = {
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: LOOPBACK_CONNECTION_MANAGER,
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping()
    }
  }
  if (seed != null) {
    libp2pInit.privateKey = await privateKeyFromSeed(seed)
  }
  withLibp2pLight(helia, libp2pInit)
  withBitswap(helia)
  await helia.start()
  return helia
}

function identifiedEvent (result) {
  const protocols = [...result.protocols].sort()
  return {
    event: 'identified',
    peerId: result.peerId.toString(),
    agentVersion: result.agentVersion ?? null,
    protocols,
    // Helia sends wants only to peers whose identify lists this protocol
    bitswap: protocols.includes(BITSWAP_120)
  }
}

function generateSets (sets, onBlock) {
  const cids = []
  const summary = sets.map((set) => {
    const setCids = []
    generate(set, (cid, bytes) => {
      setCids.push(cid)
      onBlock(cid, bytes)
    })
    cids.push(...setCids)
    return { ...set, cidsSha256: cidsSha256(setCids) }
  })
  return { cids, summary }
}

// --------------------------------------------------------------------- serve

async function runServe (flags) {
  const port = intArg(flags.port, '--port', 0, 0, 65535)
  const sets = parseSets(flags, intArg)
  const quiet = flags.quiet === true

  // filled before Helia starts, straight into the store Helia reads from
  const blockstore = new MemoryBlockstore()
  const started = performance.now()
  let bytes = 0
  const { cids, summary } = generateSets(sets, (cid, block) => {
    blockstore.put(cid, block)
    bytes += block.byteLength
  })
  const generateMs = Math.round(performance.now() - started)
  log(`generated ${cids.length} blocks (${bytes} bytes) in ${generateMs} ms`)
  if (flags['cids-out'] != null) {
    await writeFile(flags['cids-out'], cids.map((c) => c.toString()).join('\n') + '\n')
  }

  const helia = await createHeliaNode({ listen: [`/ip4/127.0.0.1/tcp/${port}`], seed: flags.seed, blockstore })
  const node = helia.libp2p
  if (!quiet) {
    node.addEventListener('peer:connect', (evt) => emit({ event: 'connected', peerId: evt.detail.toString() }))
    node.addEventListener('peer:disconnect', (evt) => emit({ event: 'disconnected', peerId: evt.detail.toString() }))
    node.addEventListener('peer:identify', (evt) => emit(identifiedEvent(evt.detail)))
  }
  emit({
    event: 'listening',
    peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map((ma) => ma.toString()),
    protocols: node.getProtocols().sort(),
    blocks: cids.length,
    bytes,
    cidsSha256: cidsSha256(cids),
    sets: summary,
    generateMs
  })

  stopOn(async () => {
    await boundedStop(helia.stop())
    emit({ event: 'stopped' })
    exit(0)
  }, { ignoreStdin: flags['ignore-stdin'] === true })
}

// --------------------------------------------------------------------- fetch

function waitForIdentify (node, peerId, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      node.removeEventListener('peer:identify', onIdentify)
      reject(new Error(`${peerId} did not complete identify within ${ms} ms; Helia sends wants only to peers whose identify lists ${BITSWAP_120}`))
    }, ms)
    const onIdentify = (evt) => {
      if (!evt.detail.peerId.equals(peerId)) return
      clearTimeout(timer)
      node.removeEventListener('peer:identify', onIdentify)
      resolve(evt.detail)
    }
    node.addEventListener('peer:identify', onIdentify)
  })
}

async function readAll (chunks) {
  const parts = []
  let length = 0
  for await (const chunk of chunks) {
    parts.push(chunk)
    length += chunk.byteLength
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, length)
}

/** Nearest-rank percentile of sorted values, in whole milliseconds (null if none). */
function percentile (sorted, p) {
  if (sorted.length === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return Math.round(sorted[rank - 1] * 10) / 10
}

/** Helia wraps each block broker's error in a LoadBlockFailedError (an AggregateError): name the causes too. */
function describeError (err) {
  const causes = (err.errors ?? []).map((e) => `${e.name}: ${e.message}`)
  return `${err.name}: ${err.message}` + (causes.length > 0 ? ` (${causes.join('; ')})` : '')
}

async function cidsFromFile (file) {
  const text = await readFile(file, 'utf8')
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '').map((l, i) => {
    try {
      return CID.parse(l)
    } catch (err) {
      throw new Error(`${file} line ${i + 1}: not a CID: ${l} (${err.message})`)
    }
  })
}

async function runFetch (positional, flags) {
  const [target] = positional
  if (target == null) throw new Error('usage: helia-peer.mjs fetch <multiaddr-with-/p2p/> [--kind K --size S --count N | --sets ... | --cids-file F]')
  const ma = multiaddr(target)
  const p2p = ma.getComponents().find((c) => c.name === 'p2p')
  if (p2p?.value == null) throw new Error(`multiaddr has no /p2p/ component: ${target}`)
  const remotePeer = peerIdFromString(p2p.value)
  const concurrency = intArg(flags.concurrency, '--concurrency', 32, 1, 10_000)
  const blockTimeoutMs = intArg(flags['block-timeout'], '--block-timeout', 30, 1, 3600) * 1000
  const reportBlocks = flags['report-blocks'] === true
  const cids = flags['cids-file'] != null
    ? await cidsFromFile(flags['cids-file'])
    : generateSets(parseSets(flags, intArg), () => {}).cids
  const setSha256 = cidsSha256(cids)

  const helia = await createHeliaNode({ listen: [], seed: flags.seed })
  const node = helia.libp2p
  log(`helia ${node.peerId} fetching ${cids.length} blocks from ${target} at concurrency ${concurrency}`)
  const identified = waitForIdentify(node, remotePeer, IDENTIFY_TIMEOUT_MS)
  identified.catch(() => {}) // awaited below; do not count it as unhandled meanwhile
  const conn = await node.dial(ma, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
  if (!conn.remotePeer.equals(remotePeer)) throw new Error(`connected to ${conn.remotePeer}, expected ${remotePeer}`)
  emit({ event: 'connected', peerId: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString(), encryption: conn.encryption ?? null, multiplexer: conn.multiplexer ?? null })
  const id = identifiedEvent(await identified)
  emit(id)
  if (!id.bitswap) throw new Error(`${remotePeer} does not list ${BITSWAP_120} in identify (${id.protocols.join(' ')}), so Helia will never send it a want`)

  // stop fetching in time to report what happened before the hard timeout
  const overall = AbortSignal.timeout(Math.max(1000, hardTimeoutMs - 5000))
  setMaxListeners(Infinity, overall)
  const latencies = []
  const failures = []
  let failureCount = 0
  let fetched = 0
  let bytes = 0
  let next = 0
  const recordFailure = (cid, message) => {
    failureCount++
    if (failures.length < MAX_FAILURES_REPORTED) failures.push({ cid: cid.toString(), error: message })
  }
  const worker = async () => {
    while (next < cids.length) {
      const cid = cids[next++]
      if (overall.aborted) {
        recordFailure(cid, 'not requested: overall timeout')
        continue
      }
      const t0 = performance.now()
      try {
        const data = await readAll(helia.blockstore.get(cid, { signal: AbortSignal.any([overall, AbortSignal.timeout(blockTimeoutMs)]) }))
        const ms = performance.now() - t0
        const problem = verifyBlock(cid, data)
        if (problem != null) {
          recordFailure(cid, problem)
        } else {
          fetched++
          bytes += data.byteLength
          latencies.push(ms)
          // wall-clock time of arrival, for a test that times a block from its put on the peer to here
          if (reportBlocks) emit({ event: 'block', cid: cid.toString(), atMs: performance.timeOrigin + performance.now(), ms: Math.round(ms * 10) / 10 })
        }
      } catch (err) {
        recordFailure(cid, describeError(err))
      }
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, cids.length)) }, worker))
  const ms = performance.now() - start
  latencies.sort((a, b) => a - b)
  const ok = failureCount === 0 && fetched === cids.length
  emit({
    event: 'fetched',
    count: cids.length,
    fetched,
    bytes,
    ms: Math.round(ms),
    blocksPerSec: Math.round(fetched / (ms / 1000)),
    mbPerSec: Math.round((bytes / 1e6) / (ms / 1000) * 10) / 10,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    concurrency,
    cidsSha256: setSha256,
    failureCount,
    failures,
    ok
  })
  await boundedStop(helia.stop())
  exit(ok ? 0 : 1)
}

// ---------------------------------------------------------------------- main

runMain({
  usage: 'helia-peer.mjs serve [--kind raw|dagpb --size S --count N | --sets ...] [--port P] | helia-peer.mjs fetch <multiaddr-with-/p2p/> [--kind ... | --sets ... | --cids-file F] [--concurrency C]',
  booleans: ['ignore-stdin', 'quiet', 'report-blocks'],
  modes: {
    serve: { timeout: 3600, run: ({ flags }) => runServe(flags) },
    fetch: { timeout: 300, run: ({ positional, flags }) => runFetch(positional, flags) }
  }
})
