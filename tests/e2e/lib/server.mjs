// Starts the real PaperGao server for one dashboard test: a free port on 127.0.0.1 and a fresh data dir under
// tests/e2e/.tmp. With { superuser: false } the data dir has no superuser, so `serve` prints the one-time setup link.
import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, mkdir, rm, readFile, open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
export const e2eRoot = resolve(here, '..');
export const repoRoot = resolve(e2eRoot, '..', '..');
export const dll = process.env.PAPERGAO_E2E_DLL ?? join(repoRoot, 'artifacts', 'bin', 'PaperGao.Server', 'release', 'papergao.dll');

export const EMAIL = 'admin@papergao.test';
export const PASSWORD = 'E2e-password-123';

/** Waits until check() returns a truthy value or the deadline passes (then throws with `what`). */
export async function waitFor(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** @param {{superuser?: boolean, serverDll?: string}} options serverDll: another build of the server (bench/dashboard-list.mjs --base) */
export async function startServer({ superuser = true, serverDll = dll } = {}) {
  if (!existsSync(serverDll)) throw new Error(`server not built: ${serverDll} is missing (run: dotnet build PaperGao.slnx -c Release)`);
  await mkdir(join(e2eRoot, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(e2eRoot, '.tmp', 'run-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const env = { ...process.env, DOTNET_NOLOGO: '1' };
  if (superuser) await run('dotnet', [serverDll, 'superuser', 'upsert', EMAIL, PASSWORD, '--dir', data], { env, timeout: 60_000 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = await open(logFile, 'a');
  const child = spawn('dotnet', [serverDll, 'serve', '--http', `127.0.0.1:${port}`, '--dir', data], { cwd: repoRoot, stdio: ['ignore', log.fd, log.fd], env });
  await log.close();
  let exited = null;
  child.once('exit', (code) => { exited = code ?? -1; });
  try {
    await waitFor(async () => {
      if (exited !== null) throw new Error(`server exited (${exited}): ${await readFile(logFile, 'utf8')}`);
      return (await fetch(`${url}/api/health`)).status === 200;
    }, 'the server to answer /api/health', 60_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url, dir, data, logFile,
    /** The one-time setup link printed by `serve` (only without a superuser). */
    async setupLink() {
      return waitFor(async () => /(http:\/\/\S+\/_\/#\/setup\/[A-Za-z0-9]+)/.exec(await readFile(logFile, 'utf8'))?.[1], 'the setup link in the server log');
    },
    async stop() {
      if (exited === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await done;
        clearTimeout(timer);
      }
      if (process.env.PAPERGAO_E2E_KEEP !== '1') await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}
