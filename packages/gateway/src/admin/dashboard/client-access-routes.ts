/** A client's agent tokens (issue, shown once; revoke) and default notification URLs (set, clear) from the dashboard. */
import type { FastifyInstance } from 'fastify';
import { ClientNotFoundError } from '../../auth/clients-repository.js';
import { NOTIFY_TYPES } from '../../notify/notifications-repository.js';
import { parseNotifyUrl, RefusedUrlError } from '../../notify/url-guard.js';
import { notifyTypeOf } from '../../notify/tables.js';
import { sendClientDetail } from './client-detail-page.js';
import { clientPath, sendClientNotFound, type ClientParams } from './client-views.js';
import type { DashboardContext } from './dashboard.js';
import { agentTokenPanel } from './secret-panels.js';

const TOKEN_HASH = /^[0-9a-f]{64}$/;

export function registerClientAccessRoutes(scope: FastifyInstance, context: DashboardContext): void {
  const { clients, notifications } = context.services;

  scope.post<{ Params: ClientParams }>('/clients/:id/agent-tokens', async (request, reply) => {
    const clientId = request.params.id;
    let token: string;
    try {
      token = await clients.issueAgentToken(clientId);
    } catch (error) {
      if (error instanceof ClientNotFoundError) return sendClientNotFound(context, request, reply, clientId);
      throw error;
    }
    return sendClientDetail(context, request, reply, clientId, { secret: agentTokenPanel(token), notice: 'Issued an agent token.' });
  });

  scope.post<{ Params: ClientParams & { hash: string } }>('/clients/:id/agent-tokens/:hash/revoke', async (request, reply) => {
    const { id: clientId, hash } = request.params;
    if (!(await clients.findPublic(clientId))) return sendClientNotFound(context, request, reply, clientId);
    if (!TOKEN_HASH.test(hash) || !(await clients.revokeAgentToken(clientId, hash))) {
      return context.redirect(reply, clientPath(clientId), { error: 'No such live agent token.' });
    }
    return context.redirect(reply, clientPath(clientId), { notice: `Revoked agent token ${hash.slice(0, 16)}…; requests carrying it now get INVALID_AGENT_TOKEN.` });
  });

  scope.post<{ Params: ClientParams }>('/clients/:id/notify-urls', async (request, reply) => {
    const clientId = request.params.id;
    const form = context.form(request);
    const notifyType = notifyTypeOf(form.get('notifyType'));
    const text = form.get('url') ?? '';
    if (!(await clients.findPublic(clientId))) return sendClientNotFound(context, request, reply, clientId);
    if (!notifyType) return sendClientDetail(context, request, reply, clientId, { error: `The notification type must be one of ${NOTIFY_TYPES.join(', ')}.` }, 400);
    let url: URL;
    try {
      url = parseNotifyUrl(text, context.services.allowInternalNotifyUrls);
    } catch (error) {
      if (!(error instanceof RefusedUrlError)) throw error;
      return sendClientDetail(context, request, reply, clientId, { error: `${notifyType} URL not saved: ${error.message}.`, notifyUrlInput: { notifyType, url: text } }, 400);
    }
    await notifications.setDefaultUrl(clientId, notifyType, url.toString());
    return context.redirect(reply, clientPath(clientId), { notice: `${notifyType} notifications go to ${url.toString()} unless a request names another URL.` });
  });

  scope.post<{ Params: ClientParams }>('/clients/:id/notify-urls/clear', async (request, reply) => {
    const clientId = request.params.id;
    const notifyType = notifyTypeOf(context.form(request).get('notifyType'));
    if (!(await clients.findPublic(clientId))) return sendClientNotFound(context, request, reply, clientId);
    if (!notifyType) return sendClientDetail(context, request, reply, clientId, { error: `The notification type must be one of ${NOTIFY_TYPES.join(', ')}.` }, 400);
    const cleared = await notifications.clearDefaultUrl(clientId, notifyType);
    return context.redirect(reply, clientPath(clientId), cleared ? { notice: `Cleared the default ${notifyType} URL.` } : { error: `There was no default ${notifyType} URL.` });
  });
}
