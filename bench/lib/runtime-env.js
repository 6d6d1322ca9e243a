'use strict'
// The .NET runtime settings the server runs with (scripts/runtime.env, as ./papergao sources it), for the benchmarks
// that start the server themselves: runtimeEnv() is process.env plus those KEY=VALUE lines.
const fs = require('fs')
const path = require('path')

function runtimeEnv (base = process.env) {
  const file = path.join(__dirname, '..', '..', 'scripts', 'runtime.env')
  const env = { ...base }
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim())
    if (m) env[m[1]] = m[2]
  }
  return env
}

module.exports = { runtimeEnv }
