/** What the Business Account's endpoints share: lookups by request id, keyed changes, time ranges and numbered pages. */
import { AmsError } from '@amsgate/protocol';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { Decision } from '../../resources/resource-engine.js';
import type { ResourceKind, ResourceRecord } from '../../resources/resource-kind.js';
import { findResource, saveResource } from '../../resources/resource-store.js';
import type { Database, Db, Tx } from '../../schema.js';
import { parseWireTime } from '../payments/wire-time.js';

/** The id of the client's resource of `kind` created with `requestId`. */
export async function idByRequestId(db: Db | Tx, kind: Pick<ResourceKind<object>, 'kind'>, clientId: string, requestId: string): Promise<string | undefined> {
  const row = await db.selectFrom('resources').select('id').where('client_id', '=', clientId).where('kind', '=', kind.kind).where('request_id', '=', requestId).executeTakeFirst();
  return row?.id;
}

/**
 * A change keyed by a request id (updateCard, updateCardStatus): the key is
 * claimed in the transaction that makes the change, on the resource read for
 * update, so a repeat answers the resource as it is and a refusal claims nothing.
 */
export async function keyedChange<Doc extends object, Status extends string>(
  database: Database, now: () => number, context: KeyedHandlerContext, kind: ResourceKind<Doc, Status>, id: string,
  decide: (record: ResourceRecord<Doc, Status>, tx: Tx, now: number) => Promise<Decision<Doc, Status>> | Decision<Doc, Status>,
): Promise<ResourceRecord<Doc, Status>> {
  return database.transaction(async (tx) => {
    const at = now();
    const record = await findResource(tx, kind, context.clientId, id, { forUpdate: database.dialect });
    if (record === undefined) throw new AmsError(kind.notFoundCode, `${kind.idField}: no ${kind.noun} ${id}`, { field: kind.idField });
    const claim = await claimOrRecorded(tx, context.idempotencyKey, id, at, async () => record);
    if (!claim.claimed) return record;
    const decision = await decide(record, tx, at);
    if ('unchanged' in decision) return record;
    const saved = await saveResource(tx, kind, record, { status: decision.status, doc: decision.doc, now: at, event: decision.event });
    if (saved === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `The ${kind.noun} ${id} changed under this request; nothing was changed by it: retry`);
    await decision.after?.(tx, saved);
    return saved;
  });
}

/** The longest time range a statement or card-transaction inquiry spans (Antom: 100 days). */
export const MAX_RANGE_MS = 100 * 24 * 60 * 60 * 1000;

export function parseTime(text: string, field: string): number {
  const at = parseWireTime(text);
  if (at === undefined) throw AmsError.paramIllegal(field, `"${text.slice(0, 40)}" is not an ISO 8601 date-time such as 2024-01-01T00:00:00+08:00`);
  return at;
}

/** [from, to] in epoch ms, to inclusive; either may be open when the request leaves it out. */
export function parseRange(startTime: string | undefined, endTime: string | undefined): { from?: number; to?: number } {
  const from = startTime === undefined || startTime === '' ? undefined : parseTime(startTime, 'startTime');
  const to = endTime === undefined || endTime === '' ? undefined : parseTime(endTime, 'endTime');
  if (from !== undefined && to !== undefined) {
    if (to < from) throw AmsError.paramIllegal('endTime', 'is before startTime');
    if (to - from > MAX_RANGE_MS) throw AmsError.paramIllegal('endTime', 'is more than 100 days after startTime');
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** A 1-based page number and size: integers, or decimal strings as inquiryStatementList sends them. */
export function pageOf(pageNumber: unknown, pageSize: unknown, maxSize: number): { number: number; size: number } {
  const number = integerOf(pageNumber, 'pageNumber');
  const size = integerOf(pageSize, 'pageSize');
  if (number < 1) throw AmsError.paramIllegal('pageNumber', 'must be 1 or more');
  if (size < 1 || size > maxSize) throw AmsError.paramIllegal('pageSize', `must be 1 to ${maxSize}`);
  return { number, size };
}

function integerOf(value: unknown, field: string): number {
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw AmsError.paramIllegal(field, 'must be a whole number');
  return number;
}

export const pageCount = (total: number, size: number): number => Math.ceil(total / size);

/** One numbered page of items already filtered in memory (card transactions: lists of values, ORed, that the engine's one-value filters cannot express). */
export function slicePage<T>(items: readonly T[], page: { number: number; size: number }): { items: T[]; total: number } {
  return { items: items.slice((page.number - 1) * page.size, page.number * page.size), total: items.length };
}
