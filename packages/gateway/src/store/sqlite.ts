/** The embedded default: one SQLite file in the data directory, WAL, durable commits. */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { WalSync } from './wal-sync.js';

export type SqliteDurability = 'full' | 'normal';

export interface OpenedSqlite<S> {
  db: Kysely<S>;
  raw: BetterSqlite3.Database;
  /**
   * Present with 'full' durability on a file: the connection's commits are
   * durable only once this has synced the WAL (the write batcher commits
   * with `synchronous = NORMAL` and calls it before answering; every other
   * commit on the connection syncs inside COMMIT, as FULL does).
   */
  walSync?: WalSync;
  /** Present on a file: checkpoints run on a thread of their own, told of commits by the write batcher. */
  checkpointer?: SqliteCheckpointer;
}

export function openSqlite<S>(file: string, durability: SqliteDurability = 'full'): OpenedSqlite<S> {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    keepOwnerOnly(file);
  }
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  // FULL: an acknowledged payment survives a power cut. NORMAL: survives a
  // process crash only (faster), offered as the named, less durable option.
  raw.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  raw.pragma('foreign_keys = ON');
  // CLI commands write while a server runs: wait for the lock instead of failing.
  raw.pragma('busy_timeout = 10000');
  // 64 MiB of page cache instead of SQLite's 2 MiB: with a million payments the indexes an insert or a lookup walks no
  // longer fit in 2 MiB, and every miss is a read through the kernel (bench/large-store.mjs).
  raw.pragma('cache_size = -65536');
  // 64-bit integers (money) come back as bigint, never as a rounded double.
  raw.defaultSafeIntegers(true);
  const db = new Kysely<S>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  const onFile = file !== ':memory:';
  return {
    db,
    raw,
    walSync: durability === 'full' && onFile ? new WalSync(`${file}-wal`) : undefined,
    checkpointer: onFile ? new SqliteCheckpointer(file, raw) : undefined,
  };
}

const MAX_CACHED_STATEMENTS = 500;

type KyselyStatement = ReturnType<SqliteDatabase['prepare']>;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing costs more
 * than running our small statements. The SQL text of a query shape never
 * changes (values are bound parameters), so prepared statements are reused.
 */
function withStatementCache(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, KyselyStatement>();
  return {
    close: () => raw.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = rowsAsObjects(raw.prepare(sql));
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Rows as plain objects, built from better-sqlite3's array ("raw") rows by a
 * function compiled once per statement. better-sqlite3's own object rows set
 * each column by name through V8's C++ API (a string-table lookup and a
 * shape change per column); an object literal with fixed keys is a single
 * allocation of a known shape. Measured on a 21-column payment row: about
 * 30% less time per query.
 */
function rowsAsObjects(statement: BetterSqlite3.Statement): KyselyStatement {
  if (!statement.reader) return statement as unknown as KyselyStatement;
  let builder = rowBuilder(statement);
  statement.raw(true);
  // SQLite re-prepares a statement after a schema change made by another
  // connection (a newer amsgate migrating the same file); a `select *` then
  // returns other columns, so the builder follows the row's width.
  const toObject = (row: unknown[]): unknown => {
    if (row.length !== builder.width) builder = rowBuilder(statement);
    return builder.build(row);
  };
  return {
    reader: true,
    all: (parameters: ReadonlyArray<unknown>) => (statement.all(parameters) as unknown[][]).map(toObject),
    run: (parameters: ReadonlyArray<unknown>) => statement.run(parameters),
    *iterate(parameters: ReadonlyArray<unknown>) {
      for (const row of statement.iterate(parameters) as IterableIterator<unknown[]>) yield toObject(row);
    },
  } as unknown as KyselyStatement;
}

function rowBuilder(statement: BetterSqlite3.Statement): { width: number; build: (row: unknown[]) => unknown } {
  const names = statement.columns().map((column) => column.name);
  // JSON.stringify makes each column name a valid property key, whatever it holds.
  const build = new Function('row', `return {${names.map((name, i) => `${JSON.stringify(name)}: row[${i}]`).join(', ')}};`) as (row: unknown[]) => unknown;
  return { width: names.length, build };
}

/**
 * The database holds every client's gateway signing key: owner-only, even
 * in a data directory that already existed with wider permissions (mkdir's
 * mode applies only to a directory it creates). The file is created 0600
 * before SQLite opens it, so SQLite creates its -wal and -shm files with the
 * same mode; an existing file and its companions are narrowed to it.
 */
function keepOwnerOnly(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, 0o600);
  }
}
