/**
 * A client's merchant keys from the dashboard: generate a pair (private key
 * shown once), add a pasted public key, revoke a version (after a
 * confirmation step; the last live key cannot be revoked here).
 */
import type { FastifyInstance } from 'fastify';
import { generateKeyPair, KeyFormatError } from '@amsgate/protocol';
import { ClientNotFoundError, LastLiveKeyError, lastLiveKeyMessage } from '../../auth/clients-repository.js';
import { sendClientDetail } from './client-detail-page.js';
import { keyFingerprint } from '../read-models/client-detail.js';
import { clientPath, sendClientNotFound, type ClientParams } from './client-views.js';
import type { DashboardContext } from './dashboard.js';
import { html } from '../../web/html.js';
import { privateKeyPanel } from './secret-panels.js';

/** Far more than any PEM public key; longer text is not a key. */
const MAX_PUBLIC_KEY_TEXT = 16 * 1024;

export function registerClientKeyRoutes(scope: FastifyInstance, context: DashboardContext): void {
  const { clients } = context.services;

  scope.post<{ Params: ClientParams }>('/clients/:id/keys/generate', async (request, reply) => {
    const clientId = request.params.id;
    if (!(await clients.findPublic(clientId))) return sendClientNotFound(context, request, reply, clientId);
    const pair = await generateKeyPair();
    let keyVersion: number;
    try {
      keyVersion = (await clients.addKey(clientId, pair.publicKey)).keyVersion;
    } catch (error) {
      if (error instanceof ClientNotFoundError) return sendClientNotFound(context, request, reply, clientId);
      throw error;
    }
    return sendClientDetail(context, request, reply, clientId, {
      secret: privateKeyPanel(pair.privateKey, keyVersion),
      notice: `Generated a key pair and registered its public key as key version ${keyVersion}.`,
    });
  });

  scope.post<{ Params: ClientParams }>('/clients/:id/keys', async (request, reply) => {
    const clientId = request.params.id;
    const text = context.form(request).get('publicKey') ?? '';
    const refuse = (message: string, echo: boolean) =>
      sendClientDetail(context, request, reply, clientId, { error: message, publicKeyInput: echo ? text : undefined }, 400);
    if (text.length > MAX_PUBLIC_KEY_TEXT) return refuse(`That is ${text.length} characters; a public key is far shorter.`, false);
    try {
      const key = await clients.addKey(clientId, text);
      return context.redirect(reply, clientPath(clientId), { notice: `Added key version ${key.keyVersion} (fingerprint ${keyFingerprint(key.publicKey).slice(0, 16)}…).` });
    } catch (error) {
      if (error instanceof ClientNotFoundError) return sendClientNotFound(context, request, reply, clientId);
      if (error instanceof KeyFormatError) {
        // A pasted private key is not echoed back into the page.
        const privateKeyGiven = error.problem === 'PRIVATE_GIVEN_FOR_PUBLIC' || error.problem === 'ENCRYPTED' || /PRIVATE KEY/.test(text);
        return refuse(`Not added: ${error.message}.`, !privateKeyGiven);
      }
      throw error;
    }
  });

  scope.post<{ Params: ClientParams & { version: string } }>('/clients/:id/keys/:version/revoke', async (request, reply) => {
    const clientId = request.params.id;
    const client = await clients.findPublic(clientId);
    if (!client) return sendClientNotFound(context, request, reply, clientId);
    const keyVersion = /^\d{1,9}$/.test(request.params.version) ? Number(request.params.version) : Number.NaN;
    const liveKeys = (await clients.keys(clientId)).filter((k) => k.revokedAt === null);
    const key = liveKeys.find((k) => k.keyVersion === keyVersion);
    if (!key) return context.redirect(reply, clientPath(clientId), { error: `Client ${clientId} has no live key version ${request.params.version}.` });
    if (context.form(request).get('confirm') !== 'yes') {
      // No confirmation asked for what the repository would refuse; the confirmed revocation relies on its check alone.
      if (liveKeys.length === 1) return context.redirect(reply, clientPath(clientId), { error: `${lastLiveKeyMessage(clientId, keyVersion)}.` });
      const body = html`<section class="card" id="confirm-revoke-key">
<p>Revoke key version <strong>${keyVersion}</strong> of client <code>${clientId}</code> (${client.name})? Requests signed with it will be refused with <code>KEY_NOT_FOUND</code>. This cannot be undone.</p>
<p class="muted">Fingerprint <code>${keyFingerprint(key.publicKey)}</code></p>
<form class="inline" method="post" action="${clientPath(clientId, `/keys/${keyVersion}/revoke`)}">${context.csrf(request)}<input type="hidden" name="confirm" value="yes">
<button class="danger" id="confirm-revoke">Revoke key version ${keyVersion}</button></form>
<a href="${clientPath(clientId)}" id="cancel-revoke">Cancel</a></section>`;
      return context.page(request, reply, { title: `Revoke key version ${keyVersion}?`, section: 'clients', body });
    }
    try {
      if (!(await clients.revokeKey(clientId, keyVersion, { keepOneLive: true }))) {
        return context.redirect(reply, clientPath(clientId), { error: `Key version ${keyVersion} was already revoked.` });
      }
    } catch (error) {
      if (error instanceof LastLiveKeyError) return context.redirect(reply, clientPath(clientId), { error: `${error.message}.` });
      throw error;
    }
    return context.redirect(reply, clientPath(clientId), { notice: `Revoked key version ${keyVersion}; requests signed with it now get KEY_NOT_FOUND.` });
  });
}
