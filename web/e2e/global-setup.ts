// Builds the service (unless INVENTORY_BIN names a built one), starts it on a
// fresh database (the service creates a missing one), and waits until ready.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { baseURL, binary, pidFile, repoRoot, screenshotDir, serviceEnv } from './env';

export default async function globalSetup() {
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  fs.mkdirSync(screenshotDir, { recursive: true });
  if (!process.env.INVENTORY_BIN) {
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: repoRoot, stdio: 'inherit' });
  }
  try {
    await fetch(`${baseURL}/healthz`);
    throw new Error(`something already listens on ${baseURL}: set CONSOLE_E2E_PORT to a free port`);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('something already')) throw err;
  }
  const log = fs.openSync(path.join(repoRoot, 'tmp', 'console-e2e-server.log'), 'w');
  const child = spawn(binary, ['serve'], { env: serviceEnv(), stdio: ['ignore', log, log], detached: true });
  child.unref();
  fs.writeFileSync(pidFile, String(child.pid));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${baseURL}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the service did not become ready; see tmp/console-e2e-server.log`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
