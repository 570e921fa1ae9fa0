/**
 * /dashboard/clients/:id — one client: its Antom public key, merchant key
 * versions, agent tokens and default notification URLs, with the forms
 * that change them. The POST routes re-render this page (with a secret
 * shown once, or a refused form as it was submitted).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientRecord } from '../../auth/clients-repository.js';
import { keyFingerprint, loadClientDetail, type ClientDetail } from '../read-models/client-detail.js';
import { isSandboxClientId } from '../../ids.js';
import { NOTIFY_TYPES } from '../../notify/notifications-repository.js';
import type { NotifyType } from '../../notify/tables.js';
import { clientPath, sendClientNotFound } from './client-views.js';
import { timeCell } from './format.js';
import type { DashboardContext } from './dashboard.js';
import { html, type SafeHtml } from '../../web/html.js';
import { COPY_BUTTONS_SCRIPT } from './secret-panels.js';

export interface ClientDetailExtras {
  /** A secret shown once, above everything else. */
  secret?: SafeHtml;
  notice?: string;
  error?: string;
  /** The add-key form's text as submitted, when it was refused. */
  publicKeyInput?: string;
  /** A notify URL form as submitted, when it was refused. */
  notifyUrlInput?: { notifyType: NotifyType; url: string };
}


export async function sendClientDetail(
  context: DashboardContext,
  request: FastifyRequest,
  reply: FastifyReply,
  clientId: string,
  extras: ClientDetailExtras = {},
  status = 200,
): Promise<FastifyReply> {
  const { clients, notifications } = context.services;
  const detail = await loadClientDetail(clients, notifications, clientId);
  if (!detail) return sendClientNotFound(context, request, reply, clientId);
  const { client } = detail;
  const csrf = context.csrf(request);
  const body = html`${extras.secret ?? ''}
${summarySection(detail, context.services.baseUrl())}
${antomKeySection(client)}
${keysSection(detail, csrf, extras.publicKeyInput)}
${agentTokensSection(detail, csrf)}
${notifyUrlsSection(detail, csrf, extras.notifyUrlInput)}`;
  return context.page(
    request,
    reply,
    { title: `Client ${client.name}`, section: 'clients', body, notice: extras.notice, error: extras.error, scripts: extras.secret ? [COPY_BUTTONS_SCRIPT] : [] },
    status,
  );
}

function summarySection({ client }: ClientDetail, baseUrl: string): SafeHtml {
  return html`<section class="card" id="client-summary"><div class="table-wrap"><table>
<tr><th>Client ID</th><td><code id="client-id">${client.clientId}</code></td></tr>
<tr><th>Name</th><td id="client-name">${client.name}</td></tr>
<tr><th>Kind</th><td>${isSandboxClientId(client.clientId) ? 'sandbox (SDKs call /ams/sandbox/api/…)' : 'production'}</td></tr>
<tr><th>Status</th><td>${client.status}</td></tr>
<tr><th>Created</th><td>${timeCell(client.createdAt)}</td></tr>
<tr><th>Gateway URL</th><td><code>${baseUrl}</code></td></tr>
</table></div><p><a href="/dashboard/clients">All clients</a></p></section>`;
}

function antomKeySection(client: ClientRecord): SafeHtml {
  return html`<section class="card" id="antom-key"><h2>Antom public key</h2>
<p class="muted">The gateway signs its responses and notifications for this client with key version ${client.gatewayKeyVersion}; give the SDK this public key (base64 SPKI) to verify them.</p>
<pre id="antom-public-key">${client.gatewayPublicKey}</pre></section>`;
}

