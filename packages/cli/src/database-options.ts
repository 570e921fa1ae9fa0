/**
 * `--data-dir` / `--database`, shared by `serve`, `clients` and `sandbox`: every
 * command opens the same store the server uses (SQLite in the data
 * directory, or PostgreSQL), so they work while a server runs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Database } from '@amsgate/gateway';
import { isPostgresUrl, redactUrl, SQLITE_FILE } from '@amsgate/gateway/constants';
import { addEnvOptions, DATABASE_OPTIONS, originOf, type OptionOrigins } from './env-options.js';
import { CliError, EXIT } from './io.js';

export { DEFAULT_DATA_DIR } from './env-options.js';

export interface DatabaseOptions {
  dataDir: string;
  database?: string;
  /** Set by the command line: where each value came from (see env-options.ts). */
  origins?: OptionOrigins;
}

/** `--data-dir`, `--database` (also AMSGATE_DATA_DIR, AMSGATE_DATABASE_URL) and `--env-file`. */
export function addDatabaseOptions(command: Command): Command {
  return addEnvOptions(command, DATABASE_OPTIONS);
}

/** The database URL to use, or undefined for SQLite; anything but postgres:// is refused before opening. */
export function databaseUrlOf(options: DatabaseOptions): string | undefined {
  const url = options.database;
  if (url === undefined || url === '') return undefined;
  if (!isPostgresUrl(url)) {
    const origin = originOf(options, 'database', '--database');
    throw new CliError(
      `Unsupported database URL "${redactUrl(url)}"${origin === '--database' ? '' : ` in ${origin}`}: use postgres://… (or postgresql://…), or leave --database out for SQLite in --data-dir`,
    );
  }
  return url;
}

/** Where the SQLite file is, or undefined for PostgreSQL. */
export function sqliteFileOf(options: DatabaseOptions): string | undefined {
  return databaseUrlOf(options) === undefined ? join(resolve(options.dataDir), SQLITE_FILE) : undefined;
}

/**
 * Opens the store (running migrations, as the server does). With
 * `mustExist`, a missing SQLite file is an error rather than a new empty
 * database: a mistyped --data-dir should not look like "no clients".
 */
export async function openCliDatabase(options: DatabaseOptions, { mustExist }: { mustExist: boolean }): Promise<Database> {
  const url = databaseUrlOf(options);
  const sqliteFile = sqliteFileOf(options);
  if (mustExist && sqliteFile !== undefined && !existsSync(sqliteFile)) {
    throw new CliError(`No amsgate database at ${sqliteFile}: pass the --data-dir the server uses (or --database), or start \`amsgate serve\` first`);
  }
  try {
    // Loaded here, not at start-up: commands that never open a database start without the drivers.
    const { openDatabase } = await import('@amsgate/gateway');
    return await openDatabase({ url, dataDir: resolve(options.dataDir) });
  } catch (error) {
    const where = url === undefined ? sqliteFile : redactUrl(url);
    throw new CliError(`Cannot open the database ${where}: ${(error as Error).message}`, EXIT.failed);
  }
}

/** Runs `fn` with an open database and closes it afterwards, whatever happens. */
export async function withDatabase<T>(options: DatabaseOptions, mustExist: boolean, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openCliDatabase(options, { mustExist });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
