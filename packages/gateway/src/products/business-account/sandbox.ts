/**
 * What the sandbox does for a Business Account that no AMS call does:
 * money arriving (a top-up, journal TOPUP) and the account's cards paying
 * merchants (a card payment, its CARD_BILL notification). Reached through
 * the control API (`POST /sandbox/aba/top-up`, `POST /sandbox/aba/cards/{assetId}/pay`)
 * and tests.
 */
import type { Amount } from '@amsgate/protocol';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { topUpBusinessAccount } from './account.js';
import { simulateCardPayment, type SimulatedCardPayment } from './card-transactions.js';

export class BusinessAccountSandbox {
  constructor(private readonly deps: Pick<ResourceProductDeps, 'engine' | 'database' | 'clock' | 'outbox'>) {}

  topUp(clientId: string, amount: Amount): Promise<{ topUpId: string }> {
    return topUpBusinessAccount(this.deps.database, this.deps.clock, clientId, amount);
  }

  cardPayment(clientId: string, payment: SimulatedCardPayment): Promise<{ lifecycleId: string; status: 'SUCCESS' | 'FAIL' }> {
    return simulateCardPayment(this.deps, clientId, payment);
  }
}
