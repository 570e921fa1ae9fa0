/** /dashboard: where the gateway is, what it holds, and where to go next. */
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from './dashboard.js';
import { html } from '../../web/html.js';
import { isoTime } from '../../iso-time.js';
import { describeDuration } from './format.js';

export function registerOverviewPage(scope: FastifyInstance, context: DashboardContext): void {
  scope.get('/', async (request, reply) => {
    const { services } = context;
    const clients = await services.clients.list();
    const clock = services.clock;
    const body = html`<section class="card">
<p>Gateway base URL: <code id="base-url">${services.baseUrl()}</code> (AMS paths <code>/ams/api/v1/…</code> and <code>/ams/sandbox/api/v1/…</code>).</p>
<p>${clients.length} client${clients.length === 1 ? '' : 's'} registered. ${context.sandbox ? 'Sandbox mode: buyers are simulated by the checkout pages, scenario rules and request triggers.' : 'Gateway mode: no simulation controls.'}</p>
${clock ? html`<p>Sandbox clock: <code id="clock-now">${isoTime(clock.now())}</code>${clock.offset !== 0 ? html` (advanced by ${describeDuration(clock.offset)})` : ''}</p>` : ''}
</section>
<section class="card"><h2>Where to look</h2><ul>
<li><a href="/dashboard/clients">Clients</a>: key versions (generate or paste a key, revoke), agent tokens, notification URLs.</li>
<li><a href="/dashboard/payments">Payments</a>: every payment with its timeline.</li>
${context.sandbox ? html`<li><a href="/dashboard/requests">Request log</a>: each AMS request, its answer, and why a signature failed.</li>` : ''}
<li><a href="/dashboard/notifications">Notifications</a>: deliveries, attempts, resend.</li>
${context.sandbox ? html`<li><a href="/dashboard/scenarios">Scenarios</a> and the <a href="/dashboard/clock">clock</a>.</li>` : ''}
</ul></section>`;
    return context.page(request, reply, { title: 'Overview', section: 'overview', body });
  });
}
