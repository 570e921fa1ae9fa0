/** Billing's invoicing: invoices, credit notes, receipts and billing subscriptions (with their period invoices on the sandbox clock). */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { creditNoteEndpoints } from './credit-notes.js';
import { invoiceEndpoints } from './invoice-endpoints.js';
import { invoiceListEndpoints } from './invoice-lists.js';
import { invoicePaymentEndpoints } from './invoice-payment.js';
import { receiptEndpoints } from './receipts.js';
import { subscriptionEndpoints } from './subscription-endpoints.js';
import { advanceSubscriptions } from './subscription-invoices.js';

export function billingInvoicingEndpoints(deps: ResourceProductDeps) {
  deps.onDue(() => advanceSubscriptions(deps));
  return {
    ...invoiceEndpoints(deps),
    ...invoicePaymentEndpoints(deps),
    ...invoiceListEndpoints(deps),
    ...creditNoteEndpoints(deps),
    ...receiptEndpoints(deps),
    ...subscriptionEndpoints(deps),
  } satisfies Partial<EndpointModules>;
}
