/**
 * `tax/calculate`'s arithmetic: a request, the client's settings and the
 * rate each jurisdiction has for the client (only where it is registered)
 * → the calculation's fields. Money is bigint minor units throughout.
 */
import { AmsError, isKnownCurrency, MAX_MINOR_UNITS, parseMinorUnits, type EndpointRequest } from '@amsgate/protocol';
import type { Db, Tx } from '../../schema.js';
import { parseWireTime } from '../payments/wire-time.js';
import { TAX_BEHAVIORS, type TaxCalculationDoc, type TaxSettingsDoc } from './kinds.js';
import { ratePercentText, taxOn, taxRateDetailsFor, type Jurisdiction, type TaxBehavior, type TaxRateTable } from './rates.js';

type Request = EndpointRequest<'tax/calculate'>;
type Address = NonNullable<NonNullable<Request['customerDetails']>['shippingAddress']>;
type Breakdown = NonNullable<TaxCalculationDoc['taxBreakdown']>[number];

/** How long a calculation can be referenced (our choice: Antom publishes none). */
export const CALCULATION_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;
export const MAX_QUANTITY = 10_000;

export function parseBehavior(value: string | undefined, field: string): TaxBehavior | undefined {
  if (value === undefined) return undefined;
  if (!(TAX_BEHAVIORS as readonly string[]).includes(value)) throw AmsError.paramIllegal(field, `must be ${TAX_BEHAVIORS.join(' or ')}, got ${JSON.stringify(value)}`);
  return value as TaxBehavior;
}

/** A country code as ISO 3166-1 alpha-2, upper case. */
export function parseCountry(value: string | undefined, field: string): string {
  if (value === undefined || !/^[A-Za-z]{2}$/.test(value)) throw AmsError.paramIllegal(field, `must be a two-letter ISO 3166-1 country code, got ${JSON.stringify(value ?? null)}`);
  return value.toUpperCase();
}

function jurisdictionOfAddress(address: Address, field: string): Jurisdiction {
  const country = parseCountry(address.country, `${field}.country`);
  return address.region === undefined || address.region === '' ? { country } : { country, state: address.region.toUpperCase() };
}

/**
 * Where the sale is taxed: the customer's shipping, then billing, then
 * business address; else the stored customer's country (`customerId`);
 * else where the goods ship from (the request's ship-from, then the head
 * office in the settings).
 */
export function customerJurisdiction(request: Request, customerCountry: string | undefined, settings: TaxSettingsDoc | undefined): Jurisdiction {
  const details = request.customerDetails;
  const candidates: Array<[Address | undefined, string]> = [
    [details?.shippingAddress, 'customerDetails.shippingAddress'],
    [details?.billingAddress, 'customerDetails.billingAddress'],
    [details?.businessDetails?.address, 'customerDetails.businessDetails.address'],
  ];
  for (const [address, field] of candidates) if (address !== undefined) return jurisdictionOfAddress(address, field);
  if (customerCountry !== undefined) return { country: parseCountry(customerCountry, 'customerId') };
  if (request.shipFromDetails?.address !== undefined) return jurisdictionOfAddress(request.shipFromDetails.address, 'shipFromDetails.address');
  if (settings?.headOffice.address?.country !== undefined) return jurisdictionOfAddress(settings.headOffice.address, 'headOffice.address');
  throw AmsError.paramIllegal('customerDetails', 'give the customer an address (shippingAddress, billingAddress or businessDetails.address) with a country, a customerId, or a shipFromDetails.address: nothing says where the sale is taxed');
}

interface Taxed {
  readonly taxMinor: bigint;
  readonly row: Breakdown;
}

/** One amount taxed at the jurisdiction's rate, or a zero row saying why it is not. */
function taxAmount(amountMinor: bigint, behavior: TaxBehavior, rate: Awaited<ReturnType<typeof taxRateDetailsFor>>, unregisteredTaxType: string | undefined): Taxed {
  const inclusive = behavior === 'INCLUSIVE';
  if (rate === undefined) {
    return {
      taxMinor: 0n,
      row: {
        ...(unregisteredTaxType === undefined ? {} : { taxType: unregisteredTaxType }),
        taxRate: '0', taxAmount: '0', taxableAmount: amountMinor.toString(),
        taxabilityReason: unregisteredTaxType === undefined ? 'NOT_SUPPORTED' : 'NOT_COLLECTING', inclusive,
      },
    };
  }
  const { taxMinor, netMinor } = taxOn(amountMinor, rate.entry.rateBasisPoints, behavior);
  return {
    taxMinor,
    row: {
      taxType: rate.entry.taxType, authorityName: rate.entry.authorityName, taxRate: ratePercentText(rate.entry.rateBasisPoints),
      taxAmount: taxMinor.toString(), taxableAmount: netMinor.toString(), taxabilityReason: 'STANDARD_RATED', inclusive,
    },
  };
}

function checkFits(value: bigint, field: string): bigint {
  if (value > MAX_MINOR_UNITS) throw AmsError.paramIllegal(field, `comes to ${value}, more than ${MAX_MINOR_UNITS} minor units`);
  return value;
}

