/**
 * The Auto Debit authorisation page `authorizations/consult` points at
 * (`/authorize/{consultId}`): which merchant asks for which scopes on which
 * wallet, a login id field and two buttons. Agree → 303 to
 * `authRedirectUrl?authCode=…&authState=…`; Decline → 303 to
 * `authRedirectUrl?authState=…` (no code). It is a buyer page like the
 * checkout: the same shell, headers and form protection.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AmsError } from '@amsgate/protocol';
import { DEFAULT_SANDBOX_LOGIN_ID, type AutoDebitService } from '../../products/auto-debit/auto-debit-service.js';
import type { ConsultRecord } from '../../products/auto-debit/auto-debit-repository.js';
import { CapabilityCsrf, crossSiteProblem } from '../../web/capability-csrf.js';
import { renderPage } from './checkout/layout.js';
import { csrfField, noticeBlock } from './checkout/payment-parts.js';
import { renderMessagePage } from './checkout/result-page.js';
import { html } from '../../web/html.js';
import { formBody, newNonce, pageHeaders } from '../../web/page-security.js';

function renderAuthorizationPage(consult: ConsultRecord, expired: boolean, csrfToken: string, nonce: string, notice?: string): string {
  const pending = consult.status === 'PENDING' && !expired;
  const state = expired ? 'EXPIRED' : consult.status;
  return renderPage({
    title: 'Authorise Auto Debit',
    nonce,
    body: html`<section class="card">
<h1>Authorise Auto Debit</h1>
${noticeBlock(notice)}
<dl>
<dt>Merchant</dt><dd id="merchant">${consult.clientId}${consult.authClientId ? html` for ${consult.authClientId}` : ''}</dd>
<dt>Wallet</dt><dd id="wallet">${consult.customerBelongsTo}</dd>
<dt>Asks for</dt><dd id="scopes">${consult.scopes.join(', ')}</dd>
<dt>Status</dt><dd id="status">${state}</dd>
</dl>
${pending
    ? html`<form method="post">${csrfField(csrfToken)}
<label for="userLoginId">Wallet login id</label><input id="userLoginId" name="userLoginId" value="${DEFAULT_SANDBOX_LOGIN_ID}" maxlength="64">
<button type="submit" name="action" value="agree" id="agree" class="primary">Agree</button>
<button type="submit" name="action" value="decline" id="decline">Decline</button>
</form>`
    : ''}
</section>`,
  });
}

export function registerAuthorizationPage(app: FastifyInstance, service: AutoDebitService, csrfSecret?: Buffer): void {
  const csrf = new CapabilityCsrf('authorize', csrfSecret);
  const send = (reply: FastifyReply, status: number, render: (nonce: string) => string) => {
    const nonce = newNonce();
    return reply.status(status).headers(pageHeaders(nonce)).send(render(nonce));
  };
  const sendPage = (reply: FastifyReply, status: number, consult: ConsultRecord, notice?: string) =>
    send(reply, status, (nonce) => renderAuthorizationPage(consult, service.isExpired(consult), csrf.tokenFor(consult.consultId), nonce, notice));
  const sendNotFound = (reply: FastifyReply) =>
    send(reply, 404, (nonce) => renderMessagePage(nonce, 'No such authorisation request', 'No authorisation request has this link. Check the authUrl that authorizations/consult answered.'));

  app.get<{ Params: { consultId: string } }>('/authorize/:consultId', async (request, reply) => {
    const consult = await service.findConsult(request.params.consultId);
    return consult ? sendPage(reply, 200, consult) : sendNotFound(reply);
  });

  app.post<{ Params: { consultId: string } }>('/authorize/:consultId', async (request, reply) => {
    const form = formBody(request);
    const refused = crossSiteProblem(request.headers) ?? (csrf.verify(request.params.consultId, form.get('csrf')) ? undefined : 'missing or wrong form token');
    if (refused !== undefined) {
      return send(reply, 403, (nonce) => renderMessagePage(nonce, 'Request refused', `Refused: ${refused}. Nothing was changed; reload the authorisation page and try again.`));
    }
    const action = form.get('action');
    try {
      if (action !== 'agree' && action !== 'decline') throw AmsError.paramIllegal('action', 'must be agree or decline');
      const decided = await service.decide(
        request.params.consultId,
        action === 'agree' ? { agree: true, userLoginId: form.get('userLoginId') ?? undefined } : { agree: false },
      );
      return reply.status(303).header('location', decided.redirectUrl).header('cache-control', 'no-store').send();
    } catch (error) {
      if (!(error instanceof AmsError)) throw error;
      const consult = await service.findConsult(request.params.consultId);
      return consult ? sendPage(reply, 409, consult, error.message) : sendNotFound(reply);
    }
  });
}
