/** What a resource product gets from the gateway: only what it names here (kept apart from the composition, so products never import it). */
import type { Clock } from '../clock.js';
import type { NotificationOutbox } from '../notify/outbox.js';
import type { ResourceEngine } from '../resources/resource-engine.js';
import type { Database } from '../schema.js';
import type { RateTable } from './fx/rate-table.js';
import type { TaxRateTable } from './tax/rates.js';

export interface ResourceProductDeps {
  readonly engine: ResourceEngine;
  readonly database: Database;
  readonly clock: Clock;
  /** Notifications, recorded in the transaction of the change they report. */
  readonly outbox: NotificationOutbox;
  /** The sandbox's exchange-rate table (quotes, exchanges). */
  readonly rates: RateTable;
  /** The gateway's own URL, for hosted pages and files (`/billing/invoices/…`). */
  readonly baseUrl: () => string;
  /** Registers work that falls due on the clock (period invoices, expiries); it must claim its work with a conditional update. */
  readonly onDue: (run: () => Promise<unknown>) => void;
  /** The sandbox tax-rate table calculations and invoices are taxed by (`GatewayConfig.taxRates`). */
  readonly taxRates: TaxRateTable;
}
