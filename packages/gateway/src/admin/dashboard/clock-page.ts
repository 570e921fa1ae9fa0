/** /dashboard/clock (sandbox mode only): the sandbox time, and moving it forward to walk through expiries and notification retries. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { advanceSandboxClock } from '../../sandbox/advance-clock.js';
import { ClockInputError, parseDuration, type SandboxClock } from '../../sandbox/sandbox-clock.js';
import type { DashboardContext } from './dashboard.js';
import { html } from '../../web/html.js';
import { isoTime } from '../../iso-time.js';
import { describeDuration } from './format.js';

// 1mo: a calendar month, a subscription's next period.
const QUICK_STEPS = ['1m', '15m', '1h', '1d', '1mo'] as const;

export function registerClockPage(scope: FastifyInstance, context: DashboardContext): void {
  const clock = context.services.clock;
  if (!context.sandbox || !clock) return;

  scope.get('/clock', async (request, reply) => sendClockPage(context, clock, request, reply));

  scope.post('/clock/advance', async (request, reply) => {
    const by = (context.form(request).get('by') ?? '').trim();
    let ms: number;
    let now: number;
    try {
      ms = parseDuration(by, clock.now());
      if (ms <= 0) throw new ClockInputError('Give a duration greater than zero (the clock only moves forward)');
      now = await advanceSandboxClock(clock, ms, context.services);
    } catch (error) {
      if (!(error instanceof ClockInputError)) throw error;
      return sendClockPage(context, clock, request, reply, by, `${error.message}.`, 400);
    }
    return context.redirect(reply, '/dashboard/clock', { notice: `Advanced by ${describeDuration(ms)}: sandbox time is now ${isoTime(now)}.` });
  });
}

function sendClockPage(context: DashboardContext, clock: SandboxClock, request: FastifyRequest, reply: FastifyReply, by = '', error?: string, status = 200): FastifyReply {
  const csrf = context.csrf(request);
  const body = html`<section class="card">
<p>Sandbox time: <code id="sandbox-now">${isoTime(clock.now())}</code></p>
<p>Ahead of real time by <span id="clock-offset">${clock.offset === 0 ? 'nothing' : describeDuration(clock.offset)}</span>.</p>
<p class="muted">Payment expiries, subscription periods, scenario rule durations and notification retries follow this clock. It only moves forward; a restart resets it.</p>
</section>
<section class="card"><h2>Advance</h2>
<form method="post" action="/dashboard/clock/advance" class="filters">${csrf}
<div><label for="advance-by">By</label><input id="advance-by" name="by" placeholder="e.g. 2m, 1h30m, 90s, 1mo" value="${by}" required></div>
<button id="advance-clock">Advance</button></form>
<p>${QUICK_STEPS.map((step) => html`<form class="inline" method="post" action="/dashboard/clock/advance">${csrf}<input type="hidden" name="by" value="${step}"><button class="secondary" id="advance-${step}">+${step}</button></form> `)}</p>
</section>`;
  return context.page(request, reply, { title: 'Clock', section: 'clock', body, error }, status);
}
