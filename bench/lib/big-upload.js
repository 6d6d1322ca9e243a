'use strict'
// Uploads one file of --mb megabytes (default 1024) to the media collection as a streamed multipart body and
// prints {"mb":N,"status":200,"ms":..,"rssBeforeKiB":..,"peakBeforeKiB":..,"peakAfterKiB":..} for the server --pid:
// how much memory a large upload adds (VmHWM is the process's peak RSS).
// Usage: node big-upload.js --url URL --pid PID [--mb 1024]
const http = require('http')
const fs = require('fs')
const parseArgs = require('./args')

const args = parseArgs(process.argv.slice(2))
const mb = Number(args.mb || 1024)
const status = key => Number((fs.readFileSync(`/proc/${args.pid}/status`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+)`, 'm')) || [])[1])

const boundary = '----papergaobig' + Date.now()
const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`)
const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
const block = Buffer.alloc(1024 * 1024, 7)
const length = head.length + mb * block.length + tail.length

const before = { rss: status('VmRSS'), hwm: status('VmHWM') }
const t = Date.now()
const u = new URL('/api/collections/media/records', args.url)
const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length } }, res => {
  let text = ''
  res.on('data', c => { text += c })
  res.on('end', () => {
    console.log(JSON.stringify({ mb, status: res.statusCode, ms: Date.now() - t, rssBeforeKiB: before.rss, peakBeforeKiB: before.hwm, peakAfterKiB: status('VmHWM'), rssAfterKiB: status('VmRSS'), response: res.statusCode === 200 ? undefined : text.slice(0, 300) }))
  })
})
req.on('error', e => { console.error(e); process.exit(1) })
req.write(head)
let sent = 0
function pump () {
  while (sent < mb) {
    sent++
    if (!req.write(block)) { req.once('drain', pump); return }
  }
  req.end(tail)
}
pump()
