// Fetches content through a trustless gateway the way browsers and JS apps do, and prints what was
// verified as one JSON object:
//   node gateway-fetch.mjs <gateway-url> <cid>[/path] [--query 'dag-scope=entity&entity-bytes=0:99']
// - "verifiedFetch": @helia/verified-fetch fetches ipfs://<cid>[/path] over a Helia with HTTP only and the
//   gateway as its only provider, told by a router of its own (createVerifiedFetch's default node asks
//   libp2p and delegated routers first and reaches a fallback gateway only after their minute-long
//   timeouts), verifying every block it takes: status, Content-Type, byte count and the body's SHA-256.
// - "car": a plain GET of /ipfs/<cid>[/path]?format=car[&query], parsed with @ipld/car; every block is
//   re-hashed against its CID: status, Content-Type, the CAR's roots and blocks, and any that failed.
// Exits 1 if either part fails.
import './polyfill.mjs'
import { createVerifiedFetchWithHelia } from '@helia/verified-fetch'
import { withHTTP } from '@helia/http'
import { createHeliaLight } from 'helia'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as json from 'multiformats/codecs/json'
import { CID } from 'multiformats/cid'
import { uriToMultiaddr } from '@multiformats/uri-to-multiaddr'
import { CarBlockIterator } from '@ipld/car'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { identity } from 'multiformats/hashes/identity'
import { createHash } from 'node:crypto'

const [gateway, target, ...rest] = process.argv.slice(2)
if (gateway == null || target == null) {
  console.error('usage: node gateway-fetch.mjs <gateway-url> <cid>[/path] [--query <query>]')
  process.exit(2)
}
const queryAt = rest.indexOf('--query')
const query = queryAt >= 0 ? rest[queryAt + 1] : ''
const base = gateway.replace(/\/+$/, '')
const hashers = { [sha256.code]: sha256, [sha512.code]: sha512, [identity.code]: identity }

const equal = (a, b) => a.length === b.length && a.every((v, i) => v === b[i])

// A router that names the gateway as the provider of every CID, as @helia/fallback-router does, but as an
// ordinary router (Helia consults fallback routers only when no other router exists or answers).
function gatewayRouter (url) {
  // 0x0920: transport-ipfs-gateway-http; the peer id is the gateway's URL in an identity multihash.
  const id = CID.createV1(0x0920, identity.digest(new TextEncoder().encode(url)))
  return {
    name: 'cairn-gateway',
    capabilities: () => ['providers'],
    async * findProviders () {
      yield { id, multiaddrs: [uriToMultiaddr(url)], protocols: ['transport-ipfs-gateway-http'], router: 'cairn-gateway' }
    },
    toString: () => `GatewayRouter(${url})`
  }
}

async function viaVerifiedFetch () {
  const helia = withHTTP(createHeliaLight({ codecs: [dagCbor, dagJson, json] }), {
    delegatedRouters: [],
    recursiveGateways: [],
    allowInsecure: true,
    allowLocal: true
  })
  helia.addRouter(gatewayRouter(base))
  await helia.start()
  const verifiedFetch = await createVerifiedFetchWithHelia(helia)
  try {
    const r = await verifiedFetch(`ipfs://${target}`, { signal: AbortSignal.timeout(60_000) })
    const body = new Uint8Array(await r.arrayBuffer())
    return {
      ok: r.ok,
      status: r.status,
      contentType: r.headers.get('content-type'),
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex')
    }
  } finally {
    await verifiedFetch.stop()
    await helia.stop()
  }
}

async function viaCar () {
  const url = `${base}/ipfs/${target}?format=car${query === '' ? '' : '&' + query}`
  const r = await fetch(url, { headers: { Accept: 'application/vnd.ipld.car' }, signal: AbortSignal.timeout(60_000) })
  const out = { url, status: r.status, contentType: r.headers.get('content-type') }
  if (!r.ok) {
    return { ...out, ok: false, error: await r.text() }
  }
  const iterator = await CarBlockIterator.fromIterable(r.body)
  out.roots = (await iterator.getRoots()).map(String)
  out.blocks = []
  out.unverified = []
  for await (const { cid, bytes } of iterator) {
    const hasher = hashers[cid.multihash.code]
    const digest = hasher == null ? null : await hasher.digest(bytes)
    if (digest == null || !equal(digest.bytes, cid.multihash.bytes)) {
      out.unverified.push(String(cid))
    }
    out.blocks.push({ cid: String(cid), size: bytes.length })
  }
  out.ok = out.unverified.length === 0
  return out
}

const result = {}
for (const [name, run] of [['verifiedFetch', viaVerifiedFetch], ['car', viaCar]]) {
  try {
    result[name] = await run()
  } catch (err) {
    result[name] = { ok: false, error: String(err?.stack ?? err) }
  }
}
console.log(JSON.stringify(result))
process.exit(result.verifiedFetch.ok && result.car.ok ? 0 : 1)