/** Rows of the same tax, authority, rate, reason and inclusiveness, summed. */
function aggregate(rows: readonly Breakdown[]): Breakdown[] {
  const groups = new Map<string, { row: Breakdown; tax: bigint; taxable: bigint }>();
  for (const row of rows) {
    const key = JSON.stringify([row.taxType, row.authorityName, row.taxRate, row.taxabilityReason, row.inclusive]);
    const group = groups.get(key) ?? { row, tax: 0n, taxable: 0n };
    group.tax += BigInt(row.taxAmount ?? '0');
    group.taxable += BigInt(row.taxableAmount ?? '0');
    groups.set(key, group);
  }
  return [...groups.values()].map(({ row, tax, taxable }) => ({ ...row, taxAmount: tax.toString(), taxableAmount: taxable.toString() }));
}

export interface CalculationInputs {
  readonly clientId: string;
  readonly now: number;
  readonly settings: TaxSettingsDoc | undefined;
  readonly customerCountry: string | undefined;
  readonly table: TaxRateTable;
}

export async function calculateTax(db: Tx | Db, request: Request, inputs: CalculationInputs): Promise<TaxCalculationDoc> {
  const currency = request.currency;
  if (!/^[A-Z]{3}$/.test(currency) || !isKnownCurrency(currency)) throw new AmsError('CURRENCY_NOT_SUPPORT', `currency: ${JSON.stringify(currency)} is not an ISO 4217 currency amsgate knows`, { field: 'currency' });
  if (request.lineItems.length === 0) throw AmsError.paramIllegal('lineItems', 'must have at least one line item');
  let taxDate = inputs.now;
  if (request.taxDate !== undefined) {
    const parsed = parseWireTime(request.taxDate);
    if (parsed === undefined) throw AmsError.paramIllegal('taxDate', `must be an ISO 8601 date-time with an offset, got ${JSON.stringify(request.taxDate)}`);
    taxDate = parsed;
  }
  const jurisdiction = customerJurisdiction(request, inputs.customerCountry, inputs.settings);
  const rate = await taxRateDetailsFor(db, inputs.clientId, jurisdiction, taxDate, inputs.table);
  const unregisteredTaxType = inputs.table.rateFor(jurisdiction)?.taxType;
  const defaultBehavior: TaxBehavior = inputs.settings?.defaultTaxBehavior ?? 'EXCLUSIVE';

  let subtotal = 0n;
  let exclusiveTax = 0n;
  let inclusiveTax = 0n;
  const rows: Breakdown[] = [];
  const seen = new Set<string>();
  const lineItems = request.lineItems.map((line, index) => {
    const field = `lineItems[${index}]`;
    if (line.goodsReferenceId === undefined || line.goodsReferenceId === '') throw AmsError.paramIllegal(`${field}.goodsReferenceId`, 'is required');
    if (seen.has(line.goodsReferenceId)) throw AmsError.paramIllegal(`${field}.goodsReferenceId`, `${line.goodsReferenceId} appears twice: each line item needs its own`);
    seen.add(line.goodsReferenceId);
    if (line.unitAmount === undefined) throw AmsError.paramIllegal(`${field}.unitAmount`, 'is required');
    const unitAmount = parseMinorUnits(line.unitAmount, `${field}.unitAmount`);
    const quantity = line.quantity;
    if (quantity === undefined || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw AmsError.paramIllegal(`${field}.quantity`, `must be a whole number 1 to ${MAX_QUANTITY}, got ${quantity ?? 'none'}`);
    const behavior = parseBehavior(line.taxBehavior, `${field}.taxBehavior`) ?? defaultBehavior;
    const amount = checkFits(unitAmount * BigInt(quantity), `${field}.unitAmount × quantity`);
    const taxed = taxAmount(amount, behavior, rate, unregisteredTaxType);
    subtotal += amount;
    if (behavior === 'EXCLUSIVE') exclusiveTax += taxed.taxMinor;
    else inclusiveTax += taxed.taxMinor;
    rows.push(taxed.row);
    const taxCode = line.taxCode ?? inputs.settings?.defaultTaxCode;
    return {
      goodsReferenceId: line.goodsReferenceId, unitAmount: unitAmount.toString(), amount: amount.toString(), quantity,
      ...(taxCode === undefined ? {} : { taxCode }), taxBehavior: behavior, taxAmount: taxed.taxMinor.toString(), taxBreakdown: [taxed.row],
    };
  });

  let shippingCost: TaxCalculationDoc['shippingCost'];
  if (request.shippingCost !== undefined) {
    if (request.shippingCost.amount === undefined) throw AmsError.paramIllegal('shippingCost.amount', 'is required with shippingCost');
    const amount = parseMinorUnits(request.shippingCost.amount, 'shippingCost.amount');
    // Shipping has no behaviour field of its own: it follows the settings' default.
    const taxed = taxAmount(amount, defaultBehavior, rate, unregisteredTaxType);
    subtotal += amount;
    if (defaultBehavior === 'EXCLUSIVE') exclusiveTax += taxed.taxMinor;
    else inclusiveTax += taxed.taxMinor;
    rows.push(taxed.row);
    shippingCost = { amount: amount.toString(), taxAmount: taxed.taxMinor.toString(), taxBreakdown: [taxed.row] };
  }

  const total = checkFits(subtotal + exclusiveTax, 'lineItems');
  return {
    currency,
    totalAmount: total.toString(),
    exclusiveTaxAmount: exclusiveTax.toString(),
    inclusiveTaxAmount: inclusiveTax.toString(),
    lineItems,
    taxBreakdown: aggregate(rows),
    ...(shippingCost === undefined ? {} : { shippingCost }),
    taxDate,
    expireAt: inputs.now + CALCULATION_LIFETIME_MS,
    customerJurisdiction: jurisdiction,
  };
}
