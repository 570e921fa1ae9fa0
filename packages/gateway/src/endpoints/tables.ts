/** The idempotency keys table (migration 0001, `idempotency-migration.ts`), as Kysely sees it. */
import type { IntColumn } from '../store/columns.js';

/**
 * One row per idempotency key. Inserting it is how a request claims its key:
 * the primary key makes concurrent duplicates collide in the database, on
 * SQLite and on PostgreSQL alike, with no in-process lock.
 */
export interface IdempotencyKeysTable {
  client_id: string;
  /** `pay`, `refund`, `capture`, … */
  scope: string;
  request_id: string;
  /** The fields that must match on a repeat, as canonical JSON. */
  fingerprint: string;
  resource_id: string;
  created_at: IntColumn;
}

export interface EndpointTables {
  idempotency_keys: IdempotencyKeysTable;
}
