import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Generated, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/store/sqlite.js';
import { SqliteWriteBatcher } from '../src/store/sqlite-write-batcher.js';
import { WalSync } from '../src/store/wal-sync.js';

interface Schema {
  entries: { id: Generated<number>; note: string };
}

const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openStore(): Promise<{ db: Kysely<Schema>; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'amsgate-batcher-'));
  dirs.push(dir);
  const file = join(dir, 'test.sqlite');
  const { db } = openSqlite<Schema>(file, 'full');
  closers.push(() => db.destroy());
  await sql`create table entries (id integer primary key, note text not null)`.execute(db);
  return { db, file };
}

const insert = (note: string) => (db: Kysely<Schema>) => db.insertInto('entries').values({ note }).execute();
const notes = async (db: Kysely<Schema>) => (await db.selectFrom('entries').select('note').orderBy('id').execute()).map((r) => r.note);
const synchronousLevel = async (db: Kysely<Schema>): Promise<number> => Number(Object.values((await sql.raw('pragma synchronous').execute(db)).rows[0] as object)[0]);

describe('SQLite group commit with the WAL synced off the JavaScript thread', () => {
  it('settles no caller before the WAL sync after its commit has finished', async () => {
    const { db } = await openStore();
    const events: string[] = [];
    let releaseSync!: () => void;
    const walSync = {
      sync: () => {
        events.push('sync started');
        return new Promise<void>((resolve) => (releaseSync = () => {
          events.push('sync done');
          resolve();
        }));
      },
    };
    const batcher = new SqliteWriteBatcher(db, walSync);
    const writes = ['a', 'b', 'c'].map((note) => batcher.run(insert(note)).then(() => events.push(`settled ${note}`)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Committed (another reader sees the rows) but nobody answered yet.
    expect(await notes(db)).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['sync started']);
    releaseSync();
    await Promise.all(writes);
    expect(events).toEqual(['sync started', 'sync done', 'settled a', 'settled b', 'settled c']);
  });

  it('commits the batch with synchronous=NORMAL and leaves the connection at FULL for every other commit', async () => {
    const { db } = await openStore();
    let levelDuringSync: number | undefined;
    const batcher = new SqliteWriteBatcher(db, { sync: async () => void (levelDuringSync = await synchronousLevel(db)) });
    const levelInBatch = await batcher.run(async (connection) => {
      await insert('x')(connection);
      return synchronousLevel(connection);
    });
    expect(levelInBatch).toBe(1); // NORMAL: COMMIT writes the WAL without an fsync
    expect(levelDuringSync).toBe(2); // FULL again once the batch's transaction ended
    expect(await synchronousLevel(db)).toBe(2);
  });

  it('fails every caller of the batch when the sync fails (the outcome is unknown), and keeps serving', async () => {
    const { db } = await openStore();
    let failNext = true;
    const batcher = new SqliteWriteBatcher(db, {
      sync: async () => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        }
      },
    });
    const results = await Promise.allSettled([batcher.run(insert('lost?')), batcher.run(insert('also'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    // The rows were committed: a retry (by its idempotency key) finds them instead of writing them again.
    expect(await notes(db)).toEqual(['lost?', 'also']);
    await batcher.run(insert('next'));
    expect(await notes(db)).toEqual(['lost?', 'also', 'next']);
  });

  it('WalSync fsyncs the real WAL file of a database', async () => {
    const { db, file } = await openStore();
    const walSync = new WalSync(`${file}-wal`);
    closers.push(() => walSync.close());
    await new SqliteWriteBatcher(db, walSync).run(insert('durable'));
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    await expect(walSync.sync()).resolves.toBeUndefined();
  });
});
