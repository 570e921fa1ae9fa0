/**
 * What the dashboard reads of the resources: the newest across clients (or
 * one client, or one kind), and one resource with its timeline. Read-only;
 * the products keep nothing secret in a document (a card's number and CVV
 * live outside it).
 */
import type { Db } from '../schema.js';
import { toNumber } from '../store/columns.js';
import { resourceEvents, type ResourceEvent } from './resource-store.js';

export interface ResourceSummary {
  id: string;
  clientId: string;
  kind: string;
  status: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ResourceDetail extends ResourceSummary {
  requestId: string | null;
  version: number;
  document: Record<string, unknown>;
  events: ResourceEvent[];
}

/** `hidden`: the kinds whose documents hold secrets (`ResourceKind.sensitive`), never listed. */
export async function recentResources(db: Db, filter: { kind?: string; clientId?: string; status?: string }, limit: number, hidden: readonly string[]): Promise<ResourceSummary[]> {
  let query = db.selectFrom('resources').select(['id', 'client_id', 'kind', 'status', 'created_at', 'updated_at']);
  if (hidden.length > 0) query = query.where('kind', 'not in', hidden);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, clientId: row.client_id, kind: row.kind, status: row.status, createdAt: toNumber(row.created_at), updatedAt: toNumber(row.updated_at) }));
}

export async function resourceDetail(db: Db, id: string, hidden: readonly string[]): Promise<ResourceDetail | undefined> {
  const row = await db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || hidden.includes(row.kind)) return undefined;
  return {
    id: row.id, clientId: row.client_id, kind: row.kind, status: row.status, createdAt: toNumber(row.created_at), updatedAt: toNumber(row.updated_at),
    requestId: row.request_id, version: toNumber(row.version), document: JSON.parse(row.document) as Record<string, unknown>,
    events: await resourceEvents(db, row.client_id, row.id),
  };
}
