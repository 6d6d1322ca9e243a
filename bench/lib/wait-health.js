'use strict'
// Polls a health URL until it answers 200, with a deadline and no fixed sleep.
// Prints the milliseconds from --start-ms (the wall clock taken just before the process was
// launched) to the first 200. Fails early when --pid has exited.
// Usage: node wait-health.js --url URL --start-ms MS [--pid PID] [--deadline-ms 60000]
const http = require('http')
const fs = require('fs')
const parseArgs = require('./args')

const args = parseArgs(process.argv.slice(2))
const url = args.url
const startMs = Number(args['start-ms'] || Date.now())
const deadline = Date.now() + Number(args['deadline-ms'] || 60000)
const pid = args.pid
let lastError = 'no answer yet'

function alive () {
  return !pid || fs.existsSync(`/proc/${pid}`)
}

function probe () {
  if (!alive()) return fail(`process ${pid} exited before ${url} became healthy (${lastError})`)
  if (Date.now() > deadline) return fail(`${url} not healthy before the deadline (${lastError})`)
  const req = http.get(url, { agent: false, timeout: 2000 }, res => {
    res.resume()
    if (res.statusCode === 200) {
      const ms = Date.now() - startMs
      console.log(ms)
      process.exit(0)
    }
    lastError = `HTTP ${res.statusCode}`
    setTimeout(probe, 5)
  })
  req.on('timeout', () => req.destroy(new Error('timeout')))
  req.on('error', e => {
    lastError = e.code || e.message
    setTimeout(probe, 5)
  })
}

function fail (msg) {
  console.error(`wait-health: ${msg}`)
  process.exit(1)
}

probe()
