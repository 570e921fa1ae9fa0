/**
 * Pages without buttons: a payment's outcome (a final payment, or where the
 * buyer lands after acting when `paymentRedirectUrl` is not a web address),
 * and the short error pages (unknown payment, expired session, refused form).
 */
import type { PaymentRecord } from '../../../products/payments/payment-record.js';
import { html, type SafeHtml } from '../../../web/html.js';
import { renderPage } from './layout.js';
import { clockTime, noticeBlock, orderSummary, statusLine, webRedirectUrl, type CheckoutContext } from './payment-parts.js';

function headline(payment: PaymentRecord, submitted: boolean): string {
  switch (payment.status) {
    case 'SUCCESS':
      return 'Payment successful';
    case 'FAIL':
      return payment.resultCode === 'ORDER_IS_CLOSED' ? 'Payment expired' : 'Payment failed';
    case 'CANCELLED':
      return 'Payment cancelled by the merchant';
    case 'PROCESSING':
      return submitted ? 'Transfer submitted: waiting for the bank' : 'Payment not completed';
  }
}

export interface ResultPageOptions {
  /** For a payment still pending (the buyer cancelled): the page to go back to. */
  backUrl?: string;
  /** For a pending payment whose buyer submitted the transfer: when (the result comes later). */
  submittedAt?: number;
}

export function renderResultPage(context: CheckoutContext, options: ResultPageOptions = {}): string {
  const { payment } = context;
  const redirect = webRedirectUrl(payment);
  const pending = payment.status === 'PROCESSING';
  const submitted = pending && options.submittedAt !== undefined;
  return renderPage({
    title: headline(payment, submitted),
    nonce: context.nonce,
    body: html`<section class="card">
<h1 id="headline">${headline(payment, submitted)}</h1>
${statusLine(payment)}
${payment.status === 'FAIL' ? html`<p id="result-message">${payment.resultMessage}</p>` : ''}
${noticeBlock(context.notice)}
${submitted
    ? html`<p id="submitted">You submitted the transfer at ${clockTime(options.submittedAt ?? payment.updatedAt)}. The merchant was told the payment is pending (PAYMENT_PENDING); the sandbox confirms it at ${clockTime(payment.expiresAt)} unless the control API settles it first.</p>`
    : pending
    // `expiresAt` is also when a scheduled outcome is due (scheduled-outcomes.ts); the page says both rather than query which.
    ? html`<p>The payment stays pending until ${clockTime(payment.expiresAt)}, when it settles: to the outcome scheduled for it if it has one (a sandbox trigger, an in-store payment code), else it closes as FAIL / ORDER_IS_CLOSED.${options.backUrl ? html` <a id="back" href="${options.backUrl}">Back to the payment</a>` : ''}</p>`
    : ''}
${redirect ? html`<p><a id="return" href="${redirect}">Return to the merchant</a></p>` : ''}
<p class="hint">The merchant learns the result from notifyPayment (sent to paymentNotifyUrl) or inquiryPayment, never from the redirect: Antom adds nothing to paymentRedirectUrl.</p>
</section>
<section class="card">
${orderSummary(context)}
</section>`,
  });
}

export function renderMessagePage(nonce: string, title: string, message: string, link?: { href: string; text: string }): string {
  const linkHtml: SafeHtml = link ? html`<p><a id="message-link" href="${link.href}">${link.text}</a></p>` : html``;
  return renderPage({
    title,
    nonce,
    body: html`<section class="card"><h1>${title}</h1><p id="message">${message}</p>${linkHtml}</section>`,
  });
}
