'use strict'
// A realtime client like the SDK: SSE stream on one node, subscribes to `posts`; when the stream breaks it connects
// to the next node of --urls (round the list) and subscribes again. Until SIGINT; then writes --out:
// { intervals: [{ url, subscribedAt, droppedAt }], received: [[record id, time ms]], refused: [[status, time ms]] }.
// Prints "subscribed <url>" each time a subscription is in place. A refused subscription request (not 204) is
// logged, counted and sent again after 200 ms (at most 10 times), as an app would.
// Usage: node realtime.js --urls URL1,URL2,… --out FILE
const fs = require('fs')
const http = require('http')
const args = require('../lib/args')(process.argv.slice(2))
const urls = args.urls.split(',')
const intervals = []
const received = []
const refused = []
let stopping = false
let current = null

function connect (k) {
  const url = urls[k % urls.length]
  const interval = { url, subscribedAt: null, droppedAt: null }
  const req = http.get(url + '/api/realtime', { headers: { accept: 'text/event-stream' } }, res => {
    if (res.statusCode !== 200) { res.resume(); return retry() }
    res.setEncoding('utf8')
    let buf = ''
    res.on('data', chunk => {
      buf += chunk
      let end
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, end)
        buf = buf.slice(end + 2)
        let event = 'message'; let data = ''
        for (const line of frame.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim()
          else if (line.startsWith('data:')) data += line.slice(5).trim()
        }
        if (event === 'PB_CONNECT') subscribe(url, JSON.parse(data).clientId, interval)
        else if (event === 'posts') {
          const d = JSON.parse(data)
          if (d.action === 'create') received.push([d.record.id, Date.now()])
        }
      }
    })
    res.on('end', retry)
    res.on('error', retry)
  })
  req.on('error', retry)
  current = req
  let retried = false
  function retry () {
    if (retried || stopping) return
    retried = true
    if (interval.subscribedAt) { interval.droppedAt = Date.now(); intervals.push(interval) }
    // The SDK reconnects after a short delay; so does this client (to the next node).
    setTimeout(() => connect(k + 1), 200)
  }
}

async function subscribe (url, clientId, interval, attempt = 0) {
  const res = await fetch(url + '/api/realtime', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId, subscriptions: ['posts'] })
  }).catch(() => null)
  if (res && res.status === 204) {
    interval.subscribedAt = Date.now()
    console.log('subscribed', url)
    current._interval = interval
    return
  }
  const status = res ? res.status : 0
  refused.push([status, Date.now()])
  console.log('subscription refused', status, url)
  if (attempt < 10 && !stopping) setTimeout(() => subscribe(url, clientId, interval, attempt + 1), 200)
}

connect(0)
process.on('SIGINT', () => {
  stopping = true
  if (current && current._interval && !current._interval.droppedAt) { current._interval.droppedAt = Date.now(); intervals.push(current._interval) }
  fs.writeFileSync(args.out, JSON.stringify({ intervals, received, refused }))
  process.exit(0)
})
