/**
 * Group commit for SQLite. Write transactions that arrive while one is
 * being committed are run together in the next physical transaction, each
 * inside its own savepoint, and committed with one fsync. Each caller's
 * promise settles only after that commit returns: an answer never leaves
 * before its data is durable, and a failing transaction is rolled back to
 * its savepoint without touching the others in the batch.
 *
 * With a WalSync (durable commits on a file), the batch commits with
 * `synchronous = NORMAL` and the WAL is synced on the thread pool before
 * the callers settle: the JavaScript thread serves other requests during
 * the fsync instead of blocking in COMMIT (wal-sync.ts). A failed sync
 * fails the batch's callers (answered U: the outcome is unknown, and a
 * retry finds the committed record). Other connections and processes may
 * read a batch's rows during its sync, before any of its callers is
 * answered.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { WalSync } from './wal-sync.js';

interface PendingWrite<S> {
  run: (connection: Kysely<S>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

const MAX_BATCH = 64;

// Compiled once: these run several times per write.
const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
const SAVEPOINT = CompiledQuery.raw('savepoint batched_write');
const RELEASE = CompiledQuery.raw('release batched_write');
const ROLLBACK_TO = CompiledQuery.raw('rollback to batched_write');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');
const SYNCHRONOUS_NORMAL = CompiledQuery.raw('pragma synchronous = NORMAL');
const SYNCHRONOUS_FULL = CompiledQuery.raw('pragma synchronous = FULL');

export class SqliteWriteBatcher<S> {
  private queue: PendingWrite<S>[] = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<S>,
    private readonly walSync?: Pick<WalSync, 'sync'>,
    /** Told after each commit (the checkpointer). */
    private readonly afterCommit?: () => void,
  ) {}

  run<T>(fn: (connection: Kysely<S>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests of this event-loop turn join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      let settled: Settled[];
      try {
        settled = await this.db.connection().execute((connection) => (this.walSync ? runUnsyncedBatch(connection, batch) : runBatch(connection, batch)));
        this.afterCommit?.();
        await this.walSync?.sync();
      } catch (error) {
        // The commit (or begin) failed: nothing in the batch happened. Or the sync after it did: the batch may
        // not survive a power cut, so none of it is acknowledged (a retry finds whatever was kept).
        for (const write of batch) write.reject(error);
        continue;
      }
      batch.forEach((write, i) => {
        const outcome = settled[i] as Settled;
        if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.error);
      });
    }
    this.flushing = false;
  }
}

/** The batch committed without an fsync (SQLite refuses to change the level inside a transaction); FULL again after it. */
async function runUnsyncedBatch<S>(connection: Kysely<S>, batch: PendingWrite<S>[]): Promise<Settled[]> {
  await connection.executeQuery(SYNCHRONOUS_NORMAL);
  try {
    return await runBatch(connection, batch);
  } finally {
    await connection.executeQuery(SYNCHRONOUS_FULL);
  }
}

async function runBatch<S>(connection: Kysely<S>, batch: PendingWrite<S>[]): Promise<Settled[]> {
  await connection.executeQuery(BEGIN_IMMEDIATE);
  const settled: Settled[] = [];
  try {
    for (const write of batch) {
      await connection.executeQuery(SAVEPOINT);
      try {
        const value = await write.run(connection);
        await connection.executeQuery(RELEASE);
        settled.push({ ok: true, value });
      } catch (error) {
        await connection.executeQuery(ROLLBACK_TO);
        await connection.executeQuery(RELEASE);
        settled.push({ ok: false, error });
      }
    }
    await connection.executeQuery(COMMIT);
  } catch (error) {
    await connection.executeQuery(ROLLBACK).catch(() => undefined);
    throw error;
  }
  return settled;
}
