// Starts the real PaperGao server binary for one test file: a free port on 127.0.0.1, a fresh data dir,
// optionally a fresh PostgreSQL database (env PAPERGAO_COMPAT_DB = an admin connection string in Npgsql
// format, e.g. "Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres"), and a superuser created
// with the CLI. Env PAPERGAO_COMPAT_DLL overrides the server dll, PAPERGAO_COMPAT_KEEP=1 keeps the data dir.
import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, mkdir, rm, readFile, open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const serverDll = process.env.PAPERGAO_COMPAT_DLL
  ?? join(repoRoot, 'artifacts', 'bin', 'PaperGao.Server', 'release', 'papergao.dll');

export const SUPERUSER_EMAIL = 'admin@papergao.test';
export const SUPERUSER_PASSWORD = 'Compat-password-123';

const START_DEADLINE_MS = 60_000;
const CLI_DEADLINE_MS = 60_000;

/** @returns {Promise<{url: string, dir: string, db: string|null, email: string, password: string, logFile: string, stop: () => Promise<void>}>} */
export async function startServer() {
  if (!existsSync(serverDll)) {
    throw new Error(`server not built: ${serverDll} is missing (run: dotnet build PaperGao.slnx -c Release)`);
  }
  const tmpRoot = join(here, '.tmp');
  await mkdir(tmpRoot, { recursive: true });
  const dir = await mkdtemp(join(tmpRoot, 'run-'));
  const logFile = join(dir, 'server.log');
  let database = null;
  let child = null;
  try {
    if (process.env.PAPERGAO_COMPAT_DB) database = await createDatabase(process.env.PAPERGAO_COMPAT_DB);
    const dbArgs = database ? ['--db', database.connectionString] : [];
    const dataDir = join(dir, 'data');

    await cli(['superuser', 'upsert', SUPERUSER_EMAIL, SUPERUSER_PASSWORD, '--dir', dataDir, ...dbArgs]);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let exited = null;
    const launch = async () => {
      const log = await open(logFile, 'a');
      child = spawn('dotnet', [serverDll, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dataDir, ...dbArgs], {
        cwd: repoRoot,
        stdio: ['ignore', log.fd, log.fd],
        env: { ...process.env, DOTNET_NOLOGO: '1', PAPERGAO_OUTBOUND_ALLOW: process.env.PAPERGAO_OUTBOUND_ALLOW ?? 'localhost' },
      });
      await log.close();
      exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
      await waitForHealth(url, exited, logFile);
    };
    await launch();

    let stopped = false;
    return {
      url, dir: dataDir, db: database?.connectionString ?? null,
      email: SUPERUSER_EMAIL, password: SUPERUSER_PASSWORD, logFile,
      /** Runs `papergao superuser upsert EMAIL PASS --project NAME` against this server's data. */
      async upsertSuperuser(email, password, project = 'main') {
        await cli(['superuser', 'upsert', email, password, '--project', project, '--dir', dataDir, ...dbArgs]);
      },
      /** Runs `papergao import pocketbase PB_DATA --project NAME` against this server's data; returns its report (stdout). */
      async importPocketBase(pbData, project) {
        return cli(['import', 'pocketbase', pbData, '--project', project, '--dir', dataDir, ...dbArgs]);
      },
      /** Stops the server (SIGTERM) and starts it again on the same port and data. */
      async restart() {
        await stopProcess(child, exited);
        await launch();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopProcess(child, exited);
        if (database) await database.drop();
        if (process.env.PAPERGAO_COMPAT_KEEP !== '1') await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (database) await database.drop().catch(() => {});
    const tail = await logTail(logFile);
    if (process.env.PAPERGAO_COMPAT_KEEP !== '1') await rm(dir, { recursive: true, force: true });
    err.message += tail ? `\n--- server log (tail) ---\n${tail}` : '';
    throw err;
  }
}

async function cli(args) {
  try {
    const { stdout } = await execFileAsync('dotnet', [serverDll, ...args], {
      cwd: repoRoot, timeout: CLI_DEADLINE_MS, env: { ...process.env, DOTNET_NOLOGO: '1', PAPERGAO_OUTBOUND_ALLOW: process.env.PAPERGAO_OUTBOUND_ALLOW ?? 'localhost' },
    });
    return stdout;
  } catch (err) {
    const shown = args.slice(0, 2).join(' ');
    throw new Error(`papergao ${shown} failed (exit ${err.code}): ${err.stderr || err.stdout || err.message}`);
  }
}

async function waitForHealth(url, exited, logFile) {
  const deadline = Date.now() + START_DEADLINE_MS;
  let lastError = null;
  let done = null;
  exited.then((r) => { done = r; });
  while (Date.now() < deadline) {
    if (done) throw new Error(`server exited early (code ${done.code}, signal ${done.signal})\n${await logTail(logFile)}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      lastError = new Error(`GET /api/health answered ${res.status}`);
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy within ${START_DEADLINE_MS / 1000}s: ${lastError?.message}`);
}

async function stopProcess(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let handle;
  const timer = new Promise((r) => { handle = setTimeout(() => r('timeout'), 5_000); });
  const outcome = await Promise.race([exited, timer]);
  clearTimeout(handle);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function logTail(file, lines = 60) {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// --- PostgreSQL: one fresh database per server, made with psql -------------------------------------

/** Parses an Npgsql-style "Key=Value;..." connection string into a lower-cased key map. */
export function parseConnectionString(cs) {
  const map = new Map();
  for (const part of cs.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    map.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim());
  }
  return map;
}

function pick(map, ...keys) {
  for (const k of keys) if (map.has(k)) return map.get(k);
  return undefined;
}

async function createDatabase(adminCs) {
  const map = parseConnectionString(adminCs);
  const env = {
    ...process.env,
    PGHOST: pick(map, 'host', 'server') ?? '127.0.0.1',
    PGPORT: pick(map, 'port') ?? '5432',
    PGUSER: pick(map, 'username', 'user id', 'userid', 'user') ?? 'postgres',
    PGDATABASE: pick(map, 'database', 'db') ?? 'postgres',
  };
  const password = pick(map, 'password');
  if (password) env.PGPASSWORD = password;
  const name = `papergao_c_${randomBytes(6).toString('hex')}`;
  const psql = (sql) => execFileAsync('psql', ['-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { env, timeout: 30_000 });
  await psql(`CREATE DATABASE "${name}"`);
  const parts = [...map.entries()].filter(([k]) => k !== 'database' && k !== 'db').map(([k, v]) => `${k}=${v}`);
  parts.push(`Database=${name}`);
  return {
    connectionString: parts.join(';'),
    drop: () => psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {}),
  };
}
