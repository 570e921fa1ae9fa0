/**
 * fsync of a SQLite database's write-ahead log, on libuv's thread pool.
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
 */
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  private handle: Promise<FileHandle> | undefined;

  constructor(private readonly walFile: string) {}

  async sync(): Promise<void> {
    // The WAL exists once the first transaction has been written to it (this runs only after a commit).
    this.handle ??= open(this.walFile, 'r');
    let handle: FileHandle;
    try {
      handle = await this.handle;
    } catch (error) {
      this.handle = undefined;
      throw error;
    }
    await handle.sync();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.then((h) => h.close(), () => undefined);
  }
}
