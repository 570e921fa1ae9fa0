/** The embedded default: one SQLite file in the data directory, WAL, durable commits. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { DatabaseSchema } from './schema.js';

export type SqliteDurability = 'full' | 'normal';

export function openSqlite(file: string, durability: SqliteDurability = 'full'): { db: Kysely<DatabaseSchema>; raw: BetterSqlite3.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  // FULL: an acknowledged payment survives a power cut. NORMAL: survives a
  // process crash only (faster), offered as the named, less durable option.
  raw.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  raw.pragma('foreign_keys = ON');
  // CLI commands write while a server runs: wait for the lock instead of failing.
  raw.pragma('busy_timeout = 10000');
  // 64-bit integers (money) come back as bigint, never as a rounded double.
  raw.defaultSafeIntegers(true);
  return { db: new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) }), raw };
}

const MAX_CACHED_STATEMENTS = 500;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing costs more
 * than running our small statements. The SQL text of a query shape never
 * changes (values are bound parameters), so prepared statements are reused.
 */
function withStatementCache(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = raw.prepare(sql);
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        cache.set(sql, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}
