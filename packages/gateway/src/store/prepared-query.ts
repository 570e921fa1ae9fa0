/**
 * Queries built once and reused. Kysely compiles a query builder to SQL on
 * every call, which costs more than running our small statements; a query
 * whose shape never changes is compiled once per dialect with named
 * placeholders, and each call only binds values. (The SQLite driver then
 * also reuses its prepared statement, keyed by the SQL text.)
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Tx } from './database.js';

const PLACEHOLDER_PREFIX = '\u0000amsgate-param:';

interface Compiled<P extends string> {
  sql: string;
  /** For each SQL parameter: the name of the value to bind, or a constant. */
  slots: Array<{ name: P } | { constant: unknown }>;
}

/** Runs the query with a value for each of its parameter names; the rows are as the builder selected them. */
export type PreparedQuery<S, P extends string, R> = (tx: Tx<S>, values: Readonly<Record<P, unknown>>) => Promise<QueryResult<R>>;

/** `preparedQuery` for the tables `S` (the gateway's is bound in `../schema.ts`). */
export type PreparedQueryOf<S> = <P extends string, R>(
  names: readonly P[],
  build: (db: Kysely<S>, param: (name: P) => never) => Compilable<R>,
) => PreparedQuery<S, P, R>;

/**
 * The values of an insert that writes each of `columns` from the parameter
 * of the same name: `db.insertInto(t).values(placeholdersFor(COLUMNS, p))`.
 * Typed `never` like any placeholder (Kysely checks the columns, not these).
 */
export function placeholdersFor<C extends string>(columns: readonly C[], param: (name: C) => never): never {
  return Object.fromEntries(columns.map((column) => [column, param(column)])) as never;
}

/**
 * `names` are the query's parameters. `build` receives a placeholder
 * function: use `param('name')` wherever a value goes (cast as needed). Only
 * scalar values; lists expand differently.
 */
export function preparedQuery<S, P extends string, R>(
  names: readonly P[],
  build: (db: Kysely<S>, param: (name: P) => never) => Compilable<R>,
): PreparedQuery<S, P, R> {
  const byDialect = new Map<unknown, Compiled<P>>();
  const declared = new Set<string>(names);
  const param = (name: P): never => {
    if (!declared.has(name)) throw new Error(`preparedQuery: "${name}" is not one of its parameters`);
    return `${PLACEHOLDER_PREFIX}${name}` as never;
  };

  return (tx, values) => {
    const dialectKey = tx.getExecutor().adapter.constructor;
    let compiled = byDialect.get(dialectKey);
    if (compiled === undefined) {
      const query = build(tx, param).compile();
      compiled = {
        sql: query.sql,
        slots: query.parameters.map((value) =>
          typeof value === 'string' && value.startsWith(PLACEHOLDER_PREFIX) ? { name: value.slice(PLACEHOLDER_PREFIX.length) as P } : { constant: value },
        ),
      };
      byDialect.set(dialectKey, compiled);
    }
    const parameters = compiled.slots.map((slot) => {
      if (!('name' in slot)) return slot.constant;
      const value = values[slot.name];
      if (value === undefined) throw new Error(`preparedQuery: no value for "${slot.name}"`);
      return value;
    });
    return tx.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>);
  };
}
