/**
 * The sandbox's 3-D Secure challenge: the issuer's page a buyer passes
 * before a card is charged (card on file with `is3DSAuthentication`) or
 * stored (a vaulting that asked for it). Two buttons: authenticate, or fail
 * the challenge. Shared by the checkout and the vaulting pages.
 */
import { html, type SafeHtml } from '../../../web/html.js';
import { csrfField } from './payment-parts.js';

export type ChallengeAction = 'authenticate' | 'fail-authentication';

export function challengeActionOf(form: URLSearchParams): ChallengeAction | undefined {
  const action = form.get('action');
  return action === 'authenticate' || action === 'fail-authentication' ? action : undefined;
}

/** `card`: how the page names the card ("Visa ending 0768"); `purpose`: what passing allows ("pay USD 10.00"). */
export function challengeForm(card: string, purpose: string, csrfToken: string): SafeHtml {
  return html`<div id="three-ds">
<h2>3-D Secure</h2>
<p>Your bank asks you to confirm it is you before it lets ${card} ${purpose}. In this sandbox, choose the outcome.</p>
<form method="post">${csrfField(csrfToken)}
<button type="submit" name="action" value="authenticate" id="authenticate" class="primary">Authenticate</button>
<button type="submit" name="action" value="fail-authentication" id="fail-authentication">Fail authentication</button>
</form>
</div>`;
}
