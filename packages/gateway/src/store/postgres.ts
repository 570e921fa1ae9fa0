/** PostgreSQL, for several gateway processes sharing one database. */
import type pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';

const INT8_OID = 20;

export interface PostgresOptions {
  url: string;
  /** A schema to use (and create) instead of `public`: tests get a fresh one per file. */
  schema?: string;
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgres<S>(options: PostgresOptions): Promise<{ db: Kysely<S>; pool: pg.Pool }> {
  // Loaded here: a gateway on SQLite (the default, and startSandbox) never loads the PostgreSQL driver.
  const { default: pg } = await import('pg');
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${options.schema}"`);
  }
  if (options.schema !== undefined) {
    const admin = new pg.Client({ connectionString: options.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // Acknowledged means durable: never let a session turn synchronous_commit off.
    options: `-c synchronous_commit=on${options.schema !== undefined ? ` -c search_path=${options.schema}` : ''}`,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  return { db: new Kysely<S>({ dialect: new PostgresDialect({ pool }) }), pool };
}
