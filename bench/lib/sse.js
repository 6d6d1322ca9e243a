'use strict'
// Realtime (SSE) clients for the bench scripts (bench/realtime.js, lib/realtime-fanout.js): each client holds its own
// socket to GET /api/realtime, waits for PB_CONNECT, and hands every later event's data to a callback.
const http = require('http')

/** One SSE client on its own socket: resolves to { id, close } once PB_CONNECT arrived; onEvent(data) per later event. */
function openSse (port, onEvent, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/api/realtime', agent: false }, res => {
      let buf = ''
      let client = null
      res.setEncoding('utf8')
      res.on('data', chunk => {
        buf += chunk
        let at
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, at)
          buf = buf.slice(at + 2)
          const dataLine = frame.split('\n').find(l => l.startsWith('data:'))
          if (!client) {
            client = { id: JSON.parse(dataLine.slice(5)).clientId, close: () => req.destroy() }
            resolve(client)
          } else if (onEvent) onEvent(dataLine.slice(5))
        }
      })
      res.on('error', () => {})
    })
    req.on('error', err => { if (!req.destroyed) reject(err) })
  })
}

/** n clients, opened `parallel` at a time. onEvent(data, index): index is the client's place in the answer. */
async function openMany (port, n, onEvent, parallel = 200, host = '127.0.0.1') {
  const clients = []
  let next = 0
  const worker = async () => {
    while (next < n) {
      const k = next++
      clients[k] = await openSse(port, onEvent ? data => onEvent(data, k) : null, host)
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker))
  return clients
}

/** Sets every client's subscriptions; post(body) sends POST /api/realtime (with whatever auth the caller wants). */
async function subscribeAll (clients, topics, post, parallel = 32) {
  let next = 0
  const worker = async () => {
    while (next < clients.length) {
      const c = clients[next++]
      await post({ clientId: c.id, subscriptions: topics })
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Polls cond() every 5 ms until it holds; rejects after ms. */
async function waitFor (cond, ms, what) {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what)
    await sleep(5)
  }
}

module.exports = { openSse, openMany, subscribeAll, waitFor, sleep }
