/**
 * The resource engine's queries. Every one is scoped to a client and a
 * kind: a resource of another client is, to the caller, one that does not
 * exist.
 */
import type { Dialect } from '../store/database.js';
import { toNumber } from '../store/columns.js';
import type { Db, Tx } from '../schema.js';
import type { ResourceKind, ResourceRecord } from './resource-kind.js';
import type { ResourcesTable } from './tables.js';

type Row = { [K in keyof ResourcesTable]: ResourcesTable[K] extends string | null ? ResourcesTable[K] : number | bigint | string };

function recordOf<Doc extends object, Status extends string>(row: Row): ResourceRecord<Doc, Status> {
  return {
    id: row.id,
    clientId: row.client_id,
    requestId: row.request_id,
    status: row.status as Status,
    version: toNumber(row.version),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    doc: JSON.parse(row.document) as Doc,
  };
}

function tagsOf<Doc extends object>(kind: ResourceKind<Doc>, status: string, doc: Doc): Array<[string, string]> {
  const tags: Array<[string, string]> = [['status', status]];
  for (const [name, valueOf] of Object.entries(kind.filters ?? {})) {
    const value = valueOf(doc);
    if (value !== undefined) tags.push([name, value]);
  }
  return tags;
}

export interface NewResource<Doc extends object, Status extends string> {
  readonly id: string;
  readonly requestId?: string;
  readonly status: Status;
  readonly doc: Doc;
  readonly now: number;
  /** The timeline's first line. */
  readonly detail?: string;
}

export async function insertResource<Doc extends object, Status extends string>(tx: Tx, kind: ResourceKind<Doc, Status>, clientId: string, resource: NewResource<Doc, Status>): Promise<ResourceRecord<Doc, Status>> {
  const row: Row = {
    id: resource.id, client_id: clientId, kind: kind.kind, request_id: resource.requestId ?? null, status: resource.status,
    version: 1, created_at: resource.now, updated_at: resource.now, document: JSON.stringify(resource.doc),
  };
  await tx.insertInto('resources').values(row as never).execute();
  await writeTags(tx, kind, clientId, resource.id, resource.status, resource.doc);
  await appendEvent(tx, kind, clientId, resource.id, 1, { at: resource.now, event: 'created', from: null, to: resource.status, detail: resource.detail ?? null });
  return recordOf(row);
}

