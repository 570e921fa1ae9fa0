/** Notification pieces shown on the notifications pages and a payment's page: attempts and the Resend form. */
import type { AttemptRecord } from '../../notify/notifications-repository.js';
import { html, type SafeHtml } from '../../web/html.js';
import { statusBadge, timeCell } from './format.js';

export function attemptsTable(attempts: readonly AttemptRecord[], id?: string): SafeHtml {
  if (attempts.length === 0) return html`<p class="muted"${id ? html` id="${id}"` : ''}>No delivery attempt yet.</p>`;
  return html`<div class="table-wrap"><table class="attempts"${id ? html` id="${id}"` : ''}>
<thead><tr><th>#</th><th>Started</th><th>Result</th><th>HTTP</th><th>Duration</th><th>request-time</th><th>Error</th><th>Answer</th></tr></thead>
<tbody>${attempts.map((a) => html`<tr data-attempt="${a.attempt}">
<td>${a.attempt}</td><td>${timeCell(a.startedAt)}</td><td>${statusBadge(a.succeeded ? 'DELIVERED' : 'FAILED')}</td>
<td>${a.httpStatus ?? html`<span class="muted">none</span>`}</td><td>${a.durationMs} ms</td><td><code>${a.requestTime}</code></td>
<td>${a.error ?? ''}</td><td>${a.responseExcerpt === null ? '' : html`<code>${clip(a.responseExcerpt, 200)}</code>`}</td></tr>`)}</tbody>
</table></div>`;
}

/** A Resend button for one notification; `back` is the dashboard page to return to. */
export function resendForm(csrf: SafeHtml, notificationId: string, back: string): SafeHtml {
  return html`<form class="inline" method="post" action="/dashboard/notifications/${notificationId}/resend">${csrf}<input type="hidden" name="back" value="${back}"><button class="secondary resend" data-notification="${notificationId}">Resend</button></form>`;
}

function clip(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}
