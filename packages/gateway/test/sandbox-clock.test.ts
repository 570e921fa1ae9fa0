/** The sandbox clock's bounds (no duration or advance may break it: a clock past Date's range answered 500 everywhere), and the open control API's refusal of cross-site posts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SANDBOX_CLOCK_OFFSET_MS, parseDuration, SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { cashierPay, startTestGateway, type TestGateway } from './harness.js';
import { DashboardSession } from './dashboard-session.js';
import { rawRequest } from './raw-http.js';

describe('parseDuration', () => {
  it('reads units, sums parts and rounds to whole milliseconds', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration(' 1.5s ')).toBe(1_500);
    expect(parseDuration('250')).toBe(250);
  });
  it('refuses what is not a duration, or too long to be exact', () => {
    expect(() => parseDuration('soon')).toThrow(RangeError);
    expect(() => parseDuration(`${'9'.repeat(400)}s`)).toThrow(/too long a duration/);
    expect(() => parseDuration('100000000000000000000')).toThrow(/too long a duration/);
  });
});

describe('SandboxClock.advance', () => {
  it('moves forward only, and at most 100 years in all', () => {
    const clock = new SandboxClock({ now: () => 0 });
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.advance(MAX_SANDBOX_CLOCK_OFFSET_MS - 10);
    expect(() => clock.advance(11)).toThrow(/at most 100 years/);
    expect(clock.offset).toBe(MAX_SANDBOX_CLOCK_OFFSET_MS - 10);
    expect(new Date(clock.now()).toISOString()).toMatch(/^2069-/);
  });
});

describe('the sandbox control API over HTTP', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('sqlite');
  });
  afterAll(() => gw.close());

  it('answers 400 from the control API and the dashboard, and the clock keeps working', async () => {
    const post = (by: unknown) => fetch(`${gw.baseUrl}/sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by }) });
    for (const by of [`${'9'.repeat(400)}s`, 1e20, '200000d']) expect((await post(by)).status, String(by)).toBe(400);

    const session = new DashboardSession(gw.baseUrl);
    const page = await session.post('/dashboard/clock/advance', { by: '100000000000000000000' }, { csrfFrom: '/dashboard/clock' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('too long a duration');
    const tooFar = await session.post('/dashboard/clock/advance', { by: '40000d' }, { csrfFrom: '/dashboard/clock' });
    expect(tooFar.status).toBe(400);
    expect(tooFar.html).toContain('at most 100 years');

    expect((await fetch(`${gw.baseUrl}/sandbox/clock`)).status).toBe(200);
    expect((await session.get('/dashboard/clock')).status).toBe(200);
    expect((await post('2m')).status).toBe(200);
  });

  it('answers bad input 400 naming it, but a fault of its own (a corrupt stored row) 500, never passed off as the caller\'s', async () => {
    const send = (path: string, body: string) => fetch(`${gw.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const refusals: Array<[Promise<Response>, RegExp]> = [
      [send('/sandbox/clock/advance', '{"by":'), /the body is not JSON/],
      [send('/sandbox/clock/advance', '[1]'), /must be a JSON object/],
      [send('/sandbox/clock/advance', '{"by":-5}'), /only moves forward/],
      [send('/sandbox/clock/advance', '{"by":"soon"}'), /is not a duration/],
      [send('/sandbox/clock/advance', '{"by":true}'), /by must be a duration/],
      [fetch(`${gw.baseUrl}/admin/notifications?limit=0`), /limit must be an integer/],
      [fetch(`${gw.baseUrl}/admin/notifications?status=LOST`), /status must be one of/],
    ];
    for (const [response, message] of refusals) {
      const answer = await response;
      expect(answer.status, String(message)).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toMatch(message);
    }

    const paymentId = (await gw.call('payments/pay', cashierPay({ paymentNotifyUrl: 'http://127.0.0.1:9/notify' }))).body.paymentId as string;
    expect((await gw.complete(paymentId)).status).toBe(200);
    const [notification] = await gw.gateway.notifications.list({ resourceId: paymentId });
    await gw.gateway.database.db.updateTable('notifications').set({ body: '{"cut off' }).where('notification_id', '=', notification!.notificationId).execute();
    // JSON.parse of the stored body throws a SyntaxError: the gateway's fault, not a 400.
    expect((await fetch(`${gw.baseUrl}/admin/notifications/${notification!.notificationId}`)).status).toBe(500);
  });

  it('answers only requests addressed to a loopback name: a DNS-rebound page (same-origin under its own name) is refused', async () => {
    const port = new URL(gw.baseUrl).port;
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'sec-fetch-site': 'same-origin' };
    for (const [method, path] of [['GET', '/dashboard/clients'], ['GET', '/admin/notifications'], ['GET', '/sandbox/requests'], ['POST', '/sandbox/clock/advance']] as const) {
      const answer = await rawRequest(gw.baseUrl, { method, path, headers: { ...rebound, 'content-type': 'application/json' }, body: method === 'POST' ? '{"by":"1m"}' : undefined });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body).toContain('evil.example');
    }
    const before = (await (await fetch(`${gw.baseUrl}/sandbox/clock`)).json()) as { offsetMs: number };
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `127.9.9.9:${port}`, 'localhost']) {
      expect((await rawRequest(gw.baseUrl, { method: 'GET', path: '/admin/notifications', headers: { host } })).status, host).toBe(200);
      expect((await rawRequest(gw.baseUrl, { method: 'GET', path: '/dashboard/clients', headers: { host } })).status, host).toBe(200);
    }
    // The rebound POST changed nothing.
    expect(((await (await fetch(`${gw.baseUrl}/sandbox/clock`)).json()) as { offsetMs: number }).offsetMs).toBe(before.offsetMs);
  });

  it('refuses a cross-site POST (a page the developer visits posting to 127.0.0.1) and serves tools and same-origin pages', async () => {
    const advance = (headers: Record<string, string>) =>
      fetch(`${gw.baseUrl}/sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: '{"by":"1m"}' });
    const before = gw.gateway.sandboxClock?.offset;
    expect((await advance({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await advance({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(gw.gateway.sandboxClock?.offset).toBe(before);
    // The payment control route sits behind the same guard.
    const paymentId = (await gw.call('payments/pay', cashierPay())).body.paymentId as string;
    const completed = await fetch(`${gw.baseUrl}/sandbox/payments/${paymentId}/complete`, { method: 'POST', headers: { origin: 'https://evil.example' }, body: '{}' });
    expect(completed.status).toBe(403);
    expect((await gw.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('PROCESSING');
    // Tools send neither header; a same-origin page and a typed-in request are fine; reading stays open.
    expect((await advance({})).status).toBe(200);
    expect((await advance({ 'sec-fetch-site': 'same-origin', origin: gw.baseUrl })).status).toBe(200);
    expect((await advance({ 'sec-fetch-site': 'none' })).status).toBe(200);
    expect((await fetch(`${gw.baseUrl}/sandbox/clock`, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
    expect((await gw.complete(paymentId)).status).toBe(200);
  });
});
