'use strict'
// Waits until FILE contains TEXT (polled every 50 ms) or fails at the deadline.
// Usage: node wait-file.js --file FILE --text TEXT [--deadline-ms 30000]
const fs = require('fs')
const args = require('../lib/args')(process.argv.slice(2))
const deadline = Date.now() + Number(args['deadline-ms'] || 30000)
const timer = setInterval(() => {
  let text = ''
  try { text = fs.readFileSync(args.file, 'utf8') } catch { }
  if (text.includes(args.text)) { clearInterval(timer); process.exit(0) }
  if (Date.now() > deadline) { console.error(`wait-file: "${args.text}" not in ${args.file} before the deadline:\n${text}`); process.exit(1) }
}, 50)
