// Stream helpers shared by peer.mjs and muxer-stress.mjs: reading to the end,
// writing with backpressure, and the echo protocol's server side.

import { hardTimeoutMs, log } from './cli.mjs'

// ------------------------------------------------------------- stream helpers
//
// libp2p 3 streams (@libp2p/interface Stream, a MessageStream) are event
// targets: 'message' (evt.data is Uint8Array | Uint8ArrayList), 'end' (read
// side finished: remote closed its write side and the read buffer is empty),
// 'remoteCloseWrite', 'close' (evt.error set on abort/reset), 'drain'.
// Writing is stream.send(buf) -> boolean; false means wait for 'drain'
// (stream.onDrain()). stream.close() closes our write side (half-close, yamux
// FIN) and resolves once queued data is handed to the muxer; stream.abort(err)
// resets.

export function * parts (data) {
  if (data instanceof Uint8Array) {
    yield data
  } else {
    yield * data // Uint8ArrayList is iterable over its Uint8Array chunks
  }
}

export function isBroken (stream) {
  return stream.status === 'reset' || stream.status === 'aborted'
}

/**
 * Deliver every chunk the remote sends to onChunk until the remote closes its
 * write side and everything buffered has been delivered. Rejects if the
 * stream is reset or aborted, or the signal fires.
 *
 * Uses the 'end' event rather than 'remoteCloseWrite' or the async iterator:
 * 'end' only fires once the read buffer is empty, so data that arrived before
 * the listener was attached, or while the stream was paused, is never lost.
 */
export function readStream (stream, onChunk, signal) {
  return new Promise((resolve, reject) => {
    let done = false
    const finish = (err) => {
      if (done) return
      done = true
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('end', onEnd)
      stream.removeEventListener('close', onClose)
      signal?.removeEventListener('abort', onAbort)
      if (err != null) reject(err)
      else resolve()
    }
    const onMessage = (evt) => {
      try {
        for (const p of parts(evt.data)) onChunk(p)
      } catch (err) {
        finish(err)
      }
    }
    const onEnd = () => {
      finish(isBroken(stream) ? new Error(`stream ${stream.status} before the remote closed its write side`) : undefined)
    }
    const onClose = (evt) => {
      if (evt.error != null) {
        finish(evt.error)
      } else {
        // fully closed cleanly; let any dispatch already queued run first
        setImmediate(() => finish(stream.readableEnded ? undefined : new Error('stream closed before its read side ended')))
      }
    }
    const onAbort = () => finish(signal.reason ?? new Error('aborted'))
    if (signal?.aborted) {
      onAbort()
      return
    }
    signal?.addEventListener('abort', onAbort)
    stream.addEventListener('message', onMessage)
    stream.addEventListener('end', onEnd)
    stream.addEventListener('close', onClose)
    if (stream.readableEnded) {
      queueMicrotask(onEnd)
    }
  })
}

/** Send one buffer, waiting for 'drain' when the send buffer is full. */
export async function sendWithBackpressure (stream, buf, signal) {
  if (!stream.send(buf)) {
    await stream.onDrain({ signal })
  }
}

/** Server side of /cairn/echo/1.0.0: every byte back, then close when the remote does. */
export function echoHandler (stream, connection) {
  const signal = AbortSignal.timeout(hardTimeoutMs)
  let bytes = 0
  const echo = (chunk) => {
    bytes += chunk.byteLength
    if (!stream.send(chunk)) {
      // the remote is not reading fast enough: stop delivering until drained
      stream.pause()
      stream.onDrain({ signal }).then(() => {
        if (stream.readStatus === 'paused') stream.resume()
      }, (err) => stream.abort(err))
    }
  }
  readStream(stream, echo, signal)
    .then(() => stream.close({ signal }))
    .catch((err) => {
      log(`echo: stream from ${connection.remotePeer} failed after ${bytes} bytes: ${err.message}`)
      stream.abort(err)
    })
}
