/**
 * Every resource kind of the resource products, in one list: the engine's
 * contract test runs each through it, and the dashboard lists each.
 */
import type { ResourceKind } from '../resources/resource-kind.js';
import { COUPON, CUSTOMER, PORTAL_LINK, PRICE, PRODUCT, PROMOTION_CODE } from './billing/catalog/kinds.js';
import { BILLING_EXPORT, BILLING_SUBSCRIPTION, CREDIT_NOTE, INVOICE, RECEIPT } from './billing/invoicing/kinds.js';
import { CREDIT_GRANT, METER, METER_EVENT, METER_SESSION } from './metering/kinds.js';
import { TAX_CALCULATION, TAX_REGISTRATION, TAX_SETTINGS, TAX_TRANSACTION } from './tax/kinds.js';
import { cardEventKind, cardKind, cardLifecycleKind, cardSecretKind, directPaymentKind, directRefundKind, exchangeKind, quoteKind } from './business-account/kinds.js';

// Each kind keeps its own document type; listed together they are seen through the common shape.
type AnyKind = ResourceKind<never, string>;

export const RESOURCE_KINDS: readonly AnyKind[] = [
  CUSTOMER, PORTAL_LINK, PRODUCT, PRICE, COUPON, PROMOTION_CODE,
  INVOICE, CREDIT_NOTE, RECEIPT, BILLING_SUBSCRIPTION, BILLING_EXPORT,
  METER, METER_SESSION, METER_EVENT, CREDIT_GRANT,
  TAX_SETTINGS, TAX_REGISTRATION, TAX_CALCULATION, TAX_TRANSACTION,
  directPaymentKind, directRefundKind, quoteKind, exchangeKind, cardKind, cardSecretKind, cardEventKind, cardLifecycleKind,
] as readonly ResourceKind<never, string>[] as readonly AnyKind[];

export function resourceKindNamed(kind: string): AnyKind | undefined {
  return RESOURCE_KINDS.find((k) => k.kind === kind);
}
