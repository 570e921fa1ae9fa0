/** A payment as the services see it, and its mapping from the database row. */
import { RESULT_CODES } from '@amsgate/protocol';
import type { Selectable } from 'kysely';
import { toBigInt, toNullableNumber, toNumber } from '../../store/columns.js';
import type { PaymentStatus, PaymentsTable, PaymentTransactionsTable } from './tables.js';
import type { CardOnPayment } from '../cards/card-result.js';
import type { WalletCustomer } from './wallet-customer.js';

export interface PaymentRecord {
  paymentId: string;
  clientId: string;
  paymentRequestId: string;
  productCode: string;
  status: PaymentStatus;
  resultCode: string;
  resultMessage: string;
  currency: string;
  amount: bigint;
  paymentMethodType: string;
  paymentMethodId: string | null;
  referenceOrderId: string;
  orderDescription: string;
  redirectUrl: string | null;
  notifyUrl: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  paidAt: number | null;
  closedAt: number | null;
  /** Locked when the payment was made: its amount in `settlementStrategy.settlementCurrency`; null without a conversion. */
  settlement: CurrencyConversion | null;
  /** The `metadata` the pay request carried, echoed by inquiryPayment and notifyPayment. */
  metadata: string | null;
  /** The tax calculation the pay request referenced, echoed by notifyPayment. */
  taxCalculationId: string | null;
  /** What the buyer pays in their account's currency, when it is not the payment's (locked when the payment was made). */
  buyerPayment: CurrencyConversion | null;
  /** The card a card payment charged, once known (token pay: at once; the checkout page: when the buyer pays). */
  card: CardOnPayment | null;
  /** The wallet account a wallet payment is paid from (`pspCustomerInfo` once paid); null for other methods. */
  walletCustomer: WalletCustomer | null;
}

/**
 * An amount converted to another currency at a price locked when it was
 * made (a payment's or refund's settlement, what the buyer paid in their
 * account's currency): see `settlement.ts`.
 */
export interface CurrencyConversion {
  currency: string;
  /** Minor units of `currency`: the record's amount × `price`, rounded half up. */
  amount: bigint;
  /** The quote's price (one unit of the record's currency in `currency`), exact decimal text. */
  price: string;
}

/** Where a row keeps a conversion: `settlement_*` (payments, refunds) or `actual_*` (what the buyer paid). */
type ConversionPrefix = 'settlement' | 'actual';
type ConversionColumns<P extends ConversionPrefix> = Record<`${P}_currency` | `${P}_price`, string | null> & Record<`${P}_amount`, bigint | null>;

/** A conversion from its three columns (null when the row has none). */
export function conversionFromColumns(currency: string | null, amount: number | bigint | string | null, price: string | null): CurrencyConversion | null {
  if (currency === null || amount === null || price === null) return null;
  return { currency, amount: toBigInt(amount), price };
}

/** A conversion as the `<prefix>_*` columns store it. */
export function conversionColumns<P extends ConversionPrefix>(prefix: P, conversion: CurrencyConversion | null): ConversionColumns<P> {
  return {
    [`${prefix}_currency`]: conversion?.currency ?? null,
    [`${prefix}_amount`]: conversion?.amount ?? null,
    [`${prefix}_price`]: conversion?.price ?? null,
  } as ConversionColumns<P>;
}

export interface TransactionRecord {
  transactionId: string;
  paymentId: string;
  type: PaymentTransactionsTable['transaction_type'];
  requestId: string | null;
  status: PaymentTransactionsTable['status'];
  resultCode: string;
  resultMessage: string;
  currency: string;
  amount: bigint;
  createdAt: number;
  updatedAt: number;
}

export function paymentFromRow(row: Omit<Selectable<PaymentsTable>, 'request_json'>): PaymentRecord {
  return {
    paymentId: row.payment_id,
    clientId: row.client_id,
    paymentRequestId: row.payment_request_id,
    productCode: row.product_code,
    status: row.status,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    currency: row.currency,
    amount: toBigInt(row.amount),
    paymentMethodType: row.payment_method_type,
    paymentMethodId: row.payment_method_id,
    referenceOrderId: row.reference_order_id,
    orderDescription: row.order_description,
    redirectUrl: row.redirect_url,
    notifyUrl: row.notify_url,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    expiresAt: toNumber(row.expires_at),
    paidAt: toNullableNumber(row.paid_at),
    closedAt: toNullableNumber(row.closed_at),
    settlement: conversionFromColumns(row.settlement_currency, row.settlement_amount, row.settlement_price),
    metadata: row.metadata,
    taxCalculationId: row.tax_calculation_id,
    buyerPayment: conversionFromColumns(row.actual_currency, row.actual_amount, row.actual_price),
    card: row.card_result === null ? null : (JSON.parse(row.card_result) as CardOnPayment),
    walletCustomer: row.psp_customer_id === null ? null : { pspCustomerId: row.psp_customer_id, displayCustomerId: row.psp_display_customer_id ?? '' },
  };
}

export function transactionFromRow(row: Selectable<PaymentTransactionsTable>): TransactionRecord {
  return {
    transactionId: row.transaction_id,
    paymentId: row.payment_id,
    type: row.transaction_type,
    requestId: row.request_id,
    status: row.status,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    currency: row.currency,
    amount: toBigInt(row.amount),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

/** Pending payments whose expiry has passed are closed: this is the condition, in one place. */
export function isExpired(payment: PaymentRecord, now: number): boolean {
  return payment.status === 'PROCESSING' && payment.expiresAt <= now;
}

/** What every product's `pay` request carries that a new payment record needs. */
export interface PayRequestCore {
  paymentRequestId: string;
  productCode: string;
  paymentMethod: { paymentMethodType: string; paymentMethodId?: string };
  order: { referenceOrderId: string; orderDescription: string };
  paymentRedirectUrl?: string;
  paymentNotifyUrl?: string;
  settlementStrategy?: { settlementCurrency?: string };
  metadata?: string;
  taxCalculationId?: string;
}

/** A new PROCESSING payment for a `pay` request (cashier, in-store, sessions). */
export function pendingPaymentRecord(
  request: PayRequestCore,
  ids: { paymentId: string; clientId: string },
  amount: { currency: string; minor: bigint },
  times: { now: number; expiresAt: number },
  conversions: { settlement: CurrencyConversion | null; buyerPayment: CurrencyConversion | null },
  walletCustomer: WalletCustomer | null = null,
): PaymentRecord {
  return {
    paymentId: ids.paymentId,
    clientId: ids.clientId,
    paymentRequestId: request.paymentRequestId,
    productCode: request.productCode,
    status: 'PROCESSING',
    resultCode: 'PAYMENT_IN_PROCESS',
    resultMessage: RESULT_CODES.PAYMENT_IN_PROCESS.message,
    currency: amount.currency,
    amount: amount.minor,
    paymentMethodType: request.paymentMethod.paymentMethodType,
    paymentMethodId: request.paymentMethod.paymentMethodId ?? null,
    referenceOrderId: request.order.referenceOrderId,
    orderDescription: request.order.orderDescription,
    redirectUrl: request.paymentRedirectUrl ?? null,
    notifyUrl: request.paymentNotifyUrl ?? null,
    createdAt: times.now,
    updatedAt: times.now,
    expiresAt: times.expiresAt,
    paidAt: null,
    closedAt: null,
    settlement: conversions.settlement,
    metadata: request.metadata ?? null,
    taxCalculationId: request.taxCalculationId ?? null,
    buyerPayment: conversions.buyerPayment,
    card: null,
    walletCustomer,
  };
}
