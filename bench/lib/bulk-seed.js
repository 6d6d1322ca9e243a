'use strict'
// Bulk seeding for the growth bench (bench/growth.sh): N rows of `posts` written straight into the table the server
// created, as fast as each database allows, instead of through the API (10 million API creates would take hours here).
//   PostgreSQL: one INSERT … SELECT FROM generate_series, then VACUUM ANALYZE (what autovacuum would have done to a
//               table that has stopped growing: statistics, and the visibility map an index-only count can use).
//   SQLite:     INSERT … SELECT from a recursive CTE (the sqlite3 shell), one transaction per 500,000 rows, into the
//               table with its indexes, while the server is idle (WAL mode: the server's readers see the rows at their
//               next transaction); then a checkpoint that empties the WAL. No ANALYZE: the server never runs one on
//               SQLite, so its tables have no sqlite_stat1 either. Speed (sqliteSession below): the shell's default
//               page cache is 2 MB (500 pages) while the `views` index takes rows at 1,000 places at once (one leaf
//               per value): nearly every row evicted a dirty page into the WAL and read another back (about 3 KB
//               written and read per row, mostly system time), so a million rows took 27 s at load 36 and 376 s at
//               load 60. With a 256 MB cache the pages the inserts touch stay in memory: 10M rows in 131 s at load 33.
// Row i (1..N): id 'r' + i in 14 digits (15 chars of [a-z0-9], like the server's ids), views (i * 7919) % 1000 (every
// value 0-999 equally often: about half match `views > 500`), status a/b/c, fixed created/updated.
const { execFileSync } = require('child_process')

const VIEWS = i => (i * 7919) % 1000
const idOf = i => 'r' + String(i).padStart(14, '0')

function pgEnv (conn) {
  // Npgsql's "Host=…;Port=…;Username=…;Password=…;Database=…" as libpq's environment.
  const env = { ...process.env }
  for (const part of conn.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const k = part.slice(0, eq).trim().toLowerCase().replace(/\s+/g, '')
    const v = part.slice(eq + 1).trim()
    if (k === 'host' || k === 'server') env.PGHOST = v
    else if (k === 'port') env.PGPORT = v
    else if (k === 'username' || k === 'userid' || k === 'user') env.PGUSER = v
    else if (k === 'password') env.PGPASSWORD = v
    else if (k === 'database') env.PGDATABASE = v
  }
  return env
}

// The sqlite3 shell's script around INSERT statements: a page cache large enough for every index page the inserts
// touch (256 MB), no fsync (a throwaway bench database; the server's own connections keep synchronous=NORMAL), a
// busy timeout in case the server is writing its logs, and at the end a checkpoint that copies the WAL into the
// database and truncates it (or the server's first write would do it, in a measured request).
function sqliteSession (statements) {
  return ['PRAGMA busy_timeout = 60000;', 'PRAGMA cache_size = -262144;', 'PRAGMA synchronous = OFF;',
    ...statements, 'PRAGMA wal_checkpoint(TRUNCATE);', ''].join('\n')
}

// INSERT … SELECT over i = 1..n from a recursive CTE, one transaction per `chunk` rows; `select` is the SELECT list (over i).
function sqliteChunks (n, table, columns, select, chunk = 500000) {
  const out = []
  for (let a = 1; a <= n; a += chunk) {
    const b = Math.min(n, a + chunk - 1)
    out.push(`BEGIN;
WITH RECURSIVE s(i) AS (SELECT ${a} UNION ALL SELECT i + 1 FROM s WHERE i < ${b})
INSERT INTO "${table}" (${columns.map(c => `"${c}"`).join(', ')})
SELECT ${select} FROM s;
COMMIT;`)
  }
  return out
}

// Deletes the users an earlier run wrote into a reused PostgreSQL database (every address @bench.example.com).
function clearUsers (target) {
  const del = `DELETE FROM "users" WHERE "email" LIKE '%@bench.example.com'`
  if (target.pg) {
    const schema = process.env.BENCH_PG_SCHEMA || 'p_main'
    execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-c', del.replace('"users"', `"${schema}"."users"`)], { env: pgEnv(target.pg), stdio: ['ignore', 'ignore', 'inherit'] })
  } else {
    execFileSync('sqlite3', [target.sqlite], { input: `PRAGMA busy_timeout = 60000;\n${del};\n`, stdio: ['pipe', 'ignore', 'inherit'] })
  }
}

