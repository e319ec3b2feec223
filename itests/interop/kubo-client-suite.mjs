// Drives a Cairn node with kubo-rpc-client, the way scripts and apps drive Kubo, and checks each
// answer. Usage: node kubo-client-suite.mjs --api http://127.0.0.1:5001 --peer <multiaddr of a second node>
// Prints one {"check":name,"ok":bool,...} line per call group, then {"event":"done","failed":n}.
// Every check runs even when an earlier one failed, so one run shows every gap.
import './polyfill.mjs'
import { create } from 'kubo-rpc-client'
import { CarWriter, CarReader } from '@ipld/car'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { importer } from 'ipfs-unixfs-importer'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { emit, exit, log, parseArgs } from './cli.mjs'

const { flags } = parseArgs(process.argv.slice(2))
const client = create({ url: flags.api, timeout: 120_000 })
let failed = 0

async function check (name, fn) {
  try {
    const detail = await fn()
    emit({ check: name, ok: true, ...(detail ?? {}) })
  } catch (err) {
    failed++
    log(name, err)
    emit({ check: name, ok: false, error: String(err?.message ?? err) })
  }
}

function assert (cond, message) {
  if (!cond) throw new Error(message)
}

async function collect (iterable) {
  const out = []
  for await (const x of iterable) out.push(x)
  return out
}

function concat (chunks) {
  const total = chunks.reduce((n, c) => n + c.length, 0)
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) { out.set(c, at); at += c.length }
  return out
}

