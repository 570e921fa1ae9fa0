import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/database.js';
import { SqliteCheckpointer } from '../src/store/sqlite-checkpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'amsgate-checkpoint-'));
  dirs.push(dir);
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WAL checkpoints off the JavaScript thread', () => {
  it('the serving connection never checkpoints; a worker copies committed pages into the database file soon after', async () => {
    const dataDir = tempDir();
    const database = await openStore<{ filler: { id: number; text: string } }>({ dataDir, migrate: false }, {});
    try {
      const autocheckpoint = await sql.raw('pragma wal_autocheckpoint').execute(database.db);
      expect(Object.values(autocheckpoint.rows[0] as object)[0]).toBe(0n);
      await database.transaction((tx) => sql`create table filler (id integer primary key, text text not null)`.execute(tx));
      const file = join(dataDir, 'amsgate.sqlite');
      const sizeBefore = statSync(file).size;
      for (let i = 0; i < 40; i++) {
        await database.transaction((tx) => sql`insert into filler (text) select ${'x'.repeat(1000)} from (select 1 union all select 2 union all select 3 union all select 4 union all select 5)`.execute(tx));
      }
      // About 200 KB sits in the WAL; the worker's checkpoint (at most 250 ms after a commit) puts it in the file.
      let sizeAfter = sizeBefore;
      for (let waited = 0; waited < 3_000 && sizeAfter < sizeBefore + 150_000; waited += 50) {
        await sleep(50);
        sizeAfter = statSync(file).size;
      }
      expect(sizeAfter).toBeGreaterThan(sizeBefore + 150_000);
    } finally {
      await database.close();
    }
    // The serving connection was the last one open: SQLite checkpointed everything and removed the WAL.
    expect(existsSync(join(dataDir, 'amsgate.sqlite-wal'))).toBe(false);
  });

  it('falls back to SQLite checkpointing by itself when the worker fails', async () => {
    const raw = new BetterSqlite3(join(tempDir(), 'serving.sqlite'));
    raw.pragma('journal_mode = WAL');
    try {
      // The worker cannot open a file in a folder that does not exist.
      const checkpointer = new SqliteCheckpointer(join(tempDir(), 'missing', 'other.sqlite'), raw);
      expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      checkpointer.committed();
      for (let waited = 0; waited < 5_000 && raw.pragma('wal_autocheckpoint', { simple: true }) === 0; waited += 50) await sleep(50);
      expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      await checkpointer.close();
    } finally {
      raw.close();
    }
  });
});
