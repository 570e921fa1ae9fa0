/**
 * /dashboard/notifications: every client's notifications with their
 * attempts; /dashboard/notifications/{id}: the exact body sent and what
 * each attempt's signature covered; POST …/{id}/resend: a new attempt now
 * (refused, with the service's reason, for a notification without a URL).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { contentToSign } from '@amsgate/protocol';
import type { DashboardContext } from './dashboard.js';
import { html, type SafeHtml } from '../../web/html.js';
import { options, prettyBody, queryOf, statusBadge, summaryRow, timeCell, visibleLineBreaks } from './format.js';
import { attemptsTable, resendForm } from './notification-parts.js';
import { sendNotFound } from './not-found.js';
import { NotificationNotFoundError, NotificationNotSendableError } from '../../notify/notification-service.js';
import { NOTIFICATION_STATUSES, type AttemptRecord, type NotificationRecord } from '../../notify/notifications-repository.js';
import { attemptsByNotification } from '../read-models/payment-queries.js';
import type { NotificationStatus } from '../../notify/tables.js';

const LIST_LIMIT = 100;
/** Where a Resend may send the browser back to: a dashboard page of ours, never another site. */
const BACK_PATH = /^\/dashboard\/(?:notifications|payments)(?:\/[A-Za-z0-9_-]{1,64})?$/;

export function registerNotificationsPages(scope: FastifyInstance, context: DashboardContext): void {
  const { services } = context;

  scope.get('/notifications', async (request, reply) => {
    const query = queryOf(request.query);
    const status = query.status?.trim().toUpperCase() || undefined;
    const clientId = query.clientId?.trim() || undefined;
    const resourceId = query.resourceId?.trim() || undefined;
    const clients = await services.clients.list();
    const form = html`<section class="card"><form class="filters" method="get" action="/dashboard/notifications" id="notification-filters">
<div><label for="n-status">Status</label><select id="n-status" name="status">${options([{ value: '', label: 'Any' }, ...NOTIFICATION_STATUSES.map((s) => ({ value: s }))], status)}</select></div>
<div><label for="n-client">Client</label><select id="n-client" name="clientId">${options([{ value: '', label: 'All clients' }, ...clients.map((c) => ({ value: c.clientId, label: `${c.clientId} (${c.name})` }))], clientId)}</select></div>
<div><label for="n-resource">Resource (paymentId, refundId, …)</label><input id="n-resource" name="resourceId" value="${resourceId ?? ''}"></div>
<div><button id="apply-filters">Filter</button> <a href="/dashboard/notifications">Clear</a></div></form></section>`;
    if (status !== undefined && !NOTIFICATION_STATUSES.includes(status as NotificationStatus)) {
      return context.page(request, reply, { title: 'Notifications', section: 'notifications', error: `status must be one of ${NOTIFICATION_STATUSES.join(', ')}`, body: form }, 400);
    }
    const notifications = await services.notifications.list({ status: status as NotificationStatus | undefined, clientId, resourceId, limit: LIST_LIMIT });
    const attempts = await attemptsByNotification(services.database.db, notifications.map((n) => n.notificationId));
    const csrf = context.csrf(request);
    const body = html`${form}<section class="card">${notifications.length === 0
      ? html`<p class="muted" id="no-notifications">No notification matches.</p>`
      : html`<div class="table-wrap"><table id="notifications-table">
<thead><tr><th>Notification, created (UTC)</th><th>Client</th><th>Type and resource</th><th>Status</th><th>Attempts</th><th></th></tr></thead>
<tbody>${notifications.map((n) => notificationRow(n, attempts.get(n.notificationId) ?? [], csrf))}</tbody></table></div>
<p class="muted">The newest ${LIST_LIMIT} matching notifications.</p>`}</section>`;
    return context.page(request, reply, { title: 'Notifications', section: 'notifications', body });
  });

  scope.get<{ Params: { id: string } }>('/notifications/:id', async (request, reply) => {
    let shown: { notification: NotificationRecord; attempts: AttemptRecord[] };
    try {
      shown = await services.notifications.show(request.params.id);
    } catch (error) {
      if (!(error instanceof NotificationNotFoundError)) throw error;
      return sendNotFound(context, request, reply, {
        title: 'Notification not found',
        section: 'notifications',
        message: html`No notification <code>${request.params.id}</code>.`,
        back: { href: '/dashboard/notifications', label: 'All notifications' },
      });
    }
    const { notification: n, attempts } = shown;
    const csrf = context.csrf(request);
    const body = html`<section class="card"><div class="table-wrap"><table id="notification-summary"><tbody>
${summaryRow('Status', html`${statusBadge(n.status)} ${n.lastError ? html`<span class="muted">${n.lastError}</span>` : ''}`)}
${summaryRow('Type', n.notifyType)}
${summaryRow('Client', html`<code>${n.clientId}</code>`)}
${summaryRow('Resource', resourceLink(n))}
${summaryRow('URL', n.url === null ? null : html`<code>${n.url}</code>`)}
${summaryRow('Attempts', String(n.attempts))}
${summaryRow('Next attempt', timeCell(n.nextAttemptAt))}
${summaryRow('Created', timeCell(n.createdAt))}
${summaryRow('Delivered', timeCell(n.deliveredAt))}
</tbody></table></div>
<p>${resendForm(csrf, n.notificationId, `/dashboard/notifications/${n.notificationId}`)} <span class="muted">A new attempt now, signed with a fresh request-time; it does not change the retry schedule.</span></p></section>
<section class="card"><h2>Attempts</h2>${attemptsTable(attempts, 'attempts')}</section>
<section class="card"><h2>Body</h2><p class="muted">The exact JSON sent on every attempt (${Buffer.byteLength(n.body)} bytes), pretty-printed:</p>
<pre id="notification-body">${prettyBody(n.body)}</pre>
<details><summary>As sent</summary><pre id="notification-raw-body">${n.body}</pre></details></section>
${signedContentSection(n, attempts.at(-1))}`;
    return context.page(request, reply, { title: `Notification ${n.notificationId}`, section: 'notifications', body });
  });

  scope.post<{ Params: { id: string } }>('/notifications/:id/resend', async (request, reply) => {
    const { id } = request.params;
    const requested = context.form(request).get('back') ?? '';
    const back = BACK_PATH.test(requested) ? requested : `/dashboard/notifications/${encodeURIComponent(id)}`;
    try {
      const attempt = await services.notifications.resend(id);
      const outcome = attempt.succeeded
        ? `delivered (HTTP ${attempt.httpStatus})`
        : `not delivered: ${attempt.error ?? (attempt.httpStatus === null ? 'no answer' : `HTTP ${attempt.httpStatus}`)}`;
      return context.redirect(reply, back, { notice: `Resent ${id}: attempt ${attempt.attempt} ${outcome}.` });
    } catch (error) {
      if (error instanceof NotificationNotFoundError || error instanceof NotificationNotSendableError) {
        return context.redirect(reply, back, { error: error.message });
      }
      throw error;
    }
  });
}

