/**
 * Idempotency keys, built once for pay, refund and capture. A request claims
 * `(client, scope, requestId)` by inserting it inside the transaction that
 * creates the resource; the primary key makes concurrent duplicates collide
 * in the database (SQLite serialises writers, PostgreSQL blocks the second
 * insert until the first commits), so exactly one request creates the
 * resource and the others read it.
 */
import type { Tx } from '../store/database.js';

/** The request fields that must match on a repeat, by name. */
export type Fingerprint = Readonly<Record<string, string | null>>;

export type Claim =
  | { claimed: true }
  | { claimed: false; resourceId: string; differingFields: string[] };

export async function claimIdempotencyKey(
  tx: Tx,
  key: { clientId: string; scope: string; requestId: string },
  fingerprint: Fingerprint,
  resourceId: string,
  now: number,
): Promise<Claim> {
  const serialised = serialiseFingerprint(fingerprint);
  const inserted = await tx
    .insertInto('idempotency_keys')
    .values({ client_id: key.clientId, scope: key.scope, request_id: key.requestId, fingerprint: serialised, resource_id: resourceId, created_at: now })
    .onConflict((oc) => oc.columns(['client_id', 'scope', 'request_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { claimed: true };

  const existing = await tx
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'resource_id'])
    .where('client_id', '=', key.clientId)
    .where('scope', '=', key.scope)
    .where('request_id', '=', key.requestId)
    .executeTakeFirstOrThrow();
  return { claimed: false, resourceId: existing.resource_id, differingFields: differingFields(JSON.parse(existing.fingerprint) as Fingerprint, fingerprint) };
}

/** Canonical JSON: keys sorted, so the same fields always serialise alike. */
export function serialiseFingerprint(fingerprint: Fingerprint): string {
  return JSON.stringify(Object.fromEntries(Object.keys(fingerprint).sort().map((k) => [k, fingerprint[k] ?? null])));
}

export function differingFields(recorded: Fingerprint, current: Fingerprint): string[] {
  const names = new Set([...Object.keys(recorded), ...Object.keys(current)]);
  return [...names].sort().filter((name) => (recorded[name] ?? null) !== (current[name] ?? null));
}
