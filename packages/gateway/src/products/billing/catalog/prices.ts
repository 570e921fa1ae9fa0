/**
 * `billing/price/*`: what a product costs, in minor units: PER_UNIT (a unit
 * amount, optionally per package of `includedQuantity`) or TIERED
 * (GRADUATED or VOLUME tiers); LICENSED, or METERED on a meter. At most one
 * active default price per product.
 */
import { METER } from '../../metering/kinds.js';
import { AmsError, type Amount, type EndpointRequest } from '@amsgate/protocol';
import { pageAnswer, pageQueryOf } from '../../../resources/list-request.js';
import { changeEndpoint, createEndpoint, defined, detailsEndpoint, listEndpoint } from '../../../resources/resource-endpoints.js';
import type { ResourceEngine } from '../../../resources/resource-engine.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { findResource, saveResource } from '../../../resources/resource-store.js';
import type { Tx } from '../../../schema.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { amountOf, metadataOf, oneOf } from './fields.js';
import { PRICE, PRODUCT, type PriceDoc } from './kinds.js';
import { listTagged } from './lookups.js';
import { isoOf } from './times.js';

const PRICING_MODELS = ['PER_UNIT', 'TIERED'] as const;
const USAGE_TYPES = ['LICENSED', 'METERED'] as const;
const TIERS_MODES = ['GRADUATED', 'VOLUME'] as const;
const PERIOD_TYPES = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
const MAX_TIERS = 20;


type PriceRequest = EndpointRequest<'billing/price/create'>;
type Tier = NonNullable<PriceRequest['tiers']>[number];

/** The price's amounts: one currency for all of them. */
function sameCurrency(amounts: Array<[Amount | undefined, string]>): void {
  let first: [string, string] | undefined;
  for (const [amount, field] of amounts) {
    if (amount === undefined) continue;
    if (first === undefined) first = [amount.currency, field];
    else if (amount.currency !== first[0]) throw AmsError.paramIllegal(`${field}.currency`, `must be ${first[0]}, the currency of ${first[1]}`);
  }
}

function tiersOf(tiers: readonly Tier[] | undefined): Tier[] {
  if (tiers === undefined || tiers.length === 0) throw AmsError.paramIllegal('tiers', 'are required for a TIERED price');
  if (tiers.length > MAX_TIERS) throw AmsError.paramIllegal('tiers', `may have at most ${MAX_TIERS} tiers, got ${tiers.length}`);
  let previous = 0;
  return tiers.map((tier, index) => {
    const field = `tiers[${index}]`;
    const last = index === tiers.length - 1;
    if (tier.upTo === undefined && !last) throw AmsError.paramIllegal(`${field}.upTo`, 'only the last tier may be unbounded');
    if (tier.upTo !== undefined) {
      if (!Number.isInteger(tier.upTo) || tier.upTo <= previous) throw AmsError.paramIllegal(`${field}.upTo`, `must be a whole number above ${previous}, the tier before's bound`);
      previous = tier.upTo;
    }
    if (tier.unitAmount === undefined && tier.flatAmount === undefined) throw AmsError.paramIllegal(field, 'needs unitAmount or flatAmount');
    return defined({
      upTo: tier.upTo,
      unitAmount: tier.unitAmount === undefined ? undefined : amountOf(tier.unitAmount, `${field}.unitAmount`),
      flatAmount: tier.flatAmount === undefined ? undefined : amountOf(tier.flatAmount, `${field}.flatAmount`),
    });
  });
}

function recurringOf(recurring: PriceRequest['recurring']): PriceRequest['recurring'] {
  if (recurring === undefined) return undefined;
  const rule = recurring.periodRule;
  if (rule === undefined) throw AmsError.paramIllegal('recurring.periodRule', 'is required with recurring');
  if (rule.periodType === undefined) throw AmsError.paramIllegal('recurring.periodRule.periodType', `is required: one of ${PERIOD_TYPES.join(', ')}`);
  oneOf(rule.periodType, PERIOD_TYPES, 'recurring.periodRule.periodType');
  const count = rule.periodCount ?? rule.period ?? 1;
  if (!Number.isInteger(count) || count < 1) throw AmsError.paramIllegal('recurring.periodRule.periodCount', 'must be 1 or more');
  return { periodRule: defined({ periodType: rule.periodType, periodCount: count, price: rule.price === undefined ? undefined : amountOf(rule.price, 'recurring.periodRule.price') }) };
}

