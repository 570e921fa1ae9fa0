/** What every checkout page knows about the payment, and the fragments they share. */
import type { PaymentRecord } from '../../../products/payments/payment-record.js';
import { moneyText } from '../../../products/payments/money-text.js';
import { html, type SafeHtml } from '../../../web/html.js';

export interface CheckoutContext {
  payment: PaymentRecord;
  /** The merchant as registered (client name), when the client still exists. */
  merchantName: string | undefined;
  /** The hidden CSRF token the page's form must send back. */
  csrfToken: string;
  /** CSP nonce of this response. */
  nonce: string;
  /** Gateway time (the sandbox clock) the page is rendered at. */
  now: number;
  /** A one-line message about the last action. */
  notice?: string;
}

const METHOD_NAMES: Readonly<Record<string, string>> = {
  ALIPAY_CN: 'Alipay',
  ALIPAY_HK: 'AlipayHK',
  GCASH: 'GCash',
  DANA: 'DANA',
  KAKAOPAY: 'KakaoPay',
  TRUEMONEY: 'TrueMoney',
  TNG: "Touch 'n Go eWallet",
  CONNECT_WALLET: 'Alipay+ wallet',
  CARD: 'Card',
  BANKTRANSFER_PIX: 'Pix',
  UNSPECIFIED: 'amsgate test wallet',
};

/** The name a buyer sees for a `paymentMethodType`; unknown types show as sent. */
export function paymentMethodName(paymentMethodType: string): string {
  return METHOD_NAMES[paymentMethodType.toUpperCase()] ?? paymentMethodType;
}

export function formattedAmount(payment: PaymentRecord): string {
  return moneyText(payment.currency, payment.amount);
}

export function merchantLabel(context: CheckoutContext): string {
  return context.merchantName ?? context.payment.clientId;
}

/** Where the buyer goes after acting: `paymentRedirectUrl` when it is a web address. */
export function webRedirectUrl(payment: PaymentRecord): string | undefined {
  const url = payment.redirectUrl;
  return url !== null && /^https?:\/\//i.test(url) ? url : undefined;
}

/** "14:03:27 UTC" (gateway time). */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

export function orderSummary(context: CheckoutContext): SafeHtml {
  const { payment } = context;
  return html`<dl id="summary">
<dt>Merchant</dt><dd id="merchant">${merchantLabel(context)}${context.merchantName === undefined ? '' : html` <span class="hint">(${payment.clientId})</span>`}</dd>
<dt>Order</dt><dd id="order-description">${payment.orderDescription}</dd>
<dt>Reference</dt><dd id="reference-order-id">${payment.referenceOrderId}</dd>
<dt>Amount</dt><dd id="amount">${formattedAmount(payment)}</dd>
<dt>Pay with</dt><dd id="payment-method">${paymentMethodName(payment.paymentMethodType)}</dd>
<dt>Payment</dt><dd id="payment-id"><code>${payment.paymentId}</code></dd>
</dl>`;
}

export function statusLine(payment: PaymentRecord): SafeHtml {
  const detail = payment.status === 'SUCCESS' || payment.status === 'PROCESSING' ? '' : ` (${payment.resultCode})`;
  return html`<p>Status: <span id="status" class="status status-${payment.status}" data-status="${payment.status}">${payment.status}</span>${detail}</p>`;
}

export function noticeBlock(notice: string | undefined): SafeHtml {
  return notice === undefined ? html`` : html`<p id="notice" class="notice" role="status">${notice}</p>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${token}">`;
}
