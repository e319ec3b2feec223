// Imports files and directories with Helia's UnixFS importer (ipfs-unixfs-importer) under Kubo's
// `add` settings and prints the CIDs, for io.cairn.itests.UnixFsImportInteropTest to compare with
// Cairn's importer on the same bytes.
//
// Usage: node unixfs-import.mjs --spec <spec.json>
// spec.json: {"cases":[{"name":..., "cidVersion":0|1, "rawLeaves":bool, "wrap":bool,
//              "chunkSize":262144, "entries":[{"path":"dir/a.bin","file":"/abs/file"} | {"path":"dir","dir":true}]}]}
// Prints one {"event":"imported","case":name,"root":cid,"entries":[{"path","cid","size"}]} per case,
// then {"event":"done"}.
//
// Kubo's defaults as importer options: fixed-size chunks (size-262144), the balanced layout with 174
// links a node, a one-chunk file as its own root (reduceSingleLeafToSelf), dag-pb leaves of UnixFS
// type file when not raw (leafType 'file'), links before data in dag-pb (go-codec-dagpb's order),
// directories sharded (HAMT, fanout 256) past 256 KiB of estimated link bytes.
import './polyfill.mjs'
import { readFile } from 'node:fs/promises'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { emit, exit, fail, parseArgs } from './cli.mjs'

const { flags } = parseArgs(process.argv.slice(2))
if (flags.spec == null) fail('--spec <file> is required')
const spec = JSON.parse(await readFile(flags.spec, 'utf8'))

async function * source (entries) {
  for (const e of entries) {
    if (e.dir) {
      yield { path: e.path }
    } else {
      const bytes = await readFile(e.file)
      yield { path: e.path, content: (async function * () { yield bytes })() }
    }
  }
}

for (const c of spec.cases) {
  const blockstore = new MemoryBlockstore()
  const out = []
  for await (const entry of importer(source(c.entries), blockstore, {
    cidVersion: c.cidVersion,
    rawLeaves: c.rawLeaves,
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    wrapWithDirectory: c.wrap,
    chunker: fixedSize({ chunkSize: c.chunkSize ?? 262144 }),
    layout: balanced({ maxChildrenPerNode: 174 }),
    fieldOrder: 'links-first',
    // Kubo's directory sharding: past 256 KiB estimated as name + CID bytes of every link, fanout 256
    shardSplitStrategy: 'links-bytes',
    shardSplitThresholdBytes: 262144,
    shardFanoutBits: 8
  })) {
    out.push({ path: entry.path ?? '', cid: entry.cid.toString(), size: Number(entry.size) })
  }
  emit({ event: 'imported', case: c.name, root: out[out.length - 1].cid, entries: out })
}
emit({ event: 'done' })
// stdout to a pipe is written asynchronously: exit once every line is out
process.stdout.write('', () => exit(0))
