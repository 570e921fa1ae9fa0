/**
 * The data-directory lock `serve` takes before it opens the database: two
 * starts at the same instant cannot both pass the runtime-file check and
 * share one SQLite file; a lock left by a process that is gone is taken over.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/commands/serve.js';
import { claimDataDir, SERVE_LOCK_FILE } from '../src/runtime-file.js';
import { serveOptions } from './helpers.js';

const quiet = { out: () => undefined, err: () => undefined };

function dataDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'amsgate-lock-')), 'data');
  mkdirSync(dir);
  return dir;
}

/** A pid no process has: the highest one the kernel hands out, plus one. */
function deadPid(): number {
  const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
  return max + 1;
}

describe('the data-directory lock', () => {
  it('is exclusive while held, free again once released, and says who holds it', () => {
    const dir = dataDir();
    const first = claimDataDir(dir);
    expect('release' in first).toBe(true);
    expect(readFileSync(join(dir, SERVE_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(claimDataDir(dir)).toEqual({ heldBy: process.pid });
    if ('release' in first) first.release();
    expect(existsSync(join(dir, SERVE_LOCK_FILE))).toBe(false);
    const again = claimDataDir(dir);
    expect('release' in again).toBe(true);
    if ('release' in again) again.release();
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = dataDir();
    writeFileSync(join(dir, SERVE_LOCK_FILE), `${deadPid()}\n`);
    const claim = claimDataDir(dir);
    expect('release' in claim).toBe(true);
    expect(readFileSync(join(dir, SERVE_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    if ('release' in claim) claim.release();
  });

  it('serve refuses a data directory another live process holds, before opening anything; stop releases its own', async () => {
    const dir = dataDir();
    // A live process that is not this one: our parent.
    writeFileSync(join(dir, SERVE_LOCK_FILE), `${process.ppid}\n`);
    await expect(startServer(serveOptions(dir, { https: false }), quiet)).rejects.toThrow(`another amsgate (process ${process.ppid}) is starting or serving from the data directory`);
    expect(existsSync(join(dir, 'amsgate.sqlite'))).toBe(false);

    writeFileSync(join(dir, SERVE_LOCK_FILE), `${deadPid()}\n`);
    const server = await startServer(serveOptions(dir, { https: false }), quiet);
    expect(readFileSync(join(dir, SERVE_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await server.stop();
    expect(existsSync(join(dir, SERVE_LOCK_FILE))).toBe(false);
  });
});
