/**
 * The runtime file: `serve` writes where it listens into its data
 * directory (`runtime.json`, mode 600, whole or not at all) and removes it
 * when it stops, so the commands that talk to a running gateway (and
 * `call`) find it on any port without `--base-url`.
 *
 * A file left by a gateway that did not stop cleanly (killed, crashed,
 * machine restarted) is stale: its process is gone. Such a file is
 * ignored, and said so when the gateway cannot be reached; the next
 * `serve` replaces it. A live one (its process runs and its address
 * answers) makes a second `serve` on the same data directory refuse to
 * start: they would share one SQLite file and one credentials file.
 *
 * Light: node:fs and node:net only.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { CREDENTIALS_FILE, writeSecretFile } from '@amsgate/gateway/constants';

export const RUNTIME_FILE = 'runtime.json';

/** What the file holds (JSON, one object). */
export interface RuntimeRecord {
  /** The process serving. */
  pid: number;
  /** ISO 8601. */
  startedAt: string;
  mode: 'sandbox' | 'gateway';
  /** Absolute. */
  dataDir: string;
  /** The HTTP address listened on (not --public-base-url). */
  httpUrl: string;
  httpsUrl: string | null;
  dashboardUrl: string;
  /** --public-base-url, when given. */
  publicBaseUrl: string | null;
}

export type RuntimeFile =
  | { file: string; live: true; record: RuntimeRecord }
  /** `why`: one clause, e.g. "process 1234 is not running". */
  | { file: string; live: false; record: RuntimeRecord | undefined; why: string };

export function runtimeFileOf(dataDir: string): string {
  return join(resolve(dataDir), RUNTIME_FILE);
}

/** The data directory's runtime file, judged by its process only (see `addressAnswers`); undefined when there is none. */
export function readRuntimeFile(dataDir: string): RuntimeFile | undefined {
  const file = runtimeFileOf(dataDir);
  if (!existsSync(file)) return undefined;
  let record: RuntimeRecord | undefined;
  try {
    record = asRecord(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    record = undefined;
  }
  if (record === undefined) return { file, live: false, record, why: 'it is not a runtime file amsgate wrote' };
  if (!processIsAlive(record.pid)) return { file, live: false, record, why: `process ${record.pid} that wrote it is not running (killed, or the machine restarted)` };
  return { file, live: true, record };
}

function asRecord(value: unknown): RuntimeRecord | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Partial<RuntimeRecord>;
  if (!Number.isSafeInteger(record.pid) || (record.pid as number) <= 0 || typeof record.httpUrl !== 'string') return undefined;
  return record as RuntimeRecord;
}

/** `kill(pid, 0)`: ESRCH is no such process; EPERM is one that runs as another user. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock a starting or serving gateway holds on its data directory. */
export const SERVE_LOCK_FILE = 'serve.lock';

/**
 * Claims the data directory for this process before the database opens:
 * the lock file is created exclusively, so of two `serve` started at the
 * same instant one gets it and the other is refused (the runtime file is
 * written only once the gateway listens, too late to decide). A lock left
 * by a process that is gone is taken over. Returns the release, or the
 * pid that holds the directory.
 */
export function claimDataDir(dataDir: string): { release: () => void } | { heldBy: number } {
  const file = join(resolve(dataDir), SERVE_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
      if (Number.isSafeInteger(holder) && holder > 0 && processIsAlive(holder)) return { heldBy: holder };
      // Left by a process that is gone: take it over (once; a second EEXIST means another start just took it).
      rmSync(file, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      },
    };
  }
  return { heldBy: Number.parseInt(readFileSync(file, 'utf8').trim(), 10) || 0 };
}

export function writeRuntimeFile(record: RuntimeRecord): string {
  const file = runtimeFileOf(record.dataDir);
  writeSecretFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** Removes the file if it is still the one `record` describes (same process and start). */
export function removeRuntimeFile(record: RuntimeRecord): void {
  const found = readRuntimeFile(record.dataDir);
  if (found?.record?.pid === record.pid && found.record.startedAt === record.startedAt) rmSync(found.file, { force: true });
}

/** Whether something accepts TCP connections at the URL's host and port (within `timeoutMs`). */
export function addressAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolveAnswer) => {
    const socket = connect({ host, port });
    const done = (answers: boolean): void => {
      socket.destroy();
      resolveAnswer(answers);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Where `call` sends, and a note for when it cannot get through because the runtime file was stale. */
export interface MerchantTarget {
  url: string | undefined;
  staleNote: string | undefined;
}

/**
 * `--base-url`; else, for the data directory's own sandbox credentials,
 * its running gateway (live runtime file) before the baseUrl that file
 * last recorded; for credentials from elsewhere (--credentials, the
 * AMSGATE_* variables) their baseUrl, else the running gateway.
 */
export function merchantTarget(given: string | undefined, credentials: { baseUrl: string | undefined; source: string }, dataDir: string): MerchantTarget {
  if (given !== undefined) return { url: given, staleNote: undefined };
  const runtime = readRuntimeFile(dataDir);
  const running = runtime?.live ? runtime.record.httpUrl : undefined;
  const own = credentials.source === join(resolve(dataDir), CREDENTIALS_FILE);
  const url = own ? (running ?? credentials.baseUrl) : (credentials.baseUrl ?? running);
  const staleNote = runtime !== undefined && !runtime.live && url !== undefined ? `is \`amsgate serve\` running? Note: ${runtime.file} is stale and was ignored: ${runtime.why}.` : undefined;
  return { url, staleNote };
}