/** The priced fields of a create request, checked together. */
function pricing(request: PriceRequest): Pick<PriceDoc, 'pricingModel' | 'usageType' | 'meterId' | 'unitAmount' | 'includedQuantity' | 'tiersMode' | 'tiers' | 'recurring'> {
  const pricingModel = oneOf(request.pricingModel, PRICING_MODELS, 'pricingModel') ?? (request.tiers !== undefined ? 'TIERED' : 'PER_UNIT');
  const usageType = oneOf(request.usageType, USAGE_TYPES, 'usageType') ?? 'LICENSED';
  if (usageType === 'METERED') {
    if (request.meterId === undefined) throw AmsError.paramIllegal('meterId', 'is required for a METERED price');
    if (!/^[a-zA-Z0-9_]{1,32}$/.test(request.meterId)) throw AmsError.paramIllegal('meterId', 'must be 1 to 32 letters, digits or _');
  } else if (request.meterId !== undefined) {
    throw AmsError.paramIllegal('meterId', 'is only for a METERED price');
  }
  if (request.includedQuantity !== undefined && (!Number.isInteger(request.includedQuantity) || request.includedQuantity < 1)) {
    throw AmsError.paramIllegal('includedQuantity', 'must be 1 or more');
  }
  const recurring = recurringOf(request.recurring);
  if (pricingModel === 'PER_UNIT') {
    if (request.unitAmount === undefined) throw AmsError.paramIllegal('unitAmount', 'is required for a PER_UNIT price');
    if (request.tiers !== undefined) throw AmsError.paramIllegal('tiers', 'are only for a TIERED price');
    if (request.tiersMode !== undefined) throw AmsError.paramIllegal('tiersMode', 'is only for a TIERED price');
    const unitAmount = amountOf(request.unitAmount, 'unitAmount');
    sameCurrency([[unitAmount, 'unitAmount'], [recurring?.periodRule?.price, 'recurring.periodRule.price']]);
    return defined({ pricingModel, usageType, meterId: request.meterId, unitAmount, includedQuantity: request.includedQuantity, recurring });
  }
  if (request.includedQuantity !== undefined) throw AmsError.paramIllegal('includedQuantity', 'is only for a PER_UNIT price');
  if (request.unitAmount !== undefined) throw AmsError.paramIllegal('unitAmount', 'is only for a PER_UNIT price: a TIERED price prices its tiers');
  if (request.tiersMode === undefined) throw AmsError.paramIllegal('tiersMode', `is required for a TIERED price: one of ${TIERS_MODES.join(', ')}`);
  const tiersMode = oneOf(request.tiersMode, TIERS_MODES, 'tiersMode');
  const tiers = tiersOf(request.tiers);
  sameCurrency([...tiers.flatMap((tier, index): Array<[Amount | undefined, string]> => [[tier.unitAmount, `tiers[${index}].unitAmount`], [tier.flatAmount, `tiers[${index}].flatAmount`]]), [recurring?.periodRule?.price, 'recurring.periodRule.price']]);
  return defined({ pricingModel, usageType, meterId: request.meterId, tiersMode, tiers, recurring });
}

/** Makes `priceId` the product's only default: any other that was stops being it (in the same transaction). */
async function undefaultOthers(tx: Tx, engine: ResourceEngine, clientId: string, productId: string, priceId: string, now: number): Promise<void> {
  // At most one other can be the default; a few are read in case an earlier race left two.
  for (const previous of await listTagged(tx, PRICE, clientId, { defaultOf: productId }, 5)) {
    if (previous.id === priceId) continue;
    const locked = await findResource(tx, PRICE, clientId, previous.id, { forUpdate: engine.database.dialect });
    if (locked === undefined || locked.doc.defaultPrice !== true) continue;
    const doc: PriceDoc = { ...locked.doc, defaultPrice: false, updatedAt: isoOf(now) };
    const saved = await saveResource(tx, PRICE, locked, { status: locked.status, doc, now, event: 'undefaulted', detail: `price ${priceId} is the default now` });
    if (saved === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `price ${previous.id} changed while the default price changed: retry`);
  }
}

/** A price as answered. */
export function priceItem(record: ResourceRecord<PriceDoc, string>): PriceDoc {
  return { ...record.doc, priceId: record.id, active: record.status === 'ACTIVE' };
}

