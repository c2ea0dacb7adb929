// Start the real platform (manage.py serve: migrations, anvil, contract deployment, Django) in a
// temporary var directory on free ports, and stop it again (SIGINT, so anvil is stopped too).
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, timeoutMs, isAlive) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('the server exited while starting (see its log)');
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

export async function startServer({ root, python }) {
  const varDir = mkdtempSync(join(tmpdir(), 'scf-e2e-'));
  const [port, anvilPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    SCF_VAR_DIR: varDir,
    SCF_ANVIL_PORT: String(anvilPort),
    SCF_DEBUG: 'true',
    SCF_LOG_LEVEL: 'WARNING',
    // The scenario signs in a few dozen times from one address within a minute or two.
    SCF_AUTH_RATE_PER_IP: '1000/min',
    SCF_AUTH_RATE_PER_USERNAME: '1000/min',
    PYTHONUNBUFFERED: '1',
  };
  delete env.DATABASE_URL; // the embedded SQLite under the temporary var directory
  delete env.CELERY_BROKER_URL; // eager tasks: operations are final when the API answers
  delete env.SCF_CHAIN_RPC_URL;
  const logPath = join(varDir, 'server.log');
  const log = openSync(logPath, 'a');
  const child = spawn(python, ['manage.py', 'serve', `127.0.0.1:${port}`, '--no-demo'], { cwd: root, env, stdio: ['ignore', log, log] });
  let alive = true;
  child.on('exit', () => { alive = false; });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${baseUrl}/api/health`, 180_000, () => alive);
  } catch (error) {
    child.kill('SIGINT');
    throw new Error(`${error.message}; log: ${logPath}`);
  }
  const manage = (args, extraEnv = {}) => run(python, ['manage.py', ...args], { cwd: root, env: { ...env, ...extraEnv } });
  const stop = () => new Promise((resolve) => {
    if (!alive) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGINT'); // serve stops its anvil on the way out
  });
  return { baseUrl, varDir, logPath, manage, stop };
}
