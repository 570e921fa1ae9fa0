/**
 * Credit grants: credit a customer's metered usage consumes before it is
 * invoiced (`usage.ts` draws on them). A grant is ACTIVE until it is voided
 * or its expiry passes; an expiry that passed shows as EXPIRED at once, and
 * the clock's due work writes it.
 */
import { AmsError, parsePositiveAmount, SUCCESS_RESULT, type EndpointRequest, type EndpointResponse } from '@amsgate/protocol';
import { endpointModule } from '../../endpoints/contract.js';
import { changeEndpoint, defined, detailsEndpoint } from '../../resources/resource-endpoints.js';
import type { Decision, ResourceEngine } from '../../resources/resource-engine.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { DEFAULT_PAGE_SIZE, numberedPageQuery } from '../../resources/list-request.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { APPLICABILITY_SCOPES, CREDIT_GRANT, CREDIT_GRANT_CATEGORIES, CREDIT_GRANT_STATUSES, expiryTag, type CreditGrantDoc, type CreditGrantStatus } from './kinds.js';
import { requestTime, wireTime } from './times.js';

export type CreditGrantAnswer = NonNullable<EndpointResponse<'meter/creditGrant/inquireDetails'>['creditGrant']>;
type GrantRecord = ResourceRecord<CreditGrantDoc, CreditGrantStatus>;

/** Our choices (Stripe's credit grants): priority 0 (spent first) to 100, default 50. */
const MIN_PRIORITY = 0;
const MAX_PRIORITY = 100;
const DEFAULT_PRIORITY = 50;
const EXPIRY_MODES = ['IMMEDIATE', 'SPECIFIED', 'NEVER'] as const;

/** The status as of `now`: an ACTIVE grant whose expiry passed is EXPIRED even before the clock work writes it. */
export function grantStatusAt(record: GrantRecord, now: number): CreditGrantStatus {
  return record.status === 'ACTIVE' && record.doc.expiresAt !== undefined && record.doc.expiresAt <= now ? 'EXPIRED' : record.status;
}

export function creditGrantAnswer(record: GrantRecord, now: number): CreditGrantAnswer {
  const status = grantStatusAt(record, now);
  const { doc } = record;
  return defined({
    creditGrantId: record.id,
    creditGrantName: doc.creditGrantName,
    customerId: doc.customerId,
    status,
    amount: { ...doc.amount },
    // An expired or voided grant's balance is forfeited: nothing is available.
    availableAmount: { currency: doc.amount.currency, value: status === 'ACTIVE' ? doc.availableValue : '0' },
    applicability: defined({ scope: doc.applicability.scope, priceIds: doc.applicability.priceIds === undefined ? undefined : [...doc.applicability.priceIds] }),
    priority: doc.priority,
    category: doc.category,
    effectiveDateTime: wireTime(doc.effectiveAt),
    expiryDateTime: doc.expiresAt === undefined ? undefined : wireTime(doc.expiresAt),
    createdDateTime: wireTime(record.createdAt),
    updatedDateTime: wireTime(record.updatedAt),
  });
}

function oneOf<T extends string>(values: readonly T[], value: string, field: string): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw AmsError.paramIllegal(field, `must be ${values.join(', ')}, got ${JSON.stringify(value)}`);
  return found;
}

