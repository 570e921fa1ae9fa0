/**
 * The card form of a pending CARD payment, with the published test cards
 * listed under it. Re-shown with field errors; the number is filled back in
 * only when it is a (public) test card number, the CVC never.
 */
import { CARD_DECLINE_CODE, groupedNumber, TEST_CARDS, type TestCard, type TestCardOutcome } from '../../../products/cards/test-cards.js';
import type { CardField, CardFieldErrors, CardFormInput } from './card-form.js';
import { html, type SafeHtml } from '../../../web/html.js';
import { renderPage } from './layout.js';
import { challengeForm } from './three-ds-challenge.js';
import type { CardOnPayment } from '../../../products/cards/card-result.js';
import { clockTime, csrfField, formattedAmount, merchantLabel, noticeBlock, orderSummary, type CheckoutContext } from './payment-parts.js';

export interface CardFormState {
  input: CardFormInput;
  errors: CardFieldErrors;
  /** The test card the number matched, if any. */
  card: TestCard | undefined;
}

const OUTCOME_LABELS: Record<TestCardOutcome, string> = {
  success: 'pays',
  failure: `declined (${CARD_DECLINE_CODE})`,
  '3ds-exemption': 'pays (3-D Secure exemption, no challenge)',
};

export function renderCardPage(context: CheckoutContext, state?: CardFormState): string {
  const { payment } = context;
  const amount = formattedAmount(payment);
  const errors = state?.errors ?? {};
  const field = (name: CardField, label: string, attributes: { id: string; name: string; value: string; autocomplete: string; inputmode?: string; placeholder?: string; maxlength: number; required: boolean }): SafeHtml => {
    const error = errors[name];
    return html`<label for="${attributes.id}">${label}</label>
<input id="${attributes.id}" name="${attributes.name}" value="${attributes.value}" autocomplete="${attributes.autocomplete}"${attributes.inputmode ? html` inputmode="${attributes.inputmode}"` : ''}${attributes.placeholder ? html` placeholder="${attributes.placeholder}"` : ''} maxlength="${attributes.maxlength}"${attributes.required ? html` required` : ''}${error ? html` aria-invalid="true" aria-describedby="${attributes.id}-error"` : ''}>
${error ? html`<p class="field-error" id="${attributes.id}-error">${error}</p>` : ''}`;
  };
  return renderPage({
    title: `Card payment to ${merchantLabel(context)}`,
    nonce: context.nonce,
    body: html`<section class="card">
<div class="brand">Card</div>
<h1>Pay ${merchantLabel(context)} by card</h1>
<p class="amount">${amount}</p>
${noticeBlock(context.notice)}
<form method="post" id="card-form">
${csrfField(context.csrfToken)}
${field('number', 'Card number', { id: 'card-number', name: 'cardNumber', value: state?.card ? groupedNumber(state.card) : '', autocomplete: 'cc-number', inputmode: 'numeric', placeholder: '4054 6957 2310 0768', maxlength: 23, required: true })}
<div class="row">
<div>${field('expiry', 'Expiry (MM/YY)', { id: 'card-expiry', name: 'cardExpiry', value: state?.input.expiry ?? '', autocomplete: 'cc-exp', placeholder: 'MM/YY', maxlength: 7, required: true })}</div>
<div>${field('cvc', 'CVC', { id: 'card-cvc', name: 'cardCvc', value: '', autocomplete: 'cc-csc', inputmode: 'numeric', placeholder: '123', maxlength: 4, required: true })}</div>
</div>
${field('holder', 'Name on the card', { id: 'card-holder', name: 'cardHolder', value: state?.input.holder ?? '', autocomplete: 'cc-name', maxlength: 64, required: false })}
<button type="submit" id="card-submit" name="action" value="pay" class="primary">Pay ${amount}</button>
<button type="submit" id="cancel" name="action" value="cancel" class="quiet" formnovalidate>Cancel and return to the merchant</button>
</form>
<p class="hint">Cancel leaves the payment pending until it expires at ${clockTime(payment.expiresAt)}.</p>
</section>
<section class="card">
${orderSummary(context)}
</section>
<section class="card">
<details id="test-cards"${errors.number ? html` open` : ''}>
<summary>Sandbox test cards</summary>
<p class="hint">Any 3-digit CVC and any expiry date work. Expiry month 13 shows the invalid-month error, a 2-digit CVC the invalid-CVC error.</p>
<table>
<thead><tr><th>Number</th><th>Brand</th><th>Result</th></tr></thead>
<tbody>
${TEST_CARDS.map((card) => html`<tr><td><code>${groupedNumber(card)}</code></td><td>${card.brand}${card.country ? ` / ${card.country}` : ''}</td><td>${OUTCOME_LABELS[card.outcome]}</td></tr>`)}
</tbody>
</table>
</details>
</section>`,
  });
}

/** A stored card's payment waiting for its 3-D Secure challenge. */
export function renderCardChallengePage(context: CheckoutContext, card: CardOnPayment): string {
  const amount = formattedAmount(context.payment);
  return renderPage({
    title: `Authenticate your card for ${merchantLabel(context)}`,
    nonce: context.nonce,
    body: html`<section class="card">
<div class="brand">Card</div>
<h1>Pay ${merchantLabel(context)} ${amount}</h1>
${noticeBlock(context.notice)}
${orderSummary(context)}
<p id="stored-card">Card on file: ${card.cardBrand} ${card.maskedCardNo}</p>
${challengeForm(`${card.cardBrand} ending ${card.lastFour}`, `pay ${amount}`, context.csrfToken)}
</section>`,
  });
}