function notificationRow(n: NotificationRecord, attempts: readonly AttemptRecord[], csrf: SafeHtml): SafeHtml {
  return html`<tr data-notification-id="${n.notificationId}">
<td><a href="/dashboard/notifications/${n.notificationId}"><code>${n.notificationId}</code></a><br>${timeCell(n.createdAt)}</td><td><code>${n.clientId}</code></td>
<td>${n.notifyType}<br>${resourceLink(n)}</td><td>${statusBadge(n.status)}${n.lastError ? html`<br><span class="muted">${n.lastError}</span>` : ''}</td>
<td>${attempts.length === 0 ? html`<span class="muted">none</span>` : attempts.map((a) => html`<div class="attempt">#${a.attempt} ${statusBadge(a.succeeded ? 'DELIVERED' : 'FAILED')} ${a.httpStatus === null ? 'no answer' : `HTTP ${a.httpStatus}`}, ${a.durationMs} ms</div>`)}</td>
<td>${resendForm(csrf, n.notificationId, '/dashboard/notifications')}</td></tr>`;
}

/** Payment results name the payment; refunds and captures their own ids (their payment's page lists them). */
function resourceLink(n: NotificationRecord): SafeHtml {
  return n.notifyType === 'PAYMENT_RESULT' || n.notifyType === 'SUBSCRIPTION_PAYMENT_RESULT' ? html`<a href="/dashboard/payments/${n.resourceId}"><code>${n.resourceId}</code></a>` : html`<code>${n.resourceId}</code>`;
}

/** What the merchant must verify for the latest attempt: the same construction as requests, over the notify URL's path. */
function signedContentSection(n: NotificationRecord, attempt: AttemptRecord | undefined): SafeHtml {
  if (!attempt) return html``;
  let path: string;
  try {
    path = new URL(attempt.url).pathname;
  } catch {
    return html``;
  }
  // The dispatcher's own construction (`dispatcher.ts`), so the page shows exactly what was signed.
  const content = contentToSign({ method: 'POST', uri: path, clientId: n.clientId, time: attempt.requestTime, body: n.body });
  return html`<section class="card" id="notification-signature"><h2>Signature of attempt ${attempt.attempt}</h2>
<p class="muted">Signed with the gateway's ("Antom") key for <code>${n.clientId}</code>; verify it with the Antom public key over this content (the path of the notify URL, without its query):</p>
<pre>${visibleLineBreaks(content.toString('utf8'))}</pre>
<p>SHA-256: <code>${createHash('sha256').update(content).digest('hex')}</code> (${content.length} bytes)</p></section>`;
}
