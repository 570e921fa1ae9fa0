/**
 * Runs the migrations it is given: each room owns its tables and their
 * migrations, and `../migrations.ts` lists them. Kysely applies them in the
 * order of their names, which are recorded in every database migrated.
 */
import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Migrations by name, the name as recorded in the database. */
export type Migrations = Readonly<Record<string, Migration>>;

/** One migration whose tables belong to several rooms: the parts run in the order given, under one name. */
export function migrationOf(...parts: readonly Migration[]): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const part of parts) await part.up(db);
    },
  };
}

function providerOf(migrations: Migrations): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations) };
}

/** Applies every pending migration; safe to run from several processes at once (the migrator locks). */
export async function migrateToLatest(db: Kysely<unknown>, migrations: Migrations): Promise<void> {
  const migrator = new Migrator({ db, provider: providerOf(migrations), migrationTableSchema: await migrationTableSchema(db) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`, {
      cause: error,
    });
  }
}

/** True when every migration given has been applied. */
export async function migrationsApplied(db: Kysely<unknown>, migrations: Migrations): Promise<boolean> {
  const migrator = new Migrator({ db, provider: providerOf(migrations), migrationTableSchema: await migrationTableSchema(db) });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}

/**
 * PostgreSQL: the schema the session works in (`search_path`). Named
 * explicitly because Kysely otherwise finds its migration tables in any
 * schema of the database, so a gateway in a fresh schema (tests) could skip
 * creating its own lock table while another schema has one.
 */
async function migrationTableSchema(db: Kysely<unknown>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}
