/**
 * The Auto Debit authorisation page `authorizations/consult` points at
 * (`/authorize/{consultId}`): which merchant asks for which scopes on which
 * wallet, a login id field and two buttons. Agree → 303 to
 * `authRedirectUrl?authCode=…&authState=…`; Decline → 303 to
 * `authRedirectUrl?authState=…` (no code).
 */
import type { FastifyInstance } from 'fastify';
import { AmsError } from '@amsgate/protocol';
import { DEFAULT_SANDBOX_LOGIN_ID, type AutoDebitService } from '../auto-debit/auto-debit-service.js';
import type { ConsultRecord } from '../auto-debit/auto-debit-repository.js';
import { CapabilityCsrf, crossSiteProblem } from './capability-csrf.js';
import { html } from './html.js';

const HTML = 'text/html; charset=utf-8';

export function renderAuthorizationPage(consult: ConsultRecord, expired: boolean, csrfToken: string, notice?: string): string {
  const pending = consult.status === 'PENDING' && !expired;
  const state = expired ? 'EXPIRED' : consult.status;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>amsgate authorisation</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}input{font-size:1rem;padding:.3rem;width:100%}</style>
</head><body>
<h1>Authorise Auto Debit</h1>
${notice ? html`<p id="notice"><strong>${notice}</strong></p>` : ''}
<dl>
<dt>Merchant</dt><dd id="merchant">${consult.clientId}${consult.authClientId ? html` for ${consult.authClientId}` : ''}</dd>
<dt>Wallet</dt><dd id="wallet">${consult.customerBelongsTo}</dd>
<dt>Asks for</dt><dd id="scopes">${consult.scopes.join(', ')}</dd>
<dt>Status</dt><dd id="status">${state}</dd>
</dl>
${pending
    ? html`<form method="post"><input type="hidden" name="csrf" value="${csrfToken}">
<p><label for="userLoginId">Wallet login id</label><input id="userLoginId" name="userLoginId" value="${DEFAULT_SANDBOX_LOGIN_ID}" maxlength="64"></p>
<button name="action" value="agree" id="agree">Agree</button><button name="action" value="decline" id="decline">Decline</button>
</form>`
    : ''}
</body></html>`.text;
}

export function registerAuthorizationPage(app: FastifyInstance, service: AutoDebitService): void {
  const csrf = new CapabilityCsrf('authorize');
  const page = (consult: ConsultRecord, notice?: string) => renderAuthorizationPage(consult, service.isExpired(consult), csrf.tokenFor(consult.consultId), notice);
  app.get<{ Params: { consultId: string } }>('/authorize/:consultId', async (request, reply) => {
    const consult = await service.findConsult(request.params.consultId);
    if (!consult) return reply.status(404).type(HTML).send('<!doctype html><p>No such authorisation request.</p>');
    return reply.type(HTML).header('cache-control', 'no-store').send(page(consult));
  });

  app.post<{ Params: { consultId: string } }>('/authorize/:consultId', async (request, reply) => {
    const form = new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
    const action = form.get('action');
    const refused = crossSiteProblem(request.headers) ?? (csrf.verify(request.params.consultId, form.get('csrf')) ? undefined : 'missing or wrong form token');
    if (refused !== undefined) {
      return reply.status(403).type(HTML).send(html`<!doctype html><p>Refused: ${refused}. Reload the authorisation page and try again.</p>`.text);
    }
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
      if (!consult) return reply.status(404).type(HTML).send('<!doctype html><p>No such authorisation request.</p>');
      return reply.status(409).type(HTML).send(page(consult, error.message));
    }
  });
}
