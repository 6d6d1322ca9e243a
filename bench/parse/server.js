'use strict'
// Parse Server 9.10.0 on PostgreSQL for the side-by-side benchmark (bench/vs-parse.sh): its own database on the
// given cluster (created when missing; --fresh drops it first), mounted at /parse on 127.0.0.1:PORT with express.
// The application id and master key are fixed local-bench values (keys.js).
// Usage: node server.js --db NPGSQL_CONN --port PORT [--database parse_bench] [--fresh] [--logs DIR]
// Ready when GET /parse/health answers 200 (bench/lib/wait-health.js). SIGTERM/SIGINT close it.
const path = require('path')
const parseArgs = require('../lib/args')

const args = parseArgs(process.argv.slice(2))
if (!args.db || !args.port) {
  console.error('usage: node server.js --db NPGSQL_CONN --port PORT [--database parse_bench] [--fresh] [--logs DIR]')
  process.exit(2)
}
// Parse's default logger is set up when the module loads, in ./logs of the working directory unless this says
// otherwise: the run's directory, or no file logs at all.
process.env.PARSE_SERVER_LOGS_FOLDER = args.logs ? path.resolve(args.logs) : 'null'
const express = require('express')
const { ParseServer } = require('parse-server')
const { ensureDatabase, uriOf } = require('./database')
const { APP_ID, MASTER_KEY } = require('./keys')
const database = args.database || 'parse_bench'

async function main () {
  await ensureDatabase(args.db, database, { fresh: Boolean(args.fresh) })
  const serverURL = `http://127.0.0.1:${args.port}/parse`
  const parse = new ParseServer({
    databaseURI: uriOf(args.db, database),
    appId: APP_ID,
    masterKey: MASTER_KEY,
    serverURL,
    // File logs (Parse's default is ./logs beside the process) go to the run's directory; level info, as by default.
    // Everything else is Parse's default: no cloud code, no LiveQuery, allowClientClassCreation false (setup.js
    // creates the class with the master key), pg-promise's pool of 10 connections, log level info.
    logsFolder: args.logs ? path.resolve(args.logs) : null
  })
  await parse.start()
  const app = express()
  app.use('/parse', parse.app)
  const server = app.listen(Number(args.port), '127.0.0.1', () => {
    console.log(`parse-server ${require('parse-server/package.json').version} on ${serverURL} (database ${database})`)
  })
  const stop = () => {
    server.close()
    server.closeAllConnections()
    parse.handleShutdown().finally(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch(e => {
  console.error('server.js: FAILED:', e && e.stack ? e.stack : e)
  process.exit(1)
})
