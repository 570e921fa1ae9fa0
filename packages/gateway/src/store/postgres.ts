/** PostgreSQL, for several gateway processes sharing one database. */
import type pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';

const INT8_OID = 20;

export interface PostgresOptions {
  url: string;
  /** A schema to use (and create) instead of `public`: tests get a fresh one per file. */
  schema?: string;
  poolSize?: number;
  /** Told of each session the server ended (it is dropped and replaced; the process carries on). */
  onSessionError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresConnection<S> {
  db: Kysely<S>;
  pool: pg.Pool;
  /** A new session outside the pool, set up as the pool's are (a lock held for the process's life). */
  connect: () => Promise<pg.Client>;
}

export async function openPostgres<S>(options: PostgresOptions): Promise<PostgresConnection<S>> {
  // Loaded here: a gateway on SQLite (the default, and startSandbox) never loads the PostgreSQL driver.
  const { default: pg } = await import('pg');
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${options.schema}"`);
  }
  if (options.schema !== undefined) {
    const admin = new pg.Client({ connectionString: options.url });
    await admin.connect();
    try {
      // IF NOT EXISTS is not safe against a concurrent create (a unique violation): gateways starting at once take turns.
      await admin.query('begin');
      await admin.query(`select pg_advisory_xact_lock(hashtext('amsgate:create-schema'))`);
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await admin.query('commit');
    } finally {
      await admin.end();
    }
  }
  const session = {
    connectionString: options.url,
    // Acknowledged means durable: never let a session turn synchronous_commit off.
    options: `-c synchronous_commit=on${options.schema !== undefined ? ` -c search_path=${options.schema}` : ''}`,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  };
  const pool = new pg.Pool({ ...session, max: options.poolSize ?? 10 });
  // A session the server ends (a restart, a failover, a terminated backend) emits 'error', which unhandled would end the
  // process: idle, the pool drops it (its 'error' event); in use, its query fails (the request is answered U) and the pool
  // drops it on release. Either way the next use opens a new one.
  const sessionEnded = (error: Error) => options.onSessionError?.(error);
  pool.on('error', sessionEnded);
  pool.on('connect', (client) => client.on('error', sessionEnded));
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client(session);
    await client.connect();
    return client;
  };
  return { db: new Kysely<S>({ dialect: new PostgresDialect({ pool }) }), pool, connect };
}