// N users (user i: user<i>@bench.example.com, all with the password of the template user the caller signed up through
// the API: its bcrypt hash is copied, so no hashing happens here), written straight into `users` like seed() does posts.
function seedUsers (n, target, templateEmail) {
  const ts = "'2026-01-01 00:00:00.000Z'"
  if (target.pg) {
    const schema = process.env.BENCH_PG_SCHEMA || 'p_main'
    const insert = `SET synchronous_commit = off;
INSERT INTO "${schema}"."users" ("id", "email", "tokenKey", "password", "created", "updated")
SELECT 'u' || lpad(i::text, 14, '0'), 'user' || i || '@bench.example.com', 'k' || lpad(i::text, 29, '0'),
  (SELECT "password" FROM "${schema}"."users" WHERE "email" = '${templateEmail}'), ${ts}, ${ts}
FROM generate_series(1, ${n}) AS i`
    execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-c', insert, '-c', `VACUUM ANALYZE "${schema}"."users"`], { env: pgEnv(target.pg), stdio: ['ignore', 'ignore', 'inherit'] })
  } else {
    const sql = sqliteSession(sqliteChunks(n, 'users', ['id', 'email', 'tokenKey', 'password', 'created', 'updated'],
      `printf('u%014d', i), 'user' || i || '@bench.example.com', printf('k%029d', i),
  (SELECT "password" FROM "users" WHERE "email" = '${templateEmail}'), ${ts}, ${ts}`))
    execFileSync('sqlite3', [target.sqlite], { input: sql, stdio: ['pipe', 'ignore', 'inherit'] })
  }
  // The sign-in scenario cycles over 100 users spread evenly over the table.
  const sample = Math.min(n, 100)
  const emails = []
  for (let k = 0; k < sample; k++) emails.push(`user${1 + Math.floor(k * n / sample)}@bench.example.com`)
  return emails
}

function seed (n, target) {
  const ts = "'2026-01-01 00:00:00.000Z'"
  if (target.pg) {
    const schema = process.env.BENCH_PG_SCHEMA || 'p_main'
    // Two psql commands: one -c with several statements is one transaction, and VACUUM refuses to run in one.
    const insert = `SET synchronous_commit = off;
INSERT INTO "${schema}"."posts" ("id", "title", "views", "status", "created", "updated")
SELECT 'r' || lpad(i::text, 14, '0'), 'post ' || i, (i::bigint * 7919) % 1000, substr('abc', (i % 3)::int + 1, 1), ${ts}, ${ts}
FROM generate_series(1, ${n}) AS i`
    execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-c', insert, '-c', `VACUUM ANALYZE "${schema}"."posts"`], { env: pgEnv(target.pg), stdio: ['ignore', 'ignore', 'inherit'] })
  } else {
    const sql = sqliteSession(sqliteChunks(n, 'posts', ['id', 'title', 'views', 'status', 'created', 'updated'],
      `printf('r%014d', i), 'post ' || i, (i * 7919) % 1000, substr('abc', i % 3 + 1, 1), ${ts}, ${ts}`))
    execFileSync('sqlite3', [target.sqlite], { input: sql, stdio: ['pipe', 'ignore', 'inherit'] })
  }
  let matching = 0
  for (let i = 1; i <= n; i++) if (VIEWS(i) > 500) matching++
  // The update scenario picks among these: 10,000 ids spread evenly over the table (all of them when fewer).
  const sample = Math.min(n, 10000)
  const ids = []
  for (let k = 0; k < sample; k++) ids.push(idOf(1 + Math.floor(k * n / sample)))
  // The view scenario reads ids[0]: take one from the middle of the table rather than its first row.
  ids.unshift(idOf(Math.ceil(n / 2)))
  return { matching, ids }
}

module.exports = { seed, seedUsers, clearUsers, pgEnv }