/** Deterministic bytes: a xorshift stream seeded by `seed`. */
function bytes (size, seed) {
  const out = new Uint8Array(size)
  let x = seed | 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** The CID Kubo's `add` gives (CIDv0, dag-pb leaves, 256 KiB chunks, balanced 174) computed by the JS importer. */
async function kuboAddCid (content) {
  const bs = new MemoryBlockstore()
  let last
  for await (const entry of importer([{ content }], bs, { cidVersion: 0, rawLeaves: false, reduceSingleLeafToSelf: true })) {
    last = entry
  }
  return last.cid.toString()
}

await check('id', async () => {
  const id = await client.id()
  assert(id.id != null && id.id.toString().length > 40, 'ID missing')
  assert(Array.isArray(id.addresses) && id.addresses.length > 0, 'no Addresses')
  assert(id.publicKey != null && id.agentVersion != null, 'PublicKey/AgentVersion missing')
  assert(Array.isArray(id.protocols) && id.protocols.includes('/ipfs/bitswap/1.2.0'), 'Protocols lacks bitswap')
  return { peer: id.id.toString() }
})

await check('version', async () => {
  const v = await client.version()
  assert(typeof v.version === 'string' && v.version.length > 0, 'Version missing')
  assert(v.repo != null && v.system != null, 'Repo/System missing')
})

await check('block', async () => {
  const data = bytes(5000, 7)
  const cid = await client.block.put(data, { format: 'raw', mhtype: 'sha2-256' })
  const expected = CID.createV1(raw.code, await sha256.digest(data))
  assert(cid.equals(expected), `block/put gave ${cid}, expected ${expected}`)
  const back = await client.block.get(cid)
  assert(Buffer.compare(Buffer.from(back), Buffer.from(data)) === 0, 'block/get bytes differ')
  const stat = await client.block.stat(cid)
  assert(stat.size === 5000 && stat.cid.equals(cid), `block/stat ${JSON.stringify(stat)}`)
  const removed = await collect(client.block.rm(cid))
  assert(removed.length === 1 && removed[0].cid.equals(cid) && removed[0].error == null, 'block/rm answer')
  const again = await collect(client.block.rm(cid))
  assert(again.length === 1 && again[0].error != null, 'block/rm of a missing block must report an error')
})

await check('swarm', async () => {
  assert(flags.peer != null, '--peer missing')
  await client.swarm.connect(flags.peer)
  const peers = await client.swarm.peers()
  const want = flags.peer.split('/p2p/')[1]
  assert(peers.some(p => p.peer.toString() === want), `swarm/peers lacks ${want}: ${JSON.stringify(peers.map(p => p.peer.toString()))}`)
  const p = peers.find(p => p.peer.toString() === want)
  assert(p.addr != null, 'peer without Addr')
  const verbose = (await client.swarm.peers({ verbose: true })).find(p => p.peer.toString() === want)
  assert(verbose != null, 'swarm/peers?verbose=true lacks the peer')
  assert(typeof verbose.latency === 'string' && (verbose.latency === 'n/a' || /^[0-9.]+(ns|µs|ms|s)$/.test(verbose.latency)),
    `Latency as a Go duration: ${JSON.stringify(verbose.latency)}`)
  assert(Array.isArray(verbose.streams), `Streams: ${JSON.stringify(verbose.streams)}`)
  assert(verbose.direction === 'outbound', `Direction 2 (we dialled): ${verbose.direction}`)
  assert(verbose.identify != null && verbose.identify.ID === want, `Identify: ${JSON.stringify(verbose.identify)}`)
})

await check('stats-bw', async () => {
  // The connection made by the swarm check exchanges identify right after it opens: its bytes show soon.
  let total
  for (let i = 0; i < 100; i++) {
    [total] = await collect(client.stats.bw())
    if (total.totalIn > 0n && total.totalOut > 0n) break
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  assert(typeof total.totalIn === 'bigint' && total.totalIn > 0n && total.totalOut > 0n, `stats/bw totals ${total.totalIn} ${total.totalOut}`)
  assert(Number.isFinite(total.rateIn) && Number.isFinite(total.rateOut), 'stats/bw rates')
  const controller = new AbortController()
  const polled = []
  try {
    for await (const line of client.stats.bw({ poll: true, interval: '100ms', signal: controller.signal })) {
      polled.push(line)
      if (polled.length === 3) controller.abort()
    }
  } catch (e) {
    if (polled.length < 3) throw e
  }
  assert(polled.length === 3 && polled.every(l => typeof l.totalIn === 'bigint'), `stats/bw poll gave ${polled.length} lines`)
})

let fileCid
const fileBytes = bytes(700_000, 11)
await check('add-cat', async () => {
  const added = await client.add(fileBytes)
  fileCid = added.cid
  const expected = await kuboAddCid(fileBytes)
  assert(added.cid.toString() === expected, `add gave ${added.cid}, Kubo's importer gives ${expected}`)
  assert(added.size > 700_000, `add Size ${added.size}`)
  const back = concat(await collect(client.cat(added.cid)))
  assert(Buffer.compare(Buffer.from(back), Buffer.from(fileBytes)) === 0, 'cat bytes differ')
  const part = concat(await collect(client.cat(added.cid, { offset: 300_000, length: 1000 })))
  assert(Buffer.compare(Buffer.from(part), Buffer.from(fileBytes.subarray(300_000, 301_000))) === 0, 'cat offset/length differ')
  return { cid: added.cid.toString() }
})

let dirCid
await check('add-dir-ls', async () => {
  const entries = await collect(client.addAll([
    { path: 'dir/a.txt', content: new TextEncoder().encode('hello a') },
    { path: 'dir/sub/b.bin', content: bytes(300_000, 3) }
  ]))
  const root = entries.find(e => e.path === 'dir')
  assert(root != null, `no entry for dir: ${JSON.stringify(entries.map(e => e.path))}`)
  dirCid = root.cid
  const listed = await collect(client.ls(root.cid))
  const names = listed.map(e => e.name).sort()
  assert(JSON.stringify(names) === JSON.stringify(['a.txt', 'sub']), `ls names ${names}`)
  assert(listed.find(e => e.name === 'sub').type === 'dir', 'sub is not a dir')
  assert(listed.find(e => e.name === 'a.txt').type === 'file', 'a.txt is not a file')
  const sub = concat(await collect(client.cat(`/ipfs/${root.cid}/sub/b.bin`)))
  assert(sub.length === 300_000, `cat by path gave ${sub.length} bytes`)
})

await check('pin', async () => {
  const pinned = await collect(client.pin.addAll([{ cid: dirCid, recursive: true }], { name: 'suite' }))
  assert(pinned.length >= 1 && pinned[0].equals(dirCid), `pin/add answered ${pinned}`)
  const recursive = await collect(client.pin.ls({ type: 'recursive' }))
  assert(recursive.some(p => p.cid.equals(dirCid) && p.type === 'recursive'), 'pin/ls lacks the recursive pin')
  const one = await collect(client.pin.ls({ paths: [dirCid] }))
  assert(one.length === 1 && one[0].type === 'recursive', `pin/ls arg ${JSON.stringify(one)}`)
  const indirect = await collect(client.pin.ls({ type: 'indirect' }))
  assert(indirect.length >= 3, `pin/ls indirect found ${indirect.length}`)
  const next = (await client.add(bytes(3000, 13), { pin: false })).cid
  const updated = await client.pin.update(dirCid, next, { unpin: false })
  assert(updated.length === 2, `pin/update answered ${updated}`)
  const both = await collect(client.pin.ls({ type: 'recursive' }))
  assert(both.some(p => p.cid.equals(next)) && both.some(p => p.cid.equals(dirCid)), 'unpin=false lost a pin')
  const removed = await client.pin.rm(next)
  assert(removed.equals(next), `pin/rm answered ${removed}`)
  let message = ''
  try { await client.pin.rm(next) } catch (err) { message = err.message }
  assert(message.includes('not pinned or pinned indirectly'), `second pin/rm: "${message}"`)
})

await check('refs', async () => {
  const refs = await collect(client.refs(dirCid, { recursive: true }))
  assert(refs.length >= 3 && refs.every(r => r.err == null || r.err === ''), `refs ${JSON.stringify(refs)}`)
  const local = await collect(client.refs.local())
  assert(local.length >= refs.length, `refs/local listed ${local.length}`)
})

await check('repo', async () => {
  const stat = await client.repo.stat()
  assert(stat.numObjects > 0n && stat.repoSize > 0n && stat.storageMax > 0n, `repo/stat ${stat}`)
  const loose = await client.block.put(bytes(2000, 99), { format: 'raw' })
  const removed = await collect(client.repo.gc())
  assert(removed.some(r => r.cid != null && r.cid.equals(loose)), 'repo/gc did not remove the unpinned block')
  assert(removed.every(r => r.cid == null || !r.cid.equals(dirCid)), 'repo/gc removed a pinned root')
  const back = concat(await collect(client.cat(`/ipfs/${dirCid}/sub/b.bin`)))
  assert(back.length === 300_000, 'a pinned file is gone after GC')
})

await check('bitswap', async () => {
  const stat = await client.bitswap.stat()
  assert(Array.isArray(stat.wantlist) && Array.isArray(stat.peers), 'bitswap/stat lists')
  assert(typeof stat.blocksReceived === 'bigint' && typeof stat.dataSent === 'bigint', 'bitswap/stat counters')
  const wants = await client.bitswap.wantlist()
  assert(Array.isArray(wants), 'bitswap/wantlist')
})

await check('dag-import-export', async () => {
  const blocks = []
  for (let i = 0; i < 3; i++) {
    const data = bytes(1000 + i, 200 + i)
    blocks.push({ cid: CID.createV1(raw.code, await sha256.digest(data)), bytes: data })
  }
  const { writer, out } = CarWriter.create([blocks[0].cid])
  const carChunks = collect(out)
  for (const b of blocks) await writer.put(b)
  await writer.close()
  const car = concat(await carChunks)
  const results = await collect(client.dag.import([car]))
  assert(results.length === 1 && results[0].root.cid.equals(blocks[0].cid) && !results[0].root.pinErrorMsg, `dag/import ${JSON.stringify(results)}`)
  const pins = await collect(client.pin.ls({ paths: [blocks[0].cid] }))
  assert(pins.length === 1 && pins[0].type === 'recursive', 'dag/import did not pin its root')
  const exported = concat(await collect(client.dag.export(dirCid)))
  const reader = await CarReader.fromBytes(exported)
  const roots = await reader.getRoots()
  assert(roots.length === 1 && roots[0].equals(dirCid), 'dag/export roots')
  let count = 0
  for await (const b of reader.blocks()) {
    const digest = await sha256.digest(b.bytes)
    assert(Buffer.compare(Buffer.from(digest.digest), Buffer.from(b.cid.multihash.digest)) === 0, `block ${b.cid} does not hash to its CID`)
    count++
  }
  assert(count >= 4, `dag/export carried ${count} blocks`)
})

emit({ event: 'done', failed })
exit(failed === 0 ? 0 : 1)
