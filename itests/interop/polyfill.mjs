// Node 20 lacks Promise.withResolvers (ES2024), which js-libp2p 3 and Helia 7
// call. Every entry script imports this module FIRST, before any libp2p
// import, so the polyfill is installed before those modules are evaluated.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    }
  })
}
