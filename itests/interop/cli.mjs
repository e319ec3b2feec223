// The command-line conventions shared by peer.mjs and helia-peer.mjs:
// stdout carries one JSON object per line and nothing else, logs go to
// stderr, every failure ends with {"event":"error"} and a non-zero exit, and a
// hard timeout ends the process whatever happens.

import { basename } from 'node:path'

const name = basename(process.argv[1] ?? 'interop')
let exiting = false

export function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

export function log (...args) {
  console.error(`[${name}]`, ...args)
}

/** Ends the process with `code`; the first call wins, later ones do nothing. */
export function exit (code) {
  if (exiting) return
  exiting = true
  process.exit(code)
}

export function fail (message, code = 1) {
  if (exiting) return
  emit({ event: 'error', message: String(message) })
  exit(code)
}

process.on('uncaughtException', (err) => {
  log('uncaught exception', err)
  fail(`uncaught exception: ${err?.stack ?? err}`)
})
process.on('unhandledRejection', (err) => {
  log('unhandled rejection', err)
  fail(`unhandled rejection: ${err?.stack ?? err}`)
})

/** `--name value`, `--name=value`, and the value-less flags named in `booleans`. */
export function parseArgs (argv, booleans = ['ignore-stdin']) {
  const positional = []
  const flags = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      if (eq > 0) {
        flags[a.slice(2, eq)] = a.slice(eq + 1)
      } else if (booleans.includes(a.slice(2))) {
        flags[a.slice(2)] = true
      } else {
        if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`)
        flags[a.slice(2)] = argv[++i]
      }
    } else {
      positional.push(a)
    }
  }
  return { positional, flags }
}

export function intArg (value, name, dflt, min, max) {
  if (value == null) return dflt
  if (!/^\d+$/.test(String(value))) throw new Error(`${name} must be a non-negative integer, got ${value}`)
  const n = Number(value)
  if (n < min || n > max) throw new Error(`${name} must be in [${min}, ${max}], got ${n}`)
  return n
}

/** The hard timeout in force (a live binding: runMain sets it before the mode runs). */
export let hardTimeoutMs = 0

/** Arms the hard timeout: exit 2 after `ms`, whatever happens. */
export function hardTimeout (ms) {
  hardTimeoutMs = ms
  setTimeout(() => fail(`hard timeout after ${ms / 1000} s`, 2), ms)
}

/**
 * Runs the mode named by the first argument: `modes` maps each name to
 * `{ timeout: default seconds, run: ({ positional, flags }) => Promise }`.
 * Arms the hard timeout (`--timeout S` or the mode's default) first, and
 * turns any failure into an error line and exit 1.
 */
export function runMain ({ modes, usage, booleans }) {
  const main = async () => {
    const { positional, flags } = parseArgs(process.argv.slice(2), booleans)
    const mode = modes[positional.shift()]
    if (mode == null) throw new Error(`usage: ${usage}`)
    hardTimeout(intArg(flags.timeout, '--timeout', mode.timeout, 1, 86_400) * 1000)
    await mode.run({ positional, flags })
  }
  main().catch((err) => {
    log(err?.stack ?? err)
    fail(err?.message ?? err)
  })
}

/**
 * Calls `stop(why)` once on SIGTERM, SIGINT or, unless `ignoreStdin`, when
 * stdin closes (the parent's way of saying "done" that also works when the
 * parent dies).
 */
export function stopOn (stop, { ignoreStdin = false } = {}) {
  let stopping = false
  const once = (why) => {
    if (stopping) return
    stopping = true
    log(`stopping: ${why}`)
    Promise.resolve().then(() => stop(why)).catch((err) => fail(`error while stopping: ${err?.message ?? err}`))
  }
  process.on('SIGTERM', () => once('SIGTERM'))
  process.on('SIGINT', () => once('SIGINT'))
  if (!ignoreStdin) {
    process.stdin.on('end', () => once('stdin closed'))
    process.stdin.on('close', () => once('stdin closed'))
    process.stdin.on('error', () => once('stdin error'))
    process.stdin.resume() // read and discard, to see the end
  }
}

/** Runs `stopping` (a node's stop()) for at most `ms`; a stop that hangs must not keep the process alive. */
export async function boundedStop (stopping, ms = 5000) {
  let timer
  await Promise.race([
    Promise.resolve(stopping).catch((err) => log('error while stopping', err)),
    new Promise((resolve) => { timer = setTimeout(() => { log(`stop took longer than ${ms} ms`); resolve() }, ms) })
  ])
  clearTimeout(timer)
}
