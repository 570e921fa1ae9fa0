/**
 * Idempotency keys, built once for pay, refund and capture. A request claims
 * `(client, scope, requestId)` by inserting it inside the transaction that
 * creates the resource; the primary key makes concurrent duplicates collide
 * in the database (SQLite serialises writers, PostgreSQL blocks the second
 * insert until the first commits), so exactly one request creates the
 * resource and the others read it.
 */
import { AmsError, parsePositiveAmount } from '@amsgate/protocol';
import { preparedQuery, type Tx } from '../schema.js';

/** The request fields that must match on a repeat, by name. */
export type Fingerprint = Readonly<Record<string, string | null>>;

/** An amount field as key fields (`refundAmount.currency`, `refundAmount.value` in minor units); refuses one that is not a positive amount. */
export function amountKeyFields(field: string, amount: Parameters<typeof parsePositiveAmount>[0]): Fingerprint {
  const parsed = parsePositiveAmount(amount, field);
  return { [`${field}.currency`]: parsed.currency, [`${field}.value`]: parsed.minor.toString() };
}

/**
 * A request's idempotency key, as the endpoint module declares it: built by
 * the route table, claimed by the service inside the transaction that
 * creates the resource. The fingerprint is computed at the claim, so a field
 * it parses is refused in the same order as before keys were declared.
 */
export interface IdempotencyKey {
  readonly clientId: string;
  readonly scope: string;
  readonly requestId: string;
  /** The request field that carries the id (`refundRequestId`), for messages. */
  readonly idName: string;
  readonly fingerprint: () => Fingerprint;
}

export type Claim =
  | { claimed: true }
  | { claimed: false; resourceId: string; differingFields: string[] };

export async function claimIdempotencyKey(
  tx: Tx,
  key: Pick<IdempotencyKey, 'clientId' | 'scope' | 'requestId'>,
  fingerprint: Fingerprint,
  resourceId: string,
  now: number,
): Promise<Claim> {
  const serialised = serialiseFingerprint(fingerprint);
  const inserted = await insertKey(tx, { clientId: key.clientId, scope: key.scope, requestId: key.requestId, fingerprint: serialised, resourceId, now });
  if (Number(inserted.numAffectedRows ?? 0n) === 1) return { claimed: true };

  const existing = (await selectKey(tx, { clientId: key.clientId, scope: key.scope, requestId: key.requestId })).rows[0];
  if (!existing) throw new Error(`idempotency key ${key.scope}/${key.requestId} conflicted but cannot be read`);
  return { claimed: false, resourceId: existing.resource_id, differingFields: differingFields(JSON.parse(existing.fingerprint) as Fingerprint, fingerprint) };
}

const insertKey = preparedQuery(['clientId', 'scope', 'requestId', 'fingerprint', 'resourceId', 'now'], (db, p) =>
  db
    .insertInto('idempotency_keys')
    .values({ client_id: p('clientId'), scope: p('scope'), request_id: p('requestId'), fingerprint: p('fingerprint'), resource_id: p('resourceId'), created_at: p('now') })
    .onConflict((oc) => oc.columns(['client_id', 'scope', 'request_id']).doNothing()),
);

const selectKey = preparedQuery(['clientId', 'scope', 'requestId'], (db, p) =>
  db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'resource_id'])
    .where('client_id', '=', p('clientId'))
    .where('scope', '=', p('scope'))
    .where('request_id', '=', p('requestId')),
);

/** Canonical JSON: keys sorted, so the same fields always serialise alike. */
export function serialiseFingerprint(fingerprint: Fingerprint): string {
  return JSON.stringify(Object.fromEntries(Object.keys(fingerprint).sort().map((k) => [k, fingerprint[k] ?? null])));
}

export function differingFields(recorded: Fingerprint, current: Fingerprint): string[] {
  const names = new Set([...Object.keys(recorded), ...Object.keys(current)]);
  return [...names].sort().filter((name) => (recorded[name] ?? null) !== (current[name] ?? null));
}

/**
 * Claims the key, or gives back what the first request with it created:
 * a repeat with other key values is `REPEAT_REQ_INCONSISTENT` naming them.
 */
export async function claimOrRecorded<T>(
  tx: Tx,
  key: IdempotencyKey,
  resourceId: string,
  now: number,
  findRecorded: (resourceId: string) => Promise<T | undefined>,
): Promise<{ claimed: true } | { claimed: false; recorded: T }> {
  const claim = await claimIdempotencyKey(tx, key, key.fingerprint(), resourceId, now);
  if (claim.claimed) return claim;
  if (claim.differingFields.length > 0) {
    throw new AmsError('REPEAT_REQ_INCONSISTENT', `${key.idName} ${key.requestId} was used with different ${claim.differingFields.join(', ')}`);
  }
  const recorded = await findRecorded(claim.resourceId);
  if (recorded === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `The record created for ${key.idName} ${key.requestId} is missing`);
  return { claimed: false, recorded };
}
