// Entry scripts import the polyfill first (see polyfill.mjs), even this one,
// which loads no libp2p module itself: the rule is easier to keep without
// exceptions.
import './polyfill.mjs'

import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The js<->js baseline: starts `peer.mjs listen`, runs every dial scenario of
// peer.mjs against it (identify, ping, echo-concurrent 100, sink 64 three
// times), stops the listener, and prints one JSON line per scenario result plus
// a summary line with the median sink throughput.
//
//   node baseline.mjs [--target <multiaddr-with-/p2p/>] [--runs N] [--mib M]
//
// With --target no listener is started: the same scenarios run against that
// peer (for example a Cairn node), so its numbers can be set beside js<->js.

const HERE = dirname(fileURLToPath(import.meta.url))
const PEER = join(HERE, 'peer.mjs')
const HARD_TIMEOUT_MS = 600_000
const STEP_TIMEOUT_S = 120

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function flag (name, dflt) {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt
}

const hardTimer = setTimeout(() => {
  emit({ event: 'error', message: `baseline hard timeout after ${HARD_TIMEOUT_MS / 1000} s` })
  listener?.kill('SIGKILL')
  process.exit(2)
}, HARD_TIMEOUT_MS)

let listener = null

function startListener () {
  return new Promise((resolve, reject) => {
    listener = spawn(process.execPath, [PEER, 'listen', '--timeout', String(HARD_TIMEOUT_MS / 1000)], {
      stdio: ['pipe', 'pipe', 'inherit']
    })
    let buf = ''
    const onData = (d) => {
      buf += d
      const nl = buf.indexOf('\n')
      if (nl < 0) return
      const first = JSON.parse(buf.slice(0, nl))
      listener.stdout.off('data', onData)
      listener.stdout.resume() // keep draining its event lines
      if (first.event !== 'listening') reject(new Error(`listener said ${JSON.stringify(first)}`))
      else resolve(first)
    }
    listener.stdout.setEncoding('utf8')
    listener.stdout.on('data', onData)
    listener.on('exit', (code) => reject(new Error(`listener exited early with ${code}`)))
  })
}

function stopListener () {
  return new Promise((resolve) => {
    if (listener == null || listener.exitCode != null) return resolve(listener?.exitCode)
    const timer = setTimeout(() => listener.kill('SIGKILL'), 10_000)
    listener.on('exit', (code) => { clearTimeout(timer); resolve(code) })
    listener.stdin.end() // closing stdin is the listener's signal to stop
  })
}

function dial (target, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PEER, 'dial', target, ...args, '--timeout', String(STEP_TIMEOUT_S)], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (d) => { out += d })
    child.on('exit', (code) => {
      const lines = out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
      resolve({ code, lines })
    })
  })
}

function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function main () {
  const runs = Number(flag('runs', '3'))
  const mib = flag('mib', '64')
  let target = flag('target', null)
  if (target == null) {
    const listening = await startListener()
    target = listening.addrs[0]
    emit({ event: 'listener', peerId: listening.peerId, addr: target })
  }
  const steps = [
    ['identify'],
    ['ping', '3'],
    ['echo-concurrent', '100'],
    ...Array.from({ length: runs }, () => ['sink', mib])
  ]
  let failures = 0
  const sinkRates = []
  for (const args of steps) {
    const { code, lines } = await dial(target, args)
    const results = lines.filter((l) => ['identified', 'ping', 'echo', 'sink', 'error'].includes(l.event))
    emit({ event: 'step', args, exitCode: code, results })
    if (code !== 0) failures++
    for (const l of lines) if (l.event === 'sink' && l.ok) sinkRates.push(l.mbPerSec)
  }
  const listenerExit = await stopListener()
  emit({
    event: 'baseline',
    target,
    failures,
    sinkMiB: Number(mib),
    sinkMbPerSec: sinkRates,
    sinkMbPerSecMedian: sinkRates.length > 0 ? median(sinkRates) : null,
    listenerExitCode: listenerExit ?? null
  })
  clearTimeout(hardTimer)
  process.exit(failures === 0 ? 0 : 1)
}

main().catch(async (err) => {
  emit({ event: 'error', message: err?.message ?? String(err) })
  listener?.kill('SIGKILL')
  process.exit(1)
})
