/**
 * The wallet-like page of a pending payment (wallets, Alipay+, bank
 * transfers, an order code scanned with the test wallet): Pay, Decline with
 * a chosen user-side code, Cancel.
 */
import { WALLET_DECLINE_CODES, declineCodeLabel } from './buyer-actions.js';
import { html } from '../../../web/html.js';
import { renderPage } from './layout.js';
import { clockTime, csrfField, formattedAmount, merchantLabel, noticeBlock, orderSummary, paymentMethodName, type CheckoutContext } from './payment-parts.js';

export interface WalletPageOptions {
  /** Shown as the wallet app's name; defaults to the payment method's. */
  walletName?: string;
  /** The buyer pays outside the page (a bank transfer) and submits it: the result comes later. */
  submitsTransfer?: boolean;
}

export function renderWalletPage(context: CheckoutContext, options: WalletPageOptions = {}): string {
  const { payment } = context;
  const walletName = options.walletName ?? paymentMethodName(payment.paymentMethodType);
  const amount = formattedAmount(payment);
  return renderPage({
    title: `${walletName}: pay ${merchantLabel(context)}`,
    nonce: context.nonce,
    body: html`<section class="card">
<div class="brand" id="wallet-name">${walletName}</div>
<h1>Pay ${merchantLabel(context)}</h1>
<p class="amount">${amount}</p>
${noticeBlock(context.notice)}
${orderSummary(context)}
<form method="post" id="checkout-form">
${csrfField(context.csrfToken)}
<button type="submit" id="pay" name="action" value="pay" class="primary">${options.submitsTransfer ? `I have transferred ${amount}` : `Pay ${amount}`}</button>
${options.submitsTransfer ? html`<p class="hint" id="transfer-hint">A transfer's result comes later: submitting it tells the merchant the payment is pending (PAYMENT_PENDING); the bank's confirmation follows.</p>` : ''}
<fieldset>
<legend>Simulate a failed payment</legend>
<label for="decline-code">Result code the wallet answers</label>
<div class="decline-row">
<select id="decline-code" name="declineCode">
${WALLET_DECLINE_CODES.map((code) => html`<option value="${code}">${declineCodeLabel(code)}</option>`)}
</select>
<button type="submit" id="decline" name="action" value="decline">Decline</button>
</div>
</fieldset>
<button type="submit" id="cancel" name="action" value="cancel" class="quiet">Cancel and return to the merchant</button>
</form>
<p class="hint">Cancel leaves the payment pending until it expires at ${clockTime(payment.expiresAt)}, as when a buyer abandons Antom's cashier.</p>
</section>`,
  });
}
