/**
 * The sandbox tax-rate table and the tax arithmetic.
 *
 * The rates are round sandbox figures per jurisdiction (a country, or a
 * country's state/region), for exercising integrations: they are NOT legal
 * or tax advice and follow no real rate changes, reduced rates or product
 * taxability. A gateway may be given its own table (`TaxRateTable`).
 *
 * Rates are whole basis points (1 bp = 0.01 %, so 7.25 % = 725): exact, no
 * floats anywhere in the arithmetic.
 */
import type { Db, Tx } from '../../schema.js';
import type { TaxBehavior } from './kinds.js';
import { findRegistrations, registrationCovers, registrationStatusAt } from './registrations.js';

export type { TaxBehavior };

export interface TaxRateEntry {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** A state/region code within the country (`CA`); absent for a country-wide rate. */
  readonly state?: string;
  readonly taxType: string;
  readonly rateBasisPoints: number;
  readonly authorityName: string;
}

export const DEFAULT_TAX_RATES: readonly TaxRateEntry[] = [
  { country: 'SG', taxType: 'GST', rateBasisPoints: 900, authorityName: 'Sandbox Singapore tax authority' },
  { country: 'GB', taxType: 'VAT', rateBasisPoints: 2000, authorityName: 'Sandbox United Kingdom tax authority' },
  { country: 'DE', taxType: 'VAT', rateBasisPoints: 1900, authorityName: 'Sandbox Germany tax authority' },
  { country: 'FR', taxType: 'VAT', rateBasisPoints: 2000, authorityName: 'Sandbox France tax authority' },
  { country: 'NL', taxType: 'VAT', rateBasisPoints: 2100, authorityName: 'Sandbox Netherlands tax authority' },
  { country: 'JP', taxType: 'JCT', rateBasisPoints: 1000, authorityName: 'Sandbox Japan tax authority' },
  { country: 'AU', taxType: 'GST', rateBasisPoints: 1000, authorityName: 'Sandbox Australia tax authority' },
  { country: 'NZ', taxType: 'GST', rateBasisPoints: 1500, authorityName: 'Sandbox New Zealand tax authority' },
  { country: 'KR', taxType: 'VAT', rateBasisPoints: 1000, authorityName: 'Sandbox Korea tax authority' },
  { country: 'MY', taxType: 'SERVICE_TAX', rateBasisPoints: 800, authorityName: 'Sandbox Malaysia tax authority' },
  { country: 'CN', taxType: 'VAT', rateBasisPoints: 600, authorityName: 'Sandbox China tax authority' },
  { country: 'CA', taxType: 'GST', rateBasisPoints: 500, authorityName: 'Sandbox Canada tax authority' },
  { country: 'CA', state: 'ON', taxType: 'HST', rateBasisPoints: 1300, authorityName: 'Sandbox Ontario tax authority' },
  { country: 'US', state: 'CA', taxType: 'SALES_TAX', rateBasisPoints: 725, authorityName: 'Sandbox California tax authority' },
  { country: 'US', state: 'NY', taxType: 'SALES_TAX', rateBasisPoints: 400, authorityName: 'Sandbox New York tax authority' },
  { country: 'US', state: 'TX', taxType: 'SALES_TAX', rateBasisPoints: 625, authorityName: 'Sandbox Texas tax authority' },
  { country: 'US', state: 'WA', taxType: 'SALES_TAX', rateBasisPoints: 650, authorityName: 'Sandbox Washington tax authority' },
];

export interface Jurisdiction {
  readonly country: string;
  readonly state?: string;
}

/** A rate table: the state's own rate where it has one, else the country's (none for a country without a nationwide rate, like US). */
export class TaxRateTable {
  private readonly entries: readonly TaxRateEntry[];

  constructor(entries: readonly TaxRateEntry[] = DEFAULT_TAX_RATES) {
    for (const entry of entries) {
      if (!Number.isInteger(entry.rateBasisPoints) || entry.rateBasisPoints < 0 || entry.rateBasisPoints > 100_000) {
        throw new Error(`tax rate for ${entry.country}${entry.state ? `-${entry.state}` : ''}: basis points must be a whole number 0 to 100000`);
      }
    }
    this.entries = entries;
  }

  rateFor(jurisdiction: Jurisdiction): TaxRateEntry | undefined {
    const country = jurisdiction.country.toUpperCase();
    const state = jurisdiction.state?.toUpperCase();
    const inCountry = this.entries.filter((entry) => entry.country === country);
    return (state === undefined ? undefined : inCountry.find((entry) => entry.state === state)) ?? inCountry.find((entry) => entry.state === undefined);
  }
}

export const DEFAULT_TAX_RATE_TABLE = new TaxRateTable();

/** `numerator / denominator` rounded half up (half away from zero for a negative numerator); denominator > 0. */
function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n) return -divideRoundHalfUp(-numerator, denominator);
  return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * The tax in an amount at a rate, rounded half up to the minor unit:
 * - EXCLUSIVE: the amount is net, the tax is added on top (`netMinor` = amount);
 * - INCLUSIVE: the amount already contains the tax: the net is
 *   amount × 10000 / (10000 + rate), rounded; the tax is the rest, so
 *   net + tax is exactly the amount.
 */
export function taxOn(amountMinor: bigint, rateBasisPoints: number, behavior: TaxBehavior): { taxMinor: bigint; netMinor: bigint } {
  if (!Number.isInteger(rateBasisPoints) || rateBasisPoints < 0) throw new RangeError(`rateBasisPoints must be a whole number ≥ 0, got ${rateBasisPoints}`);
  const rate = BigInt(rateBasisPoints);
  if (behavior === 'EXCLUSIVE') return { taxMinor: divideRoundHalfUp(amountMinor * rate, 10_000n), netMinor: amountMinor };
  const netMinor = divideRoundHalfUp(amountMinor * 10_000n, 10_000n + rate);
  return { taxMinor: amountMinor - netMinor, netMinor };
}

/** A rate as the answers show it: percent, e.g. 725 → "7.25", 900 → "9". */
export function ratePercentText(rateBasisPoints: number): string {
  const whole = Math.trunc(rateBasisPoints / 100);
  const cents = rateBasisPoints % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/**
 * The rate a client collects in a jurisdiction at a time: only where it
 * has a registration that is ACTIVE at `at` and covers the jurisdiction
 * (a country-wide registration covers its states; a state's covers only
 * that state). Undefined: not taxed there.
 */
export async function taxRateFor(
  db: Tx | Db, clientId: string, jurisdiction: Jurisdiction, at: number, table: TaxRateTable,
): Promise<{ rateBasisPoints: number; registrationId?: string } | undefined> {
  const found = await taxRateDetailsFor(db, clientId, jurisdiction, at, table);
  return found === undefined ? undefined : { rateBasisPoints: found.entry.rateBasisPoints, registrationId: found.registrationId };
}

/** As `taxRateFor`, with the table entry (tax type, authority) the calculation shows. */
export async function taxRateDetailsFor(
  db: Tx | Db, clientId: string, jurisdiction: Jurisdiction, at: number, table: TaxRateTable,
): Promise<{ entry: TaxRateEntry; registrationId: string } | undefined> {
  const entry = table.rateFor(jurisdiction);
  if (entry === undefined) return undefined;
  const registrations = await findRegistrations(db, clientId, jurisdiction.country.toUpperCase());
  const covering = registrations.find((record) => registrationStatusAt(record, at) === 'ACTIVE' && registrationCovers(record.doc, jurisdiction));
  return covering === undefined ? undefined : { entry, registrationId: covering.id };
}