function grantDocOf(request: EndpointRequest<'meter/creditGrant/create'>, now: number): CreditGrantDoc {
  const amount = parsePositiveAmount(request.amount, 'amount');
  const scope = oneOf(APPLICABILITY_SCOPES, request.applicability.scope ?? '', 'applicability.scope');
  const priceIds = request.applicability.priceIds;
  if (scope === 'PRICES' && (priceIds === undefined || priceIds.length === 0)) throw AmsError.paramIllegal('applicability.priceIds', 'must list the prices when scope is PRICES');
  if (scope === 'METERED' && priceIds !== undefined && priceIds.length > 0) throw AmsError.paramIllegal('applicability.priceIds', 'must be absent when scope is METERED (it covers every metered price)');
  const priority = request.priority ?? DEFAULT_PRIORITY;
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) throw AmsError.paramIllegal('priority', `must be an integer from ${MIN_PRIORITY} (spent first) to ${MAX_PRIORITY}`);
  const effectiveAt = request.effectiveDateTime === undefined ? now : requestTime(request.effectiveDateTime, 'effectiveDateTime');
  const expiresAt = request.expiryDateTime === undefined ? undefined : requestTime(request.expiryDateTime, 'expiryDateTime');
  if (expiresAt !== undefined && expiresAt <= now) throw AmsError.paramIllegal('expiryDateTime', 'must be in the future');
  if (expiresAt !== undefined && expiresAt <= effectiveAt) throw AmsError.paramIllegal('expiryDateTime', 'must be later than effectiveDateTime');
  return defined({
    creditGrantName: request.creditGrantName,
    customerId: request.customerId,
    amount: { currency: amount.currency, value: amount.minor.toString() },
    availableValue: amount.minor.toString(),
    applicability: defined({ scope, priceIds: scope === 'PRICES' ? [...new Set(priceIds)] : undefined }),
    priority,
    category: oneOf(CREDIT_GRANT_CATEGORIES, request.category, 'category'),
    effectiveAt,
    expiresAt,
  });
}

/** Refuses a change to a grant that is not ACTIVE as of `now` (an expiry that passed counts). */
function requireActive(record: GrantRecord, now: number, action: string): void {
  const status = grantStatusAt(record, now);
  if (status !== 'ACTIVE') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `credit grant ${record.id} is ${status}: only ACTIVE can be ${action}`);
}

function decideExpiry(record: GrantRecord, request: EndpointRequest<'meter/creditGrant/updateExpiry'>, now: number): Decision<CreditGrantDoc, CreditGrantStatus> {
  const mode = oneOf(EXPIRY_MODES, request.expiryMode, 'expiryMode');
  if (mode !== 'SPECIFIED' && request.expiryDateTime !== undefined) throw AmsError.paramIllegal('expiryDateTime', `must be absent with expiryMode ${mode}`);
  requireActive(record, now, 'given a new expiry');
  const { expiresAt: _previous, ...rest } = record.doc;
  switch (mode) {
    case 'IMMEDIATE':
      return { status: 'EXPIRED', doc: { ...rest, expiresAt: now }, event: 'expired', detail: 'expired on request' };
    case 'NEVER':
      if (record.doc.expiresAt === undefined) return { unchanged: true };
      return { status: 'ACTIVE', doc: rest, event: 'expiryChanged', detail: 'never expires' };
    case 'SPECIFIED': {
      if (request.expiryDateTime === undefined) throw AmsError.paramIllegal('expiryDateTime', 'is required with expiryMode SPECIFIED');
      const expiresAt = requestTime(request.expiryDateTime, 'expiryDateTime');
      if (expiresAt <= now) throw AmsError.paramIllegal('expiryDateTime', 'must be in the future (use expiryMode IMMEDIATE to expire now)');
      if (expiresAt <= record.doc.effectiveAt) throw AmsError.paramIllegal('expiryDateTime', 'must be later than effectiveDateTime');
      if (expiresAt === record.doc.expiresAt) return { unchanged: true };
      return { status: 'ACTIVE', doc: { ...rest, expiresAt }, event: 'expiryChanged', detail: `expires at ${wireTime(expiresAt)}` };
    }
  }
}

