/**
 * A change keyed by a request id (cancelRegistration, updateRegistrationPeriod,
 * updateSettings): the key is claimed in the transaction that makes the
 * change, so a resend answers the resource as it is now without acting
 * twice, and a change that loses a race rolls back with its claim and is
 * decided again.
 */
import { AmsError } from '@amsgate/protocol';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { Decision, ResourceEngine } from '../../resources/resource-engine.js';
import type { ResourceKind, ResourceRecord } from '../../resources/resource-kind.js';
import { findResource, saveResource } from '../../resources/resource-store.js';
import type { Tx } from '../../schema.js';

const ATTEMPTS = 8;

class LostRace extends Error {}

export async function keyedChange<Doc extends object, Status extends string>(
  engine: ResourceEngine,
  context: KeyedHandlerContext,
  kind: ResourceKind<Doc, Status>,
  id: string,
  decide: (record: ResourceRecord<Doc, Status>, tx: Tx, now: number) => Promise<Decision<Doc, Status>> | Decision<Doc, Status>,
  field: string = kind.idField,
): Promise<ResourceRecord<Doc, Status>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await engine.database.transaction(async (tx) => {
        const now = engine.clock.now();
        const record = await engine.require(tx, kind, context.clientId, id, field);
        const claim = await claimOrRecorded(tx, context.idempotencyKey, record.id, now, (recorded) => findResource(tx, kind, context.clientId, recorded));
        if (!claim.claimed) return claim.recorded;
        const decision = await decide(record, tx, now);
        if ('unchanged' in decision) return record;
        const saved = await saveResource(tx, kind, record, { status: decision.status, doc: decision.doc, now, event: decision.event, ...(decision.detail === undefined ? {} : { detail: decision.detail }) });
        if (saved === undefined) throw new LostRace();
        await decision.after?.(tx, saved);
        return saved;
      });
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      if (attempt >= ATTEMPTS) throw new AmsError('UNKNOWN_EXCEPTION', `The ${kind.noun} ${id} kept changing under this request; nothing was changed by it: retry`);
    }
  }
}
