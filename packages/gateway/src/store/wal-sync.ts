/**
 * fsync of a SQLite database's write-ahead log, off the JavaScript thread.
 *
 * With `synchronous = FULL`, SQLite fsyncs the WAL inside COMMIT, and
 * better-sqlite3 runs COMMIT on the JavaScript thread: every group commit
 * then stalls the whole gateway for the length of an fsync (about 0.3 ms
 * on the 2-core host of bench/gateway-pay-inquiry.mjs, 8% of the
 * JavaScript thread under the pay load). The write batcher instead commits
 * with `synchronous = NORMAL` (the frames are written to the WAL, not
 * synced) and calls `sync()` before any caller of the batch hears of its
 * commit. On Linux, fsync through any descriptor of a file flushes all of
 * its written data, so this descriptor, opened read-only, makes the frames
 * SQLite wrote durable.
 *
 * The fsync runs on a worker thread of its own, not on libuv's pool: the
 * pool's queue is full of response signatures under load (first in, first
 * out), and a commit waiting behind them would hold its whole batch.
 */
import { closeSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const SYNC_WORKER = `
const { parentPort } = require('node:worker_threads');
const { fsyncSync } = require('node:fs');
parentPort.on('message', ({ id, fd }) => {
  try {
    fsyncSync(fd);
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, message: error.message, code: error.code });
  }
});`;

interface SyncAnswer {
  id: number;
  message?: string;
  code?: string;
}

export class WalSync {
  private fd: number | undefined;
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(private readonly walFile: string) {}

  sync(): Promise<void> {
    // The WAL exists once the first transaction has been written to it (this runs only after a commit).
    this.fd ??= openSync(this.walFile, 'r');
    const worker = (this.worker ??= this.startWorker());
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ id, fd: this.fd });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
    this.failAll(new Error('the database is closed'));
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private startWorker(): Worker {
    const worker = new Worker(SYNC_WORKER, { eval: true });
    worker.on('message', ({ id, message, code }: SyncAnswer) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      // An idle sync thread must not keep the process alive.
      if (this.waiting.size === 0) worker.unref();
      if (message === undefined) waiter?.resolve();
      else waiter?.reject(Object.assign(new Error(`fsync of ${this.walFile} failed: ${message}`), { code }));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error('the WAL sync thread stopped'));
    });
    worker.unref();
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
