/**
 * The customer portal (`createPortalLink`'s `portalUrl`): the customer's
 * invoices and billing subscriptions, as the link's features allow. Drafts
 * are the merchant's work in progress and are not listed; an invoice links
 * to its hosted page while its view link is valid.
 */
import type { CustomerDoc } from '../../../products/billing/catalog/kinds.js';
import { html, type SafeHtml } from '../../../web/html.js';
import { renderPage } from '../checkout/layout.js';
import { amountText } from './money.js';

export interface PortalInvoice {
  readonly invoiceId: string;
  readonly number: string;
  readonly status: string;
  readonly total: { currency?: string; value?: string } | undefined;
  readonly remaining: { currency?: string; value?: string } | undefined;
  /** The hosted page's path with its token, when the invoice has a valid one. */
  readonly viewPath?: string;
}

export interface PortalSubscription {
  readonly subscriptionId: string;
  readonly status: string;
  readonly description?: string;
  readonly total: { currency?: string; value?: string } | undefined;
  readonly currentPeriodEnd?: string;
}

export interface PortalView {
  readonly customer: CustomerDoc;
  readonly features: readonly string[];
  readonly invoices: readonly PortalInvoice[];
  readonly subscriptions: readonly PortalSubscription[];
  readonly expiresAt: string;
}

function invoicesSection(view: PortalView): SafeHtml {
  if (!view.features.includes('INVOICE')) return html``;
  const rows = view.invoices.map((invoice) => html`<tr data-invoice-id="${invoice.invoiceId}">
<td class="invoice-number">${invoice.viewPath === undefined ? invoice.number : html`<a href="${invoice.viewPath}">${invoice.number}</a>`}</td>
<td class="invoice-status">${invoice.status}</td>
<td class="invoice-total">${amountText(invoice.total)}</td>
<td class="invoice-remaining">${amountText(invoice.remaining)}</td>
</tr>`);
  return html`<section class="card"><h1>Invoices</h1>
${view.invoices.length === 0
    ? html`<p id="no-invoices">No invoices yet.</p>`
    : html`<table id="invoices"><thead><tr><th>Invoice</th><th>Status</th><th>Total</th><th>Remaining</th></tr></thead><tbody>${rows}</tbody></table>`}
</section>`;
}

function subscriptionsSection(view: PortalView): SafeHtml {
  if (!view.features.includes('SUBSCRIPTION')) return html``;
  const rows = view.subscriptions.map((subscription) => html`<tr data-subscription-id="${subscription.subscriptionId}">
<td>${subscription.description ?? subscription.subscriptionId}</td>
<td>${subscription.status}</td>
<td>${amountText(subscription.total)}</td>
<td>${subscription.currentPeriodEnd ?? ''}</td>
</tr>`);
  return html`<section class="card"><h1>Subscriptions</h1>
${view.subscriptions.length === 0
    ? html`<p id="no-subscriptions">No subscriptions.</p>`
    : html`<table id="subscriptions"><thead><tr><th>Subscription</th><th>Status</th><th>Each period</th><th>Period ends</th></tr></thead><tbody>${rows}</tbody></table>`}
</section>`;
}

export function renderPortalPage(view: PortalView, nonce: string): string {
  const name = [view.customer.firstName, view.customer.lastName].filter((part) => part !== undefined && part !== '').join(' ');
  return renderPage({
    title: 'Billing portal',
    nonce,
    body: html`<section class="card">
<div class="brand">Billing portal</div>
<h1 id="customer-name">${name === '' ? (view.customer.email ?? '') : name}</h1>
<dl>
<dt>Email</dt><dd id="customer-email">${view.customer.email ?? ''}</dd>
<dt>Link valid until</dt><dd id="expires-at">${view.expiresAt}</dd>
</dl>
${view.features.includes('PAYMENT_METHOD') ? html`<p class="hint">Payment methods are managed through the merchant in the sandbox.</p>` : ''}
</section>
${invoicesSection(view)}
${subscriptionsSection(view)}`,
  });
}
