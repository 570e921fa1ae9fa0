/**
 * Opening the store: SQLite by default, PostgreSQL for a `postgres://` URL.
 * Everything above this file is dialect-neutral, except `transaction`, which
 * knows how each database must begin a write transaction.
 */
import { join } from 'node:path';
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { isPostgresUrl, redactUrl, SQLITE_FILE } from './database-url.js';

export { isPostgresUrl, redactUrl, SQLITE_FILE };
import { migrateToLatest, migrationsApplied, type Migrations } from './migrator.js';
import { openPostgres } from './postgres.js';
import { advisoryLockLiveness, singleProcessLiveness, type ProcessLiveness } from './process-liveness.js';
import { openSqlite, type SqliteDurability } from './sqlite.js';
import { SqliteWriteBatcher } from './sqlite-write-batcher.js';

export type Dialect = 'sqlite' | 'postgres';
/** `S`: the tables, as composed by `../schema.ts`; the store knows none of them. */
export type Db<S> = Kysely<S>;
export type Tx<S> = Transaction<S> | Kysely<S>;

export interface Database<S> {
  readonly dialect: Dialect;
  readonly db: Db<S>;
  /** Where the data lives, for people (never includes a password). */
  readonly description: string;
  /**
   * Runs `fn` in one write transaction, all or nothing, and settles after
   * the commit is durable. SQLite groups the writes of one event-loop turn
   * into one `BEGIN IMMEDIATE` transaction (a savepoint each, one fsync;
   * IMMEDIATE so a second process such as a CLI command waits for the lock
   * instead of failing on upgrade). PostgreSQL runs each in its own READ
   * COMMITTED transaction.
   */
  transaction<T>(fn: (tx: Tx<S>) => Promise<T>): Promise<T>;
  /**
   * Runs reads that belong together (a payment and its transactions). SQLite
   * runs them in one read transaction: one snapshot, and the WAL read lock
   * taken once instead of once per statement, which is most of what a small
   * read costs. PostgreSQL runs them as they come (a transaction would cost
   * two more round trips). Never write in `fn`: use `transaction`.
   */
  read<T>(fn: (tx: Tx<S>) => Promise<T>): Promise<T>;
  /** Database reachable and migrations applied. */
  ready(): Promise<boolean>;
  /** This process among the others sharing the database (made on first use, closed with the store): who holds claims that nobody will finish. */
  liveness(): Promise<ProcessLiveness>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` or `postgresql://…`; absent means SQLite in `dataDir`. */
  url?: string;
  dataDir?: string;
  /** PostgreSQL only: use this schema (tests). */
  schema?: string;
  sqliteDurability?: SqliteDurability;
  poolSize?: number;
  /** PostgreSQL: told of each session the server ended (dropped from the pool and replaced). */
  onSessionError?: (error: Error) => void;
  /** Run migrations (default true). */
  migrate?: boolean;
}


/** Opens the store and applies `migrations` (the gateway's list is `../migrations.ts`, whose `openDatabase` passes it). */
export async function openStore<S>(options: OpenOptions, migrations: Migrations): Promise<Database<S>> {
  let database: Database<S>;
  if (isPostgresUrl(options.url)) {
    const { db, pool, connect } = await openPostgres<S>({ url: options.url, schema: options.schema, poolSize: options.poolSize, onSessionError: options.onSessionError });
    let liveness: Promise<ProcessLiveness> | undefined;
    database = {
      dialect: 'postgres',
      db,
      description: `PostgreSQL ${redactUrl(options.url)}${options.schema ? ` schema ${options.schema}` : ''}`,
      transaction: (fn) => db.transaction().execute(fn),
      read: (fn) => fn(db),
      ready: () => readiness(db, migrations),
      liveness: () => (liveness ??= advisoryLockLiveness(connect)),
      close: async () => {
        await liveness?.then((held) => held.close(), () => undefined);
        await db.destroy();
        await pool.end().catch(() => undefined);
      },
    };
  } else {
    if (options.url !== undefined && options.url !== '') {
      throw new Error(`Unsupported database URL "${redactUrl(options.url)}": use postgres://… or leave it out for SQLite`);
    }
    const file = options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir ?? '.amsgate', SQLITE_FILE);
    const { db, walSync, checkpointer } = openSqlite<S>(file, options.sqliteDurability);
    const batcher = new SqliteWriteBatcher(db, walSync, () => checkpointer?.committed());
    const liveness = singleProcessLiveness();
    database = {
      dialect: 'sqlite',
      db,
      description: `SQLite ${file}`,
      transaction: (fn) => batcher.run(fn),
      read: (fn) => readTransaction(db, fn),
      ready: () => readiness(db, migrations),
      liveness: () => Promise.resolve(liveness),
      close: async () => {
        await checkpointer?.close();
        await db.destroy();
        await walSync?.close();
      },
    };
  }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

const BEGIN = CompiledQuery.raw('begin');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/** SQLite: a deferred transaction that only reads holds the WAL read lock and blocks no writer, in this process or another. */
function readTransaction<S, T>(db: Db<S>, fn: (tx: Tx<S>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await connection.executeQuery(BEGIN);
    let value: T;
    try {
      value = await fn(connection);
    } catch (error) {
      await connection.executeQuery(ROLLBACK).catch(() => undefined);
      throw error;
    }
    await connection.executeQuery(COMMIT);
    return value;
  });
}

async function readiness<S>(db: Db<S>, migrations: Migrations): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return await migrationsApplied(db as unknown as Kysely<unknown>, migrations);
  } catch {
    return false;
  }
}

