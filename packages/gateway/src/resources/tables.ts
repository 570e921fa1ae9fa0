/**
 * The resource engine's tables (migration `0024_resources`,
 * `resources-migration.ts`), as Kysely sees them. Every resource of the
 * declared products (Billing, metering, tax, the Business Account) is one
 * row of `resources`: its fields are a JSON document, what lists filter by
 * is copied to `resource_tags`, and every change is a `resource_events` row
 * (the dashboard's timeline).
 */
import type { IntColumn } from '../store/columns.js';

export interface ResourcesTable {
  /** Prefixed, time-ordered id (`ids.ts`): lists page by it. */
  id: string;
  client_id: string;
  /** `billing.invoice`, `meter.creditGrant`, … (`ResourceKind.kind`). */
  kind: string;
  /** The create request's id (`invoiceRequestId`), when the endpoint is keyed by one. */
  request_id: string | null;
  status: string | null;
  /** Starts at 1; each change compares and bumps it (optimistic concurrency). */
  version: IntColumn;
  created_at: IntColumn;
  updated_at: IntColumn;
  /** The resource's fields as its answers show them (JSON). */
  document: string;
}

/** One filterable value of a resource (`status`, `customerId`, …): lists join on it. */
export interface ResourceTagsTable {
  id: string;
  client_id: string;
  kind: string;
  name: string;
  value: string;
}

export interface ResourceEventsTable {
  id: string;
  /** 1, 2, … per resource. */
  seq: IntColumn;
  client_id: string;
  kind: string;
  at: IntColumn;
  /** What happened: `created`, `finalized`, `paid`, … */
  event: string;
  from_status: string | null;
  to_status: string | null;
  /** A short human line, never a secret. */
  detail: string | null;
}

/**
 * A value only one resource of a client may hold at a time (a customer's
 * email, a promotion code): the primary key makes concurrent claims collide
 * in the database, as idempotency keys do.
 */
export interface ResourceUniqueValuesTable {
  client_id: string;
  kind: string;
  name: string;
  value: string;
  id: string;
}

export interface ResourceTables {
  resource_unique_values: ResourceUniqueValuesTable;
  resources: ResourcesTable;
  resource_tags: ResourceTagsTable;
  resource_events: ResourceEventsTable;
}
