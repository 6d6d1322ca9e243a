'use strict'
// A database of its own on the bench's PostgreSQL cluster, for Parse Server (parse_bench) or PaperGao
// (papergao_bench): created when missing, dropped first with --fresh, so every run starts from the same empty state.
// Usage: node database.js --db NPGSQL_CONN --database NAME [--fresh]   (prints NAME's Npgsql connection string)
//        node database.js --db NPGSQL_CONN --server-version           (prints the cluster's server_version)
//        node database.js --db NPGSQL_CONN --postmaster-pid           (the cluster's postmaster, when it runs here)
//        require('./database').ensureDatabase(conn, name, { fresh }) / .uriOf(conn, name)
const { Client } = require('pg')
const parseArgs = require('../lib/args')
const { pgEnv } = require('../lib/bulk-seed')

function clusterOf (conn) {
  const env = pgEnv(conn)
  return {
    host: env.PGHOST || '127.0.0.1',
    port: Number(env.PGPORT || 5432),
    user: env.PGUSER || 'postgres',
    password: env.PGPASSWORD || undefined,
    database: env.PGDATABASE || 'postgres'
  }
}

function checkName (name) {
  // CREATE/DROP DATABASE take no bind parameters: only a plain identifier is accepted, then quoted.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name must be a plain lower-case identifier, got ${JSON.stringify(name)}`)
  return name
}

async function ensureDatabase (conn, name, { fresh = false } = {}) {
  checkName(name)
  const admin = new Client(clusterOf(conn))
  await admin.connect()
  try {
    if (fresh) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
}

// libpq URI of database NAME on the cluster of CONN (Parse Server's databaseURI).
function uriOf (conn, name) {
  const c = clusterOf(conn)
  const auth = encodeURIComponent(c.user) + (c.password ? ':' + encodeURIComponent(c.password) : '')
  return `postgres://${auth}@${c.host}:${c.port}/${checkName(name)}`
}

// CONN with its Database= replaced by NAME (PaperGao's --db).
function connOf (conn, name) {
  const parts = conn.split(';').filter(p => p.trim() && !/^\s*database\s*=/i.test(p))
  return [...parts, `Database=${checkName(name)}`].join(';')
}

async function serverVersion (conn) {
  const c = new Client(clusterOf(conn))
  await c.connect()
  try {
    return (await c.query('SHOW server_version')).rows[0].server_version
  } finally {
    await c.end()
  }
}

// The postmaster's pid: the parent of this connection's backend, read from /proc (so only for a cluster on this
// machine; empty otherwise). bench/lib/load.js sums its processes' CPU time.
async function postmasterPid (conn) {
  const c = new Client(clusterOf(conn))
  await c.connect()
  try {
    const backend = (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
    const stat = require('fs').readFileSync(`/proc/${backend}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]
  } catch {
    return ''
  } finally {
    await c.end()
  }
}

module.exports = { ensureDatabase, uriOf, connOf, serverVersion, postmasterPid }

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2))
  if (!args.db || (!args.database && !args['server-version'] && !args['postmaster-pid'])) {
    console.error('usage: node database.js --db NPGSQL_CONN (--database NAME [--fresh] | --server-version | --postmaster-pid)')
    process.exit(2)
  }
  const work = args['server-version']
    ? serverVersion(args.db)
    : args['postmaster-pid']
      ? postmasterPid(args.db)
      : ensureDatabase(args.db, args.database, { fresh: Boolean(args.fresh) }).then(() => connOf(args.db, args.database))
  work.then(out => console.log(out)).catch(e => { console.error('database.js: FAILED:', e.message); process.exit(1) })
}
