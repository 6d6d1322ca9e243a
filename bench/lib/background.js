'use strict'
// A background load that runs while a scenario is measured (bench/run.sh --suite writer, scenarios NAME+uploads,
// NAME+signups): one client uploading files of `mb` megabytes one after another (a streamed multipart create in
// `media`), or `clients` clients signing up users one after another (one bcrypt hash each). start() returns
// { stop(), count() }: count() is the number of background requests answered 200 so far.
const http = require('http')

function uploadOnce (url, mb) {
  return new Promise((resolve, reject) => {
    const boundary = '----papergaobg' + Date.now()
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="bg.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`)
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    const block = Buffer.alloc(1024 * 1024, 9)
    const u = new URL('/api/collections/media/records', url)
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + mb * block.length + tail.length } }, res => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', reject)
    req.write(head)
    let sent = 0
    const pump = () => {
      while (sent < mb) {
        sent++
        if (!req.write(block)) { req.once('drain', pump); return }
      }
      req.end(tail)
    }
    pump()
  })
}

async function signUpOnce (url, n) {
  const password = 'Bench-password-1'
  const res = await fetch(new URL('/api/collections/users/records', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bg${process.pid}-${n}@bench.test`, password, passwordConfirm: password })
  })
  await res.text()
  return res.status
}

function start (kind, url, { mb = 30, clients = 2 } = {}) {
  let stopped = false
  let ok = 0
  let seq = 0
  const loops = []
  const workers = kind === 'uploads' ? 1 : clients
  for (let i = 0; i < workers; i++) {
    loops.push((async () => {
      while (!stopped) {
        const status = kind === 'uploads' ? await uploadOnce(url, mb) : await signUpOnce(url, seq++)
        if (status === 200) ok++
      }
    })())
  }
  return {
    count: () => ok,
    stop: async () => { stopped = true; await Promise.all(loops) }
  }
}

module.exports = { start }
