/**
 * Which gateway processes sharing the database are still alive, so that work
 * a crashed process had claimed (notification deliveries) is taken over at
 * once instead of when its claim times out.
 *
 * PostgreSQL: each process holds a session advisory lock on a random 63-bit
 * key, on a connection of its own, for its whole life. The server drops the
 * lock the moment that session ends, and a killed process's socket closes
 * with it, so "the lock can be taken" means "its holder is gone", with no
 * heartbeat to wait out. SQLite: one serving process per database file (the
 * data directory's serve.lock), so every other holder is a predecessor.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export interface ProcessLiveness {
  /** This process's id, recorded on what it claims; held until `close()`. */
  readonly processId: string;
  /** Of `processIds` (none of them this process's), those whose process is gone. */
  goneAmong(processIds: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

/** A random positive int64, as PostgreSQL's `bigint` advisory-lock key takes it. */
function randomLockKey(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

const LOCK_KEY = /^[0-9]{1,19}$/;

/** SQLite: this process is the only one serving the file. */
export function singleProcessLiveness(): ProcessLiveness {
  const processId = randomLockKey();
  return {
    processId,
    goneAmong: (processIds) => Promise.resolve(processIds.filter((id) => id !== processId)),
    close: () => Promise.resolve(),
  };
}

/**
 * PostgreSQL: takes this process's lock on a dedicated connection. If that
 * connection is lost the lock goes with it and others may take over this
 * process's claims while it still delivers them: notifications are at least
 * once, and a merchant deduplicates them by notification type and business id
 * (`paymentId`, `refundId`, …).
 */
export async function advisoryLockLiveness(connect: () => Promise<pg.Client>): Promise<ProcessLiveness> {
  const processId = randomLockKey();
  let session = await connect();
  let closed = false;
  // An idle connection that errors (server restart) is replaced and the lock taken again; until then others may take over.
  const hold = async (): Promise<void> => {
    session.on('error', () => {
      if (closed) return;
      void reconnect();
    });
    await session.query('select pg_advisory_lock($1::bigint)', [processId]);
  };
  const reconnect = async (): Promise<void> => {
    for (let delay = 100; !closed; delay = Math.min(delay * 2, 5_000)) {
      try {
        session = await connect();
        await hold();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  };
  await hold();
  return {
    processId,
    async goneAmong(processIds) {
      const gone: string[] = [];
      for (const id of processIds) {
        // A malformed id (a row written by hand) cannot name a live process's lock.
        if (id === processId) continue;
        if (!LOCK_KEY.test(id)) {
          gone.push(id);
          continue;
        }
        const { rows } = await session.query<{ free: boolean }>('select pg_try_advisory_lock($1::bigint) as free', [id]);
        if (rows[0]?.free === true) {
          await session.query('select pg_advisory_unlock($1::bigint)', [id]);
          gone.push(id);
        }
      }
      return gone;
    },
    async close() {
      closed = true;
      await session.end().catch(() => undefined);
    },
  };
}