function keysSection({ client, keys }: ClientDetail, csrf: SafeHtml, publicKeyInput: string | undefined): SafeHtml {
  const liveCount = keys.filter((key) => key.revokedAt === null).length;
  const rows = keys.map((key) => {
    const action = key.revokedAt !== null
      ? ''
      : liveCount === 1
        ? html`<span class="muted">only live key</span>`
        : html`<form class="inline" method="post" action="${clientPath(client.clientId, `/keys/${key.keyVersion}/revoke`)}">${csrf}<button class="danger" id="revoke-key-${key.keyVersion}">Revoke v${key.keyVersion}…</button></form>`;
    return html`<tr id="key-row-${key.keyVersion}"><td>${key.keyVersion}</td><td>${timeCell(key.createdAt)}</td>
<td>${key.revokedAt === null ? html`<span class="status-S">live</span>` : html`<span class="status-F">revoked</span> ${timeCell(key.revokedAt)}`}</td>
<td><code>${keyFingerprint(key.publicKey)}</code></td><td>${action}</td></tr>`;
  });
  return html`<section class="card" id="merchant-keys"><h2>Merchant keys</h2>
<p class="muted">Requests are signed with the private half of a live key; <code>keyVersion</code> in the signature header picks one (the newest live one when left out). Fingerprint: SHA-256 of the public key's DER, as <code>openssl pkey -pubin -in public-key.pem -outform DER | openssl dgst -sha256</code> prints it.</p>
<div class="table-wrap"><table id="key-versions"><thead><tr><th>Version</th><th>Created</th><th>State</th><th>Fingerprint</th><th></th></tr></thead>
<tbody>${rows}</tbody></table></div>
<h3>Generate a key pair</h3>
<p class="muted">The gateway generates a 2048-bit RSA pair, registers its public key as the next version and shows you the private key once. Earlier versions stay live until you revoke them.</p>
<form method="post" action="${clientPath(client.clientId, '/keys/generate')}">${csrf}<button id="generate-key">Generate key pair</button></form>
<h3>Add your own public key</h3>
<form method="post" action="${clientPath(client.clientId, '/keys')}">${csrf}
<label for="public-key">Public key: PEM or base64 (SPKI or PKCS#1), RSA, at least 2048 bits. Never paste the private key.</label>
<textarea id="public-key" name="publicKey" spellcheck="false" autocomplete="off">${publicKeyInput ?? ''}</textarea>
<p><button id="add-key">Add public key</button></p></form></section>`;
}

function agentTokensSection({ client, agentTokens }: ClientDetail, csrf: SafeHtml): SafeHtml {
  const rows = agentTokens.map((token) => html`<tr><td><code>${token.tokenHash.slice(0, 16)}</code></td><td>${timeCell(token.createdAt)}</td>
<td>${token.revokedAt === null ? html`<span class="status-S">live</span>` : html`<span class="status-F">revoked</span> ${timeCell(token.revokedAt)}`}</td>
<td>${token.revokedAt === null ? html`<form class="inline" method="post" action="${clientPath(client.clientId, `/agent-tokens/${token.tokenHash}/revoke`)}">${csrf}<button class="danger" id="revoke-token-${token.tokenHash.slice(0, 16)}">Revoke token</button></form>` : ''}</td></tr>`);
  return html`<section class="card" id="agent-tokens"><h2>Agent tokens</h2>
<p class="muted">An ISV sends an agent token in the <code>agent-token</code> header to act for this client. Tokens are shown once when issued; the list names them by the start of their SHA-256.</p>
${agentTokens.length === 0 ? html`<p class="muted">No agent tokens.</p>` : html`<div class="table-wrap"><table id="agent-token-list"><thead><tr><th>SHA-256</th><th>Issued</th><th>State</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`}
<form method="post" action="${clientPath(client.clientId, '/agent-tokens')}">${csrf}<button id="issue-agent-token">Issue agent token</button></form></section>`;
}

function notifyUrlsSection({ client, notifyUrls }: ClientDetail, csrf: SafeHtml, submitted: ClientDetailExtras['notifyUrlInput']): SafeHtml {
  const rows = NOTIFY_TYPES.map((notifyType) => {
    const current = notifyUrls[notifyType];
    const value = submitted?.notifyType === notifyType ? submitted.url : current ?? '';
    return html`<tr id="notify-row-${notifyType}"><th>${notifyType}</th>
<td>${current === undefined ? html`<span class="muted">none</span>` : html`<code id="notify-url-current-${notifyType}">${current}</code>`}</td>
<td><form class="filters" method="post" action="${clientPath(client.clientId, '/notify-urls')}">${csrf}<input type="hidden" name="notifyType" value="${notifyType}">
<input id="notify-url-${notifyType}" name="url" inputmode="url" aria-label="${notifyType} notification URL" placeholder="https://merchant.example/notify" value="${value}">
<button id="notify-save-${notifyType}">Save</button></form>
${current === undefined ? '' : html`<form class="inline" method="post" action="${clientPath(client.clientId, '/notify-urls/clear')}">${csrf}<input type="hidden" name="notifyType" value="${notifyType}"><button class="secondary" id="notify-clear-${notifyType}">Clear</button></form>`}</td></tr>`;
  });
  return html`<section class="card" id="notify-urls"><h2>Notification URLs</h2>
<p class="muted">Where notifications of each type go when the request names no URL (a URL in the request wins).</p>
<div class="table-wrap"><table><thead><tr><th>Type</th><th>Default URL</th><th>Change</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}
