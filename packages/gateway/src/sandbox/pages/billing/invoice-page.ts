/**
 * The hosted invoice page (`hostedInvoiceUrl`, `createViewLink`'s
 * `viewUrl`): the invoice as its details answer it, for the customer. It
 * shows what the customer owes and why, never how anything was paid (no
 * payment method, no payment ids).
 */
import type { InvoiceDoc } from '../../../products/billing/invoicing/kinds.js';
import { html } from '../../../web/html.js';
import { renderPage } from '../checkout/layout.js';
import { amountText } from './money.js';

export type InvoiceView = Omit<InvoiceDoc, 'internal'>;

function customerOf(invoice: InvoiceView): string {
  const name = [invoice.customerFirstName, invoice.customerLastName].filter((part) => part !== undefined && part !== '').join(' ');
  if (name === '') return invoice.customerEmail ?? '';
  return invoice.customerEmail === undefined ? name : `${name} <${invoice.customerEmail}>`;
}

export function renderInvoicePage(invoice: InvoiceView, nonce: string): string {
  const c = invoice.currency;
  const money = (amount: InvoiceView['totalAmount']) => amountText(amount, c);
  const lines = (invoice.items ?? []).map((item, index) => html`<tr>
<td class="line-description">${item.description ?? `Line ${index + 1}`}</td>
<td class="line-quantity">${item.quantity ?? '1'}</td>
<td class="line-unit">${money(item.unitAmount)}</td>
<td class="line-amount">${money(item.amount)}</td>
</tr>`);
  return renderPage({
    title: `Invoice ${invoice.invoiceNumber ?? ''}`.trim(),
    nonce,
    body: html`<section class="card">
<div class="brand">Invoice</div>
<h1 id="invoice-number">${invoice.invoiceNumber ?? ''}</h1>
<div class="amount" id="amount-due">${money(invoice.remainAmount)}</div>
<dl>
<dt>Status</dt><dd id="status" class="status">${invoice.status}</dd>
<dt>Billed to</dt><dd id="customer">${customerOf(invoice)}</dd>
<dt>Currency</dt><dd id="currency">${c}</dd>
<dt>Due date</dt><dd id="due-date">${invoice.dueDate ?? ''}</dd>
${invoice.description === undefined ? '' : html`<dt>Description</dt><dd id="description">${invoice.description}</dd>`}
${invoice.periodStart === undefined ? '' : html`<dt>Period</dt><dd id="period">${invoice.periodStart} – ${invoice.periodEnd ?? ''}</dd>`}
</dl>
</section>
<section class="card">
<table id="lines">
<thead><tr><th>Description</th><th>Qty</th><th>Unit price</th><th>Amount</th></tr></thead>
<tbody>${lines}</tbody>
</table>
</section>
<section class="card">
<dl id="totals">
<dt>Subtotal</dt><dd id="subtotal">${money(invoice.subtotal)}</dd>
<dt>Discount</dt><dd id="discount">${money(invoice.discountAmount)}</dd>
<dt>Tax</dt><dd id="tax">${money(invoice.taxAmount)}</dd>
<dt>Total</dt><dd id="total">${money(invoice.totalAmount)}</dd>
<dt>Paid</dt><dd id="paid">${money(invoice.paidAmount)}</dd>
<dt>Remaining</dt><dd id="remaining">${money(invoice.remainAmount)}</dd>
</dl>
<p class="hint">In the sandbox the merchant records payment with billing/invoice/confirmPayment; this page takes none.</p>
</section>`,
  });
}
