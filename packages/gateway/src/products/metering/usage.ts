/**
 * What Billing's invoicing reads from metering: a meter's usage for a
 * customer over a period, and the customer's credit consumed against an
 * amount owed.
 */
import { AmsError } from '@amsgate/protocol';
import type { ResourceEngine } from '../../resources/resource-engine.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { findByTag, findResource } from '../../resources/resource-store.js';
import type { Db, Tx } from '../../schema.js';
import { CREDIT_GRANT, METER, METER_EVENT, usageTag, type CreditGrantDoc, type CreditGrantStatus, type MeterEventDoc } from './kinds.js';

/**
 * The meter's usage by the customer with event time in [from, to),
 * aggregated as the meter says: SUM of values, COUNT of events, or the
 * LAST event's value (latest event time; a tie goes to the later upload,
 * then the later position in it).
 */
export async function meteredUsage(tx: Tx | Db, clientId: string, q: { customerId: string; meterId: string; from: number; to: number }): Promise<{ quantity: bigint }> {
  const meter = await findResource(tx, METER, clientId, q.meterId);
  if (meter === undefined) throw new AmsError('METER_NOT_FOUND', `meterId: no meter ${q.meterId}`, { field: 'meterId' });
  const events = (await findByTag(tx, METER_EVENT, clientId, 'usageOf', usageTag(q.meterId, q.customerId)))
    .filter((event) => event.status === 'ACCEPTED' && event.doc.eventTimestamp >= q.from && event.doc.eventTimestamp < q.to);
  switch (meter.doc.aggregationMethod) {
    case 'COUNT':
      return { quantity: BigInt(events.length) };
    case 'SUM':
      return { quantity: events.reduce((sum, event) => sum + BigInt(event.doc.value), 0n) };
    case 'LAST': {
      const last = events.reduce<(typeof events)[number] | undefined>((best, event) => (best === undefined || laterEvent(event, best) ? event : best), undefined);
      return { quantity: last === undefined ? 0n : BigInt(last.doc.value) };
    }
  }
}

function laterEvent(a: { id: string; createdAt: number; doc: MeterEventDoc }, b: { id: string; createdAt: number; doc: MeterEventDoc }): boolean {
  if (a.doc.eventTimestamp !== b.doc.eventTimestamp) return a.doc.eventTimestamp > b.doc.eventTimestamp;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  if (a.doc.position !== b.doc.position) return a.doc.position > b.doc.position;
  return a.id > b.id;
}

/** A grant that can be drawn on at `now`: active, in effect, not expired, with something left. */
export function grantUsable(record: ResourceRecord<CreditGrantDoc, CreditGrantStatus>, now: number): boolean {
  const doc = record.doc;
  return record.status === 'ACTIVE' && doc.effectiveAt <= now && (doc.expiresAt === undefined || doc.expiresAt > now) && BigInt(doc.availableValue) > 0n;
}

/**
 * Spending order: lower priority first, then the earliest expiry (grants
 * that never expire last), then promotional before paid, then the oldest.
 */
function spendingOrder(a: ResourceRecord<CreditGrantDoc>, b: ResourceRecord<CreditGrantDoc>): number {
  if (a.doc.priority !== b.doc.priority) return a.doc.priority - b.doc.priority;
  const ax = a.doc.expiresAt ?? Number.POSITIVE_INFINITY;
  const bx = b.doc.expiresAt ?? Number.POSITIVE_INFINITY;
  if (ax !== bx) return ax < bx ? -1 : 1;
  if (a.doc.category !== b.doc.category) return a.doc.category === 'PROMOTIONAL' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Draws up to `amountMinor` from the customer's usable grants in that
 * currency, in spending order, lowering each one's available amount in
 * `tx` (so the draw commits or rolls back with the invoice that makes it).
 * Answers the amount covered.
 *
 * Each grant is changed with `engine.changeWithin`, inside the caller's
 * transaction: `engine.change` opens its own, which would not commit with
 * the caller's (and on SQLite would wait for it).
 */
export async function consumeCredits(tx: Tx, engine: ResourceEngine, clientId: string, q: { customerId: string; currency: string; amountMinor: bigint; now: number }): Promise<bigint> {
  if (q.amountMinor <= 0n) return 0n;
  const candidates = (await findByTag(tx, CREDIT_GRANT, clientId, 'customerId', q.customerId))
    .filter((grant) => grant.status === 'ACTIVE' && grant.doc.amount.currency === q.currency)
    .map((grant) => grant.id);
  const grants: Array<ResourceRecord<CreditGrantDoc, CreditGrantStatus>> = [];
  for (const id of candidates) {
    const record = await findResource(tx, CREDIT_GRANT, clientId, id, { forUpdate: engine.database.dialect });
    if (record !== undefined && grantUsable(record, q.now)) grants.push(record);
  }
  grants.sort(spendingOrder);
  let remaining = q.amountMinor;
  for (const grant of grants) {
    if (remaining === 0n) break;
    remaining -= await drawFrom(tx, engine, clientId, grant.id, remaining, q.now);
  }
  return q.amountMinor - remaining;
}

/** Takes up to `wanted` from one grant (already locked in `tx`); answers what it took. */
async function drawFrom(tx: Tx, engine: ResourceEngine, clientId: string, grantId: string, wanted: bigint, now: number): Promise<bigint> {
  let taken = 0n;
  await engine.changeWithin(tx, clientId, CREDIT_GRANT, grantId, (record) => {
    if (!grantUsable(record, now)) return { unchanged: true };
    const available = BigInt(record.doc.availableValue);
    taken = available < wanted ? available : wanted;
    return {
      status: record.status,
      doc: { ...record.doc, availableValue: (available - taken).toString() },
      event: 'consumed',
      detail: `${taken} ${record.doc.amount.currency} minor units consumed`,
    };
  });
  return taken;
}