export async function findResource<Doc extends object, Status extends string>(
  tx: Tx | Db, kind: ResourceKind<Doc, Status>, clientId: string, id: string, options: { forUpdate?: Dialect } = {},
): Promise<ResourceRecord<Doc, Status> | undefined> {
  let query = tx.selectFrom('resources').selectAll().where('id', '=', id).where('client_id', '=', clientId).where('kind', '=', kind.kind);
  if (options.forUpdate === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : recordOf<Doc, Status>(row as Row);
}

/** The client's resources of a kind whose tag `name` is `value`, oldest first (one query). */
export async function findByTag<Doc extends object, Status extends string>(db: Tx | Db, kind: ResourceKind<Doc, Status>, clientId: string, name: string, value: string): Promise<Array<ResourceRecord<Doc, Status>>> {
  const rows = await db
    .selectFrom('resources as r')
    .innerJoin('resource_tags as t', 't.id', 'r.id')
    .selectAll('r')
    .where('r.client_id', '=', clientId)
    .where('r.kind', '=', kind.kind)
    .where('t.name', '=', name)
    .where('t.value', '=', value)
    .orderBy('r.id', 'asc')
    .execute();
  return (rows as Row[]).map((row) => recordOf<Doc, Status>(row));
}

/** The client's resource of a kind its create's request id made (the newest, where a later one replaced it). */
export async function findByRequestId<Doc extends object, Status extends string>(db: Tx | Db, kind: ResourceKind<Doc, Status>, clientId: string, requestId: string): Promise<ResourceRecord<Doc, Status> | undefined> {
  const row = await db.selectFrom('resources').selectAll().where('client_id', '=', clientId).where('kind', '=', kind.kind).where('request_id', '=', requestId).orderBy('id', 'desc').executeTakeFirst();
  return row === undefined ? undefined : recordOf<Doc, Status>(row as Row);
}

/**
 * A resource by id alone, whichever client owns it: only for resolving a
 * bearer credential (an upload session id) to its client. Everything a
 * client asks for goes through the client-scoped queries.
 */
export async function findResourceOfAnyClient<Doc extends object, Status extends string>(db: Tx | Db, kind: ResourceKind<Doc, Status>, id: string): Promise<ResourceRecord<Doc, Status> | undefined> {
  const row = await db.selectFrom('resources').selectAll().where('id', '=', id).where('kind', '=', kind.kind).executeTakeFirst();
  return row === undefined ? undefined : recordOf<Doc, Status>(row as Row);
}

export interface ResourceChange<Doc extends object, Status extends string> {
  readonly status: Status;
  readonly doc: Doc;
  readonly now: number;
  /** The timeline line: `finalized`, `updated`, … */
  readonly event: string;
  readonly detail?: string;
}

/**
 * Writes a change if the resource is still at the version it was read at:
 * false when another change came first (the caller reads again and decides
 * again).
 */
export async function saveResource<Doc extends object, Status extends string>(
  tx: Tx, kind: ResourceKind<Doc, Status>, record: ResourceRecord<Doc, Status>, change: ResourceChange<Doc, Status>,
): Promise<ResourceRecord<Doc, Status> | undefined> {
  const version = record.version + 1;
  const updated = await tx
    .updateTable('resources')
    .set({ status: change.status, document: JSON.stringify(change.doc), version, updated_at: change.now })
    .where('id', '=', record.id)
    .where('client_id', '=', record.clientId)
    .where('kind', '=', kind.kind)
    .where('version', '=', record.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return undefined;
  await tx.deleteFrom('resource_tags').where('id', '=', record.id).execute();
  await writeTags(tx, kind, record.clientId, record.id, change.status, change.doc);
  await appendEvent(tx, kind, record.clientId, record.id, version, { at: change.now, event: change.event, from: record.status, to: change.status, detail: change.detail ?? null });
  return { ...record, status: change.status, doc: change.doc, version, updatedAt: change.now };
}

async function writeTags<Doc extends object>(tx: Tx, kind: ResourceKind<Doc>, clientId: string, id: string, status: string, doc: Doc): Promise<void> {
  const tags = tagsOf(kind, status, doc);
  await tx.insertInto('resource_tags').values(tags.map(([name, value]) => ({ id, client_id: clientId, kind: kind.kind, name, value }))).execute();
}

async function appendEvent(
  tx: Tx, kind: Pick<ResourceKind<object>, 'kind'>, clientId: string, id: string, seq: number,
  event: { at: number; event: string; from: string | null; to: string | null; detail: string | null },
): Promise<void> {
  await tx.insertInto('resource_events').values({ id, seq, client_id: clientId, kind: kind.kind, at: event.at, event: event.event, from_status: event.from, to_status: event.to, detail: event.detail }).execute();
}

export interface PageQuery {
  /**
   * `cursor` (Billing: newest first, cut by id) or a 1-based page number
   * (metering, tax and the Business Account: oldest first, so a page, once
   * full, never changes while others are created).
   */
  readonly pageNumber?: number;
  /** Filter name → value (as the list request sends it); absent ones do not filter. */
  readonly filters: Readonly<Record<string, string | undefined>>;
  /** Older than this id (the next page). */
  readonly startingAfter?: string;
  /** Newer than this id (the previous page). */
  readonly endingBefore?: string;
  readonly limit: number;
  readonly includeTotal: boolean;
  /** Created at or after / before (ms), when the list request bounds time. */
  readonly createdFrom?: number;
  readonly createdTo?: number;
}

export interface Page<Doc extends object, Status extends string> {
  readonly items: ResourceRecord<Doc, Status>[];
  readonly hasMore: boolean;
  /** The last item's id, when older ones remain. */
  readonly nextCursor?: string;
  /** The first item's id, when newer ones exist. */
  readonly previousCursor?: string;
  readonly total?: number;
}

/**
 * One page of a client's resources of a kind, newest first. Pages are cut
 * by id (ids are time-ordered and unique), so paging through a list while
 * others are created never repeats or skips one that existed when paging
 * began: new ones sort before the first page.
 */
export async function listResources<Doc extends object, Status extends string>(db: Tx | Db, kind: ResourceKind<Doc, Status>, clientId: string, page: PageQuery): Promise<Page<Doc, Status>> {
  const filters = Object.entries(page.filters).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const base = () => {
    let query = db.selectFrom('resources as r').where('r.client_id', '=', clientId).where('r.kind', '=', kind.kind);
    for (const [name, value] of filters) {
      query = query.where(({ exists, selectFrom }) =>
        exists(selectFrom('resource_tags as t').select('t.id').whereRef('t.id', '=', 'r.id').where('t.name', '=', name).where('t.value', '=', value)),
      );
    }
    if (page.createdFrom !== undefined) query = query.where('r.created_at', '>=', page.createdFrom);
    if (page.createdTo !== undefined) query = query.where('r.created_at', '<', page.createdTo);
    return query;
  };
  let total: number | undefined;
  const countAll = async () => toNumber(((await base().select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0) as number | bigint | string);
  if (page.pageNumber !== undefined) {
    const rows = (await base().selectAll('r').orderBy('r.id', 'asc').limit(page.limit + 1).offset((page.pageNumber - 1) * page.limit).execute()) as Row[];
    return { items: rows.slice(0, page.limit).map((row) => recordOf<Doc, Status>(row)), hasMore: rows.length > page.limit, ...(page.includeTotal ? { total: await countAll() } : {}) };
  }
  const backwards = page.endingBefore !== undefined;
  let query = base().selectAll('r');
  if (page.startingAfter !== undefined) query = query.where('r.id', '<', page.startingAfter);
  if (backwards) query = query.where('r.id', '>', page.endingBefore!);
  const rows = (await query.orderBy('r.id', backwards ? 'asc' : 'desc').limit(page.limit + 1).execute()) as Row[];
  const more = rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit);
  if (backwards) pageRows.reverse();
  const items = pageRows.map((row) => recordOf<Doc, Status>(row));
  const first = items[0];
  const last = items[items.length - 1];
  // Going back, "more" means newer ones remain; older ones exist because the cursor is one.
  const olderRemain = backwards ? last !== undefined : more;
  const newerExist = backwards ? more : page.startingAfter !== undefined && first !== undefined;
  if (page.includeTotal) total = await countAll();
  return {
    items,
    hasMore: olderRemain,
    ...(olderRemain && last !== undefined ? { nextCursor: last.id } : {}),
    ...(newerExist && first !== undefined ? { previousCursor: first.id } : {}),
    ...(total !== undefined ? { total } : {}),
  };
}

export interface ResourceEvent {
  readonly seq: number;
  readonly at: number;
  readonly event: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly detail: string | null;
}

/** A resource's timeline, oldest first. */
export async function resourceEvents(db: Db, clientId: string, id: string): Promise<ResourceEvent[]> {
  const rows = await db.selectFrom('resource_events').selectAll().where('id', '=', id).where('client_id', '=', clientId).orderBy('seq', 'asc').execute();
  return rows.map((row) => ({ seq: toNumber(row.seq), at: toNumber(row.at), event: row.event, from: row.from_status, to: row.to_status, detail: row.detail }));
}

/**
 * Claims `value` of `name` for resource `id` among the client's resources
 * of a kind: the holder's id when another resource holds it (its claim
 * committed, or committing: PostgreSQL makes this insert wait for it), else
 * undefined. Claimed in the caller's transaction, so it is undone with it.
 */
export async function claimUniqueValue(tx: Tx, kind: Pick<ResourceKind<object>, 'kind'>, clientId: string, name: string, value: string, id: string): Promise<string | undefined> {
  const inserted = await tx
    .insertInto('resource_unique_values')
    .values({ client_id: clientId, kind: kind.kind, name, value, id })
    .onConflict((oc) => oc.columns(['client_id', 'kind', 'name', 'value']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return undefined;
  const holder = await tx.selectFrom('resource_unique_values').select('id').where('client_id', '=', clientId).where('kind', '=', kind.kind).where('name', '=', name).where('value', '=', value).executeTakeFirst();
  return holder?.id === id ? undefined : holder?.id;
}

/** Frees what `id` holds of `name` (a deleted customer's email), so another may claim it. */
export async function releaseUniqueValue(tx: Tx, kind: Pick<ResourceKind<object>, 'kind'>, clientId: string, name: string, id: string): Promise<void> {
  await tx.deleteFrom('resource_unique_values').where('client_id', '=', clientId).where('kind', '=', kind.kind).where('name', '=', name).where('id', '=', id).execute();
}
