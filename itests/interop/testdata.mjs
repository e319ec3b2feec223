// The deterministic test blocks shared by Java and JS (bitswap-spec "Test data
// shared by Java and JS"); io.cairn.itests.TestBlocks computes the same ones.
//
// Content of block (size, index): the AES-128-CTR keystream (zeros encrypted)
// of `size` bytes, key = first 16 bytes of SHA-256(UTF-8 "cairn-bench/" +
// size), IV = 8-byte big-endian index followed by 8 zero bytes.
//   raw:   CIDv1 raw sha2-256 of the content.
//   dagpb: the PBNode whose only field is Data = the content, i.e. the bytes
//          0x0a, uvarint(size), content; CIDv0 = sha2-256 of those bytes.

import { createCipheriv, createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'

export const KINDS = ['raw', 'dagpb']
const SHA2_256 = 0x12
const SHA2_512 = 0x13
const IDENTITY = 0x00
// bitswap peers refuse blocks over 2 MiB (boxo's limit; Helia's is just under 4 MiB)
export const MAX_BLOCK_SIZE = 2 * 1024 * 1024
export const MAX_SET_BYTES = 4 * 1024 * 1024 * 1024

function uvarint (n) {
  const out = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Buffer.from(out)
}

/**
 * Generates the blocks of one set, index 0..count-1, calling onBlock(cid,
 * bytes, index) for each; the key and the input of zeros are made once.
 */
export function generate ({ kind, size, count }, onBlock) {
  if (!KINDS.includes(kind)) throw new Error(`kind must be one of ${KINDS.join(', ')}, got ${kind}`)
  const key = createHash('sha256').update(`cairn-bench/${size}`, 'utf8').digest().subarray(0, 16)
  const zeros = Buffer.alloc(size)
  const iv = Buffer.alloc(16)
  const header = kind === 'dagpb' ? Buffer.concat([Buffer.from([0x0a]), uvarint(size)]) : null
  for (let index = 0; index < count; index++) {
    iv.writeBigUInt64BE(BigInt(index), 0)
    const content = createCipheriv('aes-128-ctr', key, iv).update(zeros)
    let bytes = content
    if (header != null) {
      bytes = Buffer.allocUnsafe(header.length + size)
      header.copy(bytes, 0)
      content.copy(bytes, header.length)
    }
    const digest = Digest.create(SHA2_256, createHash('sha256').update(bytes).digest())
    const cid = header != null ? CID.createV0(digest) : CID.createV1(raw.code, digest)
    onBlock(cid, bytes, index)
  }
}

/** SHA-256 (hex) of the CIDs' string forms joined with "\n". */
export function cidsSha256 (cids) {
  return createHash('sha256').update(cids.map((c) => c.toString()).join('\n'), 'utf8').digest('hex')
}

/**
 * Parses sets: either `--sets kind:size:count[,kind:size:count...]` or one set
 * from `--kind`, `--size`, `--count`.
 */
export function parseSets (flags, intArg) {
  const specs = flags.sets != null
    ? String(flags.sets).split(',').map((s) => {
      const [kind, size, count, extra] = s.split(':')
      if (extra != null || count == null) throw new Error(`--sets entries are kind:size:count, got ${s}`)
      return { kind, size, count }
    })
    : [{ kind: flags.kind ?? 'raw', size: flags.size, count: flags.count }]
  let total = 0
  const sets = specs.map(({ kind, size, count }) => {
    if (!KINDS.includes(kind)) throw new Error(`kind must be one of ${KINDS.join(', ')}, got ${kind}`)
    const set = {
      kind,
      size: intArg(size, 'size', 1024, 1, MAX_BLOCK_SIZE),
      count: intArg(count, 'count', 100, 0, 10_000_000)
    }
    total += set.size * set.count
    return set
  })
  if (total > MAX_SET_BYTES) throw new Error(`the sets hold ${total} bytes, more than ${MAX_SET_BYTES}`)
  return sets
}

/**
 * null if `bytes` hashes to the multihash in `cid`, else what is wrong. Only
 * the hash functions Node has built in (and identity) are checked.
 */
export function verifyBlock (cid, bytes) {
  const { code, digest } = cid.multihash
  let actual
  if (code === SHA2_256) actual = createHash('sha256').update(bytes).digest()
  else if (code === SHA2_512) actual = createHash('sha512').update(bytes).digest()
  else if (code === IDENTITY) actual = Buffer.from(bytes)
  else return `cannot check hash function 0x${code.toString(16)}`
  return Buffer.from(digest).equals(actual) ? null : `${bytes.byteLength} bytes that do not hash to the CID`
}