/** Writes EXPIRED on every grant whose expiry has passed; each is claimed by its compare-and-swap, so concurrent sweeps expire it once. */
export async function expireDueGrants(engine: ResourceEngine, clientId?: string): Promise<number> {
  const now = engine.clock.now();
  const due = await engine.database.read(async (db) => {
    let query = db
      .selectFrom('resource_tags as t')
      .innerJoin('resources as r', 'r.id', 't.id')
      .select(['r.id', 'r.client_id'])
      .where('t.kind', '=', CREDIT_GRANT.kind)
      .where('t.name', '=', 'expiresAt')
      .where('t.value', '<=', expiryTag(now))
      .where('r.status', '=', 'ACTIVE');
    if (clientId !== undefined) query = query.where('t.client_id', '=', clientId);
    return query.execute();
  });
  let expired = 0;
  for (const row of due) {
    const record = await engine.change(row.client_id, CREDIT_GRANT, row.id, (current, _tx, at) =>
      grantStatusAt(current, at) === 'EXPIRED' && current.status === 'ACTIVE'
        ? { status: 'EXPIRED', doc: current.doc, event: 'expired', detail: 'expiry reached' }
        : { unchanged: true });
    if (record.status === 'EXPIRED') expired += 1;
  }
  return expired;
}

export function creditGrantEndpoints({ engine, database, clock, onDue }: ResourceProductDeps) {
  onDue(() => expireDueGrants(engine));
  return {
    'meter/creditGrant/create': endpointModule({
      path: 'meter/creditGrant/create',
      handle: async (context, request) => {
        const now = clock.now();
        const doc = grantDocOf(request, now);
        const record = await database.transaction((tx) => engine.insert(tx, CREDIT_GRANT, context.clientId, { status: 'ACTIVE', doc }, now));
        return { result: { ...SUCCESS_RESULT }, creditGrant: creditGrantAnswer(record, now) };
      },
    }),
    'meter/creditGrant/inquireDetails': detailsEndpoint(engine, CREDIT_GRANT, {
      path: 'meter/creditGrant/inquireDetails',
      idOf: (request) => ({ id: request.creditGrantId, field: 'creditGrantId' }),
      answer: (record) => ({ creditGrant: creditGrantAnswer(record, clock.now()) }),
    }),
    'meter/creditGrant/inquireList': endpointModule({
      path: 'meter/creditGrant/inquireList',
      handle: async (context, request) => {
        const status = request.status === undefined ? undefined : oneOf(CREDIT_GRANT_STATUSES, request.status, 'status');
        const query = numberedPageQuery(request.pageNum, request.pageSize, { customerId: request.customerId, status }, { number: 'pageNum', size: 'pageSize' });
        // A status filter must see expiries that passed since the clock work last ran.
        await expireDueGrants(engine, context.clientId);
        const page = await engine.list(CREDIT_GRANT, context.clientId, query);
        const now = clock.now();
        return {
          result: { ...SUCCESS_RESULT },
          pageNum: request.pageNum ?? 1,
          pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
          totalCount: page.total ?? 0,
          creditGrants: page.items.map((record) => creditGrantAnswer(record, now)),
        };
      },
    }),
    'meter/creditGrant/updateExpiry': changeEndpoint(engine, CREDIT_GRANT, {
      path: 'meter/creditGrant/updateExpiry',
      idOf: (request) => request.creditGrantId,
      decide: (record, request, { now }) => decideExpiry(record, request, now),
      answer: (record) => ({ creditGrant: creditGrantAnswer(record, clock.now()) }),
    }),
    'meter/creditGrant/void': changeEndpoint(engine, CREDIT_GRANT, {
      path: 'meter/creditGrant/void',
      idOf: (request) => request.creditGrantId,
      decide: (record, request, { now }) => {
        // A repeat of a void that was made leaves it as it is.
        if (record.status === 'VOIDED') return { unchanged: true };
        requireActive(record, now, 'voided');
        return {
          status: 'VOIDED',
          doc: defined({ ...record.doc, voidReason: request.voidReason }),
          event: 'voided',
          detail: `${record.doc.availableValue} ${record.doc.amount.currency} minor units forfeited${request.voidReason === undefined ? '' : `: ${request.voidReason}`}`,
        };
      },
      answer: (record) => ({ creditGrant: creditGrantAnswer(record, clock.now()) }),
    }),
  };
}
