/**
 * The hosted receipt page (a receipt's `fileUrl`): what was paid for, how
 * much, and when, for the customer. Like the hosted invoice it shows no
 * payment method or payment ids.
 */
import type { ReceiptDoc } from '../../../products/billing/invoicing/kinds.js';
import { html } from '../../../web/html.js';
import { renderPage } from '../checkout/layout.js';
import { amountText } from './money.js';

export type ReceiptView = Omit<ReceiptDoc, 'internal'>;

export function renderReceiptPage(receipt: ReceiptView, nonce: string): string {
  const c = receipt.totalAmount?.currency ?? receipt.paidAmount?.currency;
  const money = (amount: ReceiptView['totalAmount']) => amountText(amount, c);
  const lines = (receipt.items ?? []).map((item, index) => html`<tr>
<td class="line-description">${item.description ?? `Line ${index + 1}`}</td>
<td class="line-quantity">${String(item.quantity ?? 1)}</td>
<td class="line-amount">${money(item.amount)}</td>
</tr>`);
  return renderPage({
    title: 'Receipt',
    nonce,
    body: html`<section class="card">
<div class="brand">Receipt</div>
<h1 id="receipt-id">${receipt.receiptId ?? ''}</h1>
<div class="amount" id="amount-paid">${money(receipt.paidAmount)}</div>
<dl>
<dt>Status</dt><dd id="status" class="status">${receipt.status ?? ''}</dd>
<dt>Paid</dt><dd id="paid-time">${receipt.paidTime ?? ''}</dd>
<dt>Currency</dt><dd id="currency">${c ?? ''}</dd>
${receipt.refundedAmount === undefined ? '' : html`<dt>Refunded</dt><dd id="refunded">${money(receipt.refundedAmount)}</dd>`}
</dl>
</section>
<section class="card">
<table id="lines">
<thead><tr><th>Description</th><th>Qty</th><th>Amount</th></tr></thead>
<tbody>${lines}</tbody>
</table>
</section>
<section class="card">
<dl id="totals">
<dt>Subtotal</dt><dd id="subtotal">${money(receipt.subtotal)}</dd>
<dt>Discount</dt><dd id="discount">${money(receipt.discountAmount)}</dd>
<dt>Tax</dt><dd id="tax">${money(receipt.taxAmount)}</dd>
<dt>Total</dt><dd id="total">${money(receipt.totalAmount)}</dd>
<dt>Paid</dt><dd id="paid">${money(receipt.paidAmount)}</dd>
</dl>
</section>`,
  });
}
