/**
 * The sandbox vaulting page a vaulting's `normalUrl` opens (`/vault/{id}`):
 * the buyer enters a card (a session), then passes or fails the 3-D Secure
 * challenge when the vaulting asked for one (a session or a direct
 * vaulting). When the vaulting is final the buyer goes back to the
 * merchant's `redirectUrl`. The card number is checked and dropped: only
 * its BIN, last four and expiry are kept.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AmsError, type CardInput } from '@amsgate/protocol';
import type { VaultService } from '../../products/vaults/vault-service.js';
import type { VaultingRecord } from '../../products/vaults/vault-records.js';
import { testCardOf } from '../../products/vaults/vault-records.js';
import { groupedNumber, maskedCard, TEST_CARDS } from '../../products/cards/test-cards.js';
import { CapabilityCsrf, crossSiteProblem } from '../../web/capability-csrf.js';
import { html } from '../../web/html.js';
import { formBody, newNonce, pageHeaders } from '../../web/page-security.js';
import { renderPage } from './checkout/layout.js';
import { csrfField, noticeBlock } from './checkout/payment-parts.js';
import { renderMessagePage } from './checkout/result-page.js';
import { challengeActionOf, challengeForm } from './checkout/three-ds-challenge.js';

function cardLabel(vaulting: VaultingRecord): string {
  const testCard = vaulting.card && testCardOf(vaulting.card);
  return testCard ? maskedCard(testCard) : `card ending ${vaulting.card?.lastFour ?? ''}`;
}

function renderVaultingPage(vaulting: VaultingRecord, csrfToken: string, nonce: string, notice?: string): string {
  const waitsForCard = vaulting.status === 'PROCESSING' && vaulting.card === null;
  const waitsForChallenge = vaulting.status === 'PROCESSING' && vaulting.card !== null;
  return renderPage({
    title: 'Save a card',
    nonce,
    body: html`<section class="card">
<div class="brand">Card</div>
<h1>Save a card for ${vaulting.clientId}</h1>
${noticeBlock(notice)}
<p>Status: <span id="status">${vaulting.status}</span>${vaulting.status === 'FAIL' ? html` (<span id="result-code">${vaulting.resultCode}</span>: ${vaulting.resultMessage})` : ''}</p>
${waitsForCard
    ? html`<form method="post" id="card-form">${csrfField(csrfToken)}
<label for="cardNumber">Card number</label><input id="cardNumber" name="cardNumber" autocomplete="cc-number" inputmode="numeric" maxlength="23" required>
<label for="cardExpiry">Expiry (MM/YY)</label><input id="cardExpiry" name="cardExpiry" autocomplete="cc-exp" placeholder="MM/YY" maxlength="7" required>
<label for="cardCvc">CVC</label><input id="cardCvc" name="cardCvc" autocomplete="cc-csc" inputmode="numeric" maxlength="4" required>
<label for="cardHolder">Name on card</label><input id="cardHolder" name="cardHolder" autocomplete="cc-name" maxlength="64">
<button type="submit" name="action" value="save" id="save" class="primary">Save card</button>
</form>
<details id="test-cards"><summary>Sandbox test cards</summary>
<ul>${TEST_CARDS.map((card) => html`<li><code>${groupedNumber(card)}</code> ${card.brand}: ${card.outcome === 'failure' ? 'fails verification' : card.outcome === '3ds-exemption' ? 'saved without a challenge' : 'saved'}</li>`)}</ul>
</details>`
    : ''}
${waitsForChallenge ? challengeForm(cardLabel(vaulting), 'be saved', csrfToken) : ''}
${vaulting.status === 'SUCCESS' ? html`<p id="saved">Saved ${cardLabel(vaulting)}.</p>` : ''}
</section>`,
  });
}

function cardInputOf(form: URLSearchParams): CardInput {
  const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(form.get('cardExpiry') ?? '');
  const holder = (form.get('cardHolder') ?? '').trim();
  return {
    cardNo: form.get('cardNumber') ?? '',
    cvv: (form.get('cardCvc') ?? '').trim(),
    ...(expiry ? { expiryMonth: (expiry[1] as string).padStart(2, '0'), expiryYear: expiry[2] as string } : {}),
    ...(holder !== '' ? { cardholderName: { fullName: holder } } : {}),
  };
}

export function registerVaultingPage(app: FastifyInstance, vaults: VaultService, csrfSecret?: Buffer): void {
  const csrf = new CapabilityCsrf('vault', csrfSecret);
  const send = (reply: FastifyReply, status: number, render: (nonce: string) => string) => {
    const nonce = newNonce();
    return reply.status(status).headers(pageHeaders(nonce)).send(render(nonce));
  };
  const sendPage = (reply: FastifyReply, status: number, vaulting: VaultingRecord, notice?: string) =>
    send(reply, status, (nonce) => renderVaultingPage(vaulting, csrf.tokenFor(vaulting.vaultingId), nonce, notice));
  const sendNotFound = (reply: FastifyReply) =>
    send(reply, 404, (nonce) => renderMessagePage(nonce, 'No such vaulting', 'No vaulting has this link. Check the normalUrl that createVaultingSession or vaultPaymentMethod answered.'));

  app.get<{ Params: { vaultingId: string } }>('/vault/:vaultingId', async (request, reply) => {
    const vaulting = await vaults.findForPage(request.params.vaultingId);
    return vaulting ? sendPage(reply, 200, vaulting) : sendNotFound(reply);
  });

  app.post<{ Params: { vaultingId: string } }>('/vault/:vaultingId', async (request, reply) => {
    const { vaultingId } = request.params;
    const form = formBody(request);
    const refused = crossSiteProblem(request.headers) ?? (csrf.verify(vaultingId, form.get('csrf')) ? undefined : 'missing or wrong form token');
    if (refused !== undefined) {
      return send(reply, 403, (nonce) => renderMessagePage(nonce, 'Request refused', `Refused: ${refused}. Nothing was changed; reload the page and try again.`));
    }
    try {
      const challenge = challengeActionOf(form);
      const vaulting = challenge
        ? await vaults.completeChallenge(vaultingId, challenge === 'authenticate' ? 'pass' : 'fail')
        : await vaults.submitCard(vaultingId, cardInputOf(form));
      if (vaulting.status !== 'PROCESSING' && vaulting.redirectUrl !== null) {
        return reply.status(303).header('location', vaulting.redirectUrl).header('cache-control', 'no-store').send();
      }
      return sendPage(reply, 200, vaulting);
    } catch (error) {
      if (!(error instanceof AmsError)) throw error;
      const vaulting = await vaults.findForPage(vaultingId);
      return vaulting ? sendPage(reply, error.code === 'PARAM_ILLEGAL' || error.code === 'INVALID_EXPIRATION_DATE' ? 422 : 409, vaulting, error.message) : sendNotFound(reply);
    }
  });
}
