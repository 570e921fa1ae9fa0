/**
 * What each payment method allows after the payment: the one place that
 * decides `MULTIPLE_REFUNDS_NOT_SUPPORTED` and `MULTI_CAPTURE_NOT_SUPPORTED`.
 *
 * Antom's per-method limits (which wallets take a single refund, which card
 * acquirers a single capture) live in its "supported payment methods"
 * tables, which the spec digests do not carry. So the defaults allow
 * everything, and a deployment or a test names the exceptions
 * (`GatewayConfig.paymentMethods`), keyed by `paymentMethodType`.
 */
import type { Tx } from '../../schema.js';
import type { PaymentRecord } from './payment-record.js';

export interface PaymentMethodCapabilities {
  /** More than one refund per payment (partial refunds one after another). */
  multipleRefunds: boolean;
  /**
   * More than one capture per authorisation. When false, the first capture
   * is also the last: it releases (voids) whatever it did not capture.
   */
  multipleCaptures: boolean;
}

/** `paymentMethodType` → what differs from `DEFAULT_CAPABILITIES`. */
export type PaymentMethodCatalogue = Readonly<Record<string, Partial<PaymentMethodCapabilities>>>;

export const DEFAULT_CAPABILITIES: Readonly<PaymentMethodCapabilities> = Object.freeze({ multipleRefunds: true, multipleCaptures: true });

/** No exceptions by default: see the module comment. */
export const DEFAULT_PAYMENT_METHOD_CATALOGUE: PaymentMethodCatalogue = Object.freeze({});

/** What the refund and capture services are configured with. */
export interface OperationServiceOptions {
  paymentMethods: PaymentMethodCatalogue;
  /**
   * The locked payment as it is now, in the operation's transaction: one
   * past its due time is settled or closed first (`PaymentService.closeIfExpired`),
   * as an inquiry at that moment would show it.
   */
  currentPayment: (tx: Tx, payment: PaymentRecord, now: number) => Promise<PaymentRecord>;
}

export function capabilitiesOf(catalogue: PaymentMethodCatalogue, paymentMethodType: string): PaymentMethodCapabilities {
  const own = Object.prototype.hasOwnProperty.call(catalogue, paymentMethodType) ? catalogue[paymentMethodType] : undefined;
  return { ...DEFAULT_CAPABILITIES, ...own };
}
