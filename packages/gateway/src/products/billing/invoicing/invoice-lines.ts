/**
 * An `invoice/create` request's items as priced lines. Each item uses one
 * pricing model, and all items the same: a fixed `itemAmount`,
 * `unitAmount` × `quantity`, or a catalog `priceId`.
 */
import { AmsError, type EndpointRequest } from '@amsgate/protocol';
import { findResource } from '../../../resources/resource-store.js';
import type { Tx } from '../../../schema.js';
import { PRICE } from '../catalog/kinds.js';
import { amountIn } from './money.js';
import { priceAmount, priceCurrency } from './pricing.js';
import type { Line } from './totals.js';

type Item = EndpointRequest<'billing/invoice/create'>['items'][number];
type Model = 'itemAmount' | 'unitAmount' | 'priceId';

export const MAX_ITEMS = 100;
export const MAX_SUBSCRIPTION_ITEMS = 20;

export async function linesOf(tx: Tx, clientId: string, items: readonly Item[], currency: string, forSubscription: boolean): Promise<Line[]> {
  const max = forSubscription ? MAX_SUBSCRIPTION_ITEMS : MAX_ITEMS;
  if (items.length === 0) throw AmsError.paramIllegal('items', 'must hold at least one item');
  if (items.length > max) throw AmsError.paramIllegal('items', `must hold at most ${max} items${forSubscription ? ' on a subscription invoice' : ''}`);
  let model: Model | undefined;
  const lines: Line[] = [];
  for (const [i, item] of items.entries()) {
    const field = `items[${i}]`;
    const models = (['itemAmount', 'unitAmount', 'priceId'] as const).filter((m) => item[m] !== undefined);
    if (models.length !== 1) throw AmsError.paramIllegal(field, 'give exactly one of itemAmount, unitAmount or priceId');
    const mine = models[0]!;
    if (model !== undefined && mine !== model) throw AmsError.paramIllegal(`${field}.${mine}`, `every item must use the same pricing model; items[0] uses ${model}`);
    model = mine;
    if (item.supplyStart !== undefined && item.supplyEnd !== undefined && !(Date.parse(item.supplyStart) < Date.parse(item.supplyEnd))) {
      throw AmsError.paramIllegal(`${field}.supplyEnd`, 'must be after supplyStart');
    }
    const quantity = BigInt(item.quantity ?? 1);
    const itemId = item.itemId ?? `ii_${i + 1}`;
    const common = { itemId, ...(item.description === undefined ? {} : { description: item.description }), ...(item.productId === undefined ? {} : { productId: item.productId }), ...(item.supplyStart === undefined ? {} : { periodStart: item.supplyStart }), ...(item.supplyEnd === undefined ? {} : { periodEnd: item.supplyEnd }) };
    if (mine === 'itemAmount') {
      lines.push({ ...common, quantity: 1n, amountMinor: amountIn(item.itemAmount, currency, `${field}.itemAmount`) });
    } else if (mine === 'unitAmount') {
      const unit = amountIn(item.unitAmount, currency, `${field}.unitAmount`);
      lines.push({ ...common, quantity, unitAmountMinor: unit, amountMinor: unit * quantity });
    } else {
      const price = await findResource(tx, PRICE, clientId, item.priceId!);
      if (price === undefined) throw new AmsError('RECORD_NOT_FOUND', `${field}.priceId: no price ${item.priceId}`, { field: `${field}.priceId` });
      if (price.status !== 'ACTIVE') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `${field}.priceId: price ${price.id} is ${price.status}`, { field: `${field}.priceId` });
      const priceCur = priceCurrency(price.doc, `${field}.priceId`);
      if (priceCur !== currency) throw new AmsError('CURRENCY_NOT_SUPPORT', `${field}.priceId: price ${price.id} is in ${priceCur}, the invoice in ${currency}`, { field: `${field}.priceId` });
      lines.push({
        ...common,
        priceId: price.id,
        productId: item.productId ?? price.doc.productId,
        quantity,
        ...(price.doc.pricingModel === 'TIERED' || price.doc.unitAmount === undefined ? {} : { unitAmountMinor: BigInt(price.doc.unitAmount.value) }),
        amountMinor: priceAmount(price.doc, quantity),
      });
    }
  }
  return lines;
}