export function priceEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/price/create': createEndpoint(engine, PRICE, {
      path: 'billing/price/create',
      requestIdField: 'priceRequestId',
      build: async (request, { tx, id, now, clientId }) => {
        if (request.defaultPrice === false) throw AmsError.paramIllegal('defaultPrice', 'can only be true (or absent)');
        const priced = pricing(request);
        const metadata = metadataOf(request.metadata, 'metadata', 20);
        const product = await engine.require(tx, PRODUCT, clientId, request.productId, 'productId');
        if (product.status !== 'ACTIVE') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `productId: product ${product.id} is not active: activate it before adding prices`, { field: 'productId' });
        if (priced.meterId !== undefined && (await findResource(tx, METER, clientId, priced.meterId)) === undefined) {
          throw new AmsError('METER_NOT_FOUND', `meterId: no meter ${priced.meterId}`, { field: 'meterId' });
        }
        const doc: PriceDoc = defined({
          priceId: id, productId: product.id, name: request.name, ...priced, unitLabel: request.unitLabel ?? product.doc.unitLabel,
          metadata, active: true, defaultPrice: request.defaultPrice === true ? true : undefined, createdAt: isoOf(now), updatedAt: isoOf(now),
        });
        return {
          status: 'ACTIVE',
          doc,
          after: async (innerTx) => {
            if (doc.defaultPrice === true) await undefaultOthers(innerTx, engine, clientId, product.id, id, now);
          },
        };
      },
      answer: (record, request) => ({ ...priceItem(record), ...(request.priceRequestId !== undefined ? { priceRequestId: request.priceRequestId } : {}) }),
    }),

    'billing/price/update': changeEndpoint(engine, PRICE, {
      path: 'billing/price/update',
      idOf: (request) => request.priceId,
      decide: (record, request, { now, clientId }) => {
        if (request.defaultPrice === false) throw AmsError.paramIllegal('defaultPrice', 'can only be true: make another price the default instead');
        if (request.defaultPrice === true && request.active === false) throw AmsError.paramIllegal('defaultPrice', 'a price being deactivated cannot become the default');
        const wasActive = record.status === 'ACTIVE';
        const active = request.active ?? wasActive;
        if (request.defaultPrice === true && !active) throw AmsError.paramIllegal('defaultPrice', `price ${record.id} is inactive: activate it to make it the default`);
        const becomesDefault = request.defaultPrice === true && record.doc.defaultPrice !== true;
        const doc: PriceDoc = defined({
          ...record.doc,
          ...(request.name !== undefined ? { name: request.name } : {}),
          ...(request.metadata !== undefined ? { metadata: metadataOf(request.metadata, 'metadata', 20) } : {}),
          active,
          // A deactivated price stops being the default: a product's default is always one that can be sold.
          defaultPrice: active ? (request.defaultPrice === true || record.doc.defaultPrice === true ? true : undefined) : undefined,
          deactivatedAt: active ? undefined : wasActive ? isoOf(now) : record.doc.deactivatedAt,
          updatedAt: isoOf(now),
        });
        return {
          status: active ? 'ACTIVE' : 'INACTIVE',
          doc,
          event: active === wasActive ? 'updated' : active ? 'activated' : 'deactivated',
          after: async (innerTx) => {
            if (becomesDefault && doc.productId !== undefined) await undefaultOthers(innerTx, engine, clientId, doc.productId, record.id, now);
          },
        };
      },
      answer: (record) => priceItem(record),
    }),

    'billing/price/inquireDetails': detailsEndpoint(engine, PRICE, {
      path: 'billing/price/inquireDetails',
      idOf: (request) => ({ id: request.priceId, field: 'priceId' }),
      answer: (record) => priceItem(record),
    }),

    'billing/price/inquireList': listEndpoint(engine, PRICE, {
      path: 'billing/price/inquireList',
      query: (request) => pageQueryOf({ ...request, includeTotal: request.includeTotal ?? true }, {
        productId: request.productId,
        pricingModel: oneOf(request.pricingModel, PRICING_MODELS, 'pricingModel'),
        status: request.active === undefined ? undefined : request.active ? 'ACTIVE' : 'INACTIVE',
      }),
      answer: (page) => {
        const { nextCursor: _next, previousCursor: _previous, ...fields } = pageAnswer(page, 'prices', priceItem);
        return fields as never;
      },
    }),
  };
}
