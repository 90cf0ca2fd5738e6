// Starts the real application: `lamtheobac demo`, which starts a private PostgreSQL
// server, migrates it, seeds the Lạng Sơn 2022 demo and serves it over plain HTTP.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

export const DEMO_PASSWORD = 'lamtheobac-demo';

/** The release binary: LAMTHEOBAC_BIN, else $CARGO_TARGET_DIR/release, else target/release. */
export function binaryPath() {
  if (process.env.LAMTHEOBAC_BIN) return process.env.LAMTHEOBAC_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(root, 'target');
  return path.join(target, 'release', 'lamtheobac');
}

/**
 * Starts `lamtheobac demo --bind 127.0.0.1:0` and resolves when it has printed its
 * address and /healthz answers 200. Returns { url, stop, log }.
 */
export async function startApp({ timeoutMs = 120_000 } = {}) {
  const binary = binaryPath();
  if (!existsSync(binary)) {
    throw new Error(`the release binary ${binary} is missing: run \`cargo build --release\` first`);
  }
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn', LAMTHEOBAC_DEMO_PASSWORD: DEMO_PASSWORD };
  // A private, throw-away database and upload folder every time.
  delete env.DATABASE_URL;
  delete env.UPLOAD_DIR;
  const child = spawn(binary, ['demo', '--bind', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not announce its address within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk) => {
      log += chunk.toString();
      const found = log.match(/đang chạy tại (http:\/\/[0-9.]+:\d+)\//);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { log += chunk.toString(); });
    exitPromise.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${JSON.stringify(how)}) before serving:\n${log}`));
    });
  });

  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const answer = await fetch(`${url}/healthz`);
      if (answer.status === 200) break;
    } catch { /* not listening yet */ }
    if (exited || Date.now() > deadline) throw new Error(`${url}/healthz never answered 200:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  async function stop() {
    process.off('exit', killOnExit);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exitPromise;
    clearTimeout(timer);
  }
  return { url, stop, log: () => log };
}
