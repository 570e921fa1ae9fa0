/**
 * The checkout page a cashier payment redirects the buyer to: what is being
 * paid and two buttons. A plain page; the sandbox issue brings the full one.
 */
import { formatMajorUnits } from '@amsgate/protocol';
import type { PaymentRecord } from '../payments/payment-record.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderCheckoutPage(payment: PaymentRecord, notice?: string): string {
  const amount = `${formatMajorUnits({ currency: payment.currency, minor: payment.amount })} ${payment.currency}`;
  const pending = payment.status === 'PROCESSING';
  const returnLink = payment.redirectUrl && /^https?:/i.test(payment.redirectUrl)
    ? `<p><a id="return" href="${escapeHtml(payment.redirectUrl)}">Return to the merchant</a></p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>amsgate checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}</style>
</head><body>
<h1>amsgate checkout</h1>
${notice ? `<p id="notice"><strong>${escapeHtml(notice)}</strong></p>` : ''}
<dl>
<dt>Order</dt><dd id="order">${escapeHtml(payment.orderDescription)} (${escapeHtml(payment.referenceOrderId)})</dd>
<dt>Amount</dt><dd id="amount">${escapeHtml(amount)}</dd>
<dt>Payment method</dt><dd>${escapeHtml(payment.paymentMethodType)}</dd>
<dt>Status</dt><dd id="status">${escapeHtml(payment.status)} (${escapeHtml(payment.resultCode)})</dd>
</dl>
${pending ? `<form method="post"><button name="action" value="pay" id="pay">Pay</button><button name="action" value="decline" id="decline">Decline</button></form>` : ''}
${returnLink}
</body></html>`;
}
