'use strict'
// Runs SQL statements with psql against an Npgsql-style connection string ("Host=…;Port=…;Username=…").
// Usage: node pg.js --conn CONN --sql "…" [--sql "…"]   (each --sql is one psql -c, in order)
const { execFileSync } = require('child_process')
const { pgEnv } = require('../lib/bulk-seed')
const argv = process.argv.slice(2)
let conn = ''
const sql = []
for (let i = 0; i < argv.length; i += 2) {
  if (argv[i] === '--conn') conn = argv[i + 1]
  else if (argv[i] === '--sql') sql.push(argv[i + 1])
  else throw new Error(`unexpected argument ${argv[i]}`)
}
const env = pgEnv(conn)
if (!env.PGDATABASE) env.PGDATABASE = 'postgres'
execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', ...sql.flatMap(s => ['-c', s])], { env, stdio: ['ignore', 'ignore', 'inherit'] })
