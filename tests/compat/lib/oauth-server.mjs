// tests/oauth-server (a real OIDC server, npm oauth2-mock-server) on 127.0.0.1, for the compat tests.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '../server.mjs';

/** Starts the server; resolves to { url, child, stop() }. */
export async function startOAuthServer() {
  const child = spawn(process.execPath, ['server.mjs'], { cwd: join(repoRoot, 'tests', 'oauth-server'), stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the OAuth2 server did not start within 30 s')), 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the OAuth2 server exited (${code})`)); });
    lines.on('line', (line) => {
      if (line.startsWith('OAUTH_SERVER_URL=')) { clearTimeout(timer); resolve(line.slice('OAUTH_SERVER_URL='.length)); }
    });
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}
