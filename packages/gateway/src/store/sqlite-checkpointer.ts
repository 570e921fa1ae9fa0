/**
 * WAL checkpoints off the JavaScript thread.
 *
 * SQLite copies the WAL back into the database file (a checkpoint) inside
 * the COMMIT that takes the WAL past 1000 pages. better-sqlite3 runs COMMIT
 * on the JavaScript thread, so every few thousand pays one commit stalls
 * the whole gateway while pages are written and the file is synced: 13 ms
 * at the 99.9th percentile of commits and 22 ms at worst, against 0.7 ms
 * and 1.7 ms without (a local test of 20,000 five-row commits). That is
 * what the soak's p99 at half the peak showed.
 *
 * So the serving connection never checkpoints (`wal_autocheckpoint = 0`),
 * and a worker thread with a connection of its own runs PASSIVE checkpoints
 * (they never block a writer or a reader) whenever commits were made since
 * the last one, at most every CHECKPOINT_INTERVAL_MS. Should the worker
 * fail, the serving connection checkpoints by itself again, as SQLite
 * does by default: the WAL never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const CHECKPOINT_INTERVAL_MS = 250;
/** SQLite's own default, restored on the serving connection if the worker fails. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 10000');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, row });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error.message });
  }
});`;

export class SqliteCheckpointer {
  private worker: Worker | undefined;
  private running = false;
  private pending = false;
  private failed = false;
  private lastRunAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly serving: BetterSqlite3.Database,
  ) {
    serving.pragma('wal_autocheckpoint = 0');
  }

  /** Commits were made: a checkpoint follows soon, off this thread. */
  committed(): void {
    if (this.failed || this.closed) return;
    this.pending = true;
    this.schedule();
  }

  /** Stops checkpointing; the worker's connection is closed first, so that the serving one is the last (SQLite then checkpoints all and removes the WAL). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage('close');
    const timeout = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timeout);
  }

  private schedule(): void {
    if (this.running || this.timer !== undefined || !this.pending) return;
    const wait = Math.max(0, this.lastRunAt + CHECKPOINT_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, wait);
    this.timer.unref();
  }

  private run(): void {
    if (this.closed || this.failed) return;
    this.pending = false;
    this.running = true;
    this.lastRunAt = Date.now();
    const worker = (this.worker ??= this.startWorker());
    worker.ref();
    worker.postMessage('checkpoint');
  }

  private startWorker(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(CHECKPOINT_WORKER, { eval: true, workerData: { driver, file: this.file } });
    worker.on('message', (answer: { ok: boolean }) => {
      this.running = false;
      worker.unref();
      if (!answer.ok) this.fallBack();
      else this.schedule();
    });
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => {
      if (!this.closed) this.fallBack();
    });
    worker.unref();
    return worker;
  }

  /** The serving connection checkpoints by itself again (SQLite's default). */
  private fallBack(): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    this.running = false;
    void this.worker?.terminate();
    this.worker = undefined;
    try {
      this.serving.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    } catch {
      // The connection is closed: nothing to checkpoint.
    }
  }
}
