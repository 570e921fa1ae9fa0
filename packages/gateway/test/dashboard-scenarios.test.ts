/** /dashboard/scenarios and /dashboard/clock (sandbox mode): rules added and removed from forms, the clock moved forward. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_PATHS } from '@amsgate/protocol';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { describeDuration } from '../src/admin/dashboard/format.js';
import { cashierPay, startTestGateway, type TestGateway } from './harness.js';
import { DashboardSession } from './dashboard-session.js';

const SCENARIOS = '/dashboard/scenarios';

describe('dashboard scenarios page', () => {
  let t: TestGateway;
  let session: DashboardSession;
  let clientId: string;
  let clock: SandboxClock;

  beforeAll(async () => {
    clock = new SandboxClock();
    t = await startTestGateway('sqlite', { clock, notifyDispatch: false });
    session = new DashboardSession(t.baseUrl);
    clientId = t.client.client.clientId;
  });
  afterAll(() => t?.close());

  const addRule = (fields: Record<string, string>) =>
    session.post(SCENARIOS, { clientId, endpoint: 'payments/pay', resultCode: 'USER_BALANCE_NOT_ENOUGH', limit: '30m', customFor: '', times: '', match: '', ...fields }, { csrfFrom: SCENARIOS });

  it('shows no rules, and a form offering every endpoint and only F and U result codes', async () => {
    const page = await session.get(SCENARIOS);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="no-scenarios"');
    expect(page.html).toContain(`<option value="${clientId}">`);
    for (const path of ENDPOINT_PATHS) expect(page.html).toContain(`<option value="${path}"`);
    expect(page.html).toContain('<option value="UNKNOWN_EXCEPTION">');
    expect(page.html).toContain('<option value="USER_BALANCE_NOT_ENOUGH" selected>');
    expect(page.html).not.toContain('<option value="SUCCESS"');
    for (const minutes of [30, 60, 90, 120]) expect(page.html).toContain(`for ${minutes} minutes`);
  });

  it('adds a rule for 30 minutes that answers the endpoint until the sandbox clock passes it', async () => {
    const added = await addRule({ endpoint: 'payments/inquiryPayment', resultCode: 'UNKNOWN_EXCEPTION', limit: '30m' });
    expect(added.status).toBe(303);
    const page = await session.follow(added);
    expect(page.html).toContain('Added scenario SCN');
    const [rule] = (await (await fetch(`${t.baseUrl}/sandbox/scenarios`)).json() as { scenarios: Array<{ id: string; expiresAt: string }> }).scenarios;
    expect(Date.parse(rule?.expiresAt as string) - clock.now()).toBeGreaterThan(29 * 60_000);
    expect(page.html).toContain(`id="scenario-${rule?.id}"`);
    expect(page.html).toContain(rule?.expiresAt);

    const answered = await t.call('payments/inquiryPayment', { paymentRequestId: 'nothing' });
    expect(answered.body.result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
    expect((await session.get(SCENARIOS)).html).toMatch(/<td>1<\/td>\s*<td><form/);

    await session.post('/dashboard/clock/advance', { by: '31m' }, { csrfFrom: '/dashboard/clock' });
    expect((await session.get(SCENARIOS)).html).toContain('id="no-scenarios"');
    expect((await t.call('payments/inquiryPayment', { paymentRequestId: 'nothing' })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
  });

  it('adds a rule for the next K calls with a match, escaping what it shows', async () => {
    const added = await addRule({ limit: 'calls', times: '2', match: 'paymentMethodType=GCASH\n\norder.orderDescription=<b>x</b>' });
    expect(added.status).toBe(303);
    const page = await session.follow(added);
    expect(page.html).toContain('2 more calls');
    expect(page.html).toContain('<code>order.orderDescription=&lt;b&gt;x&lt;/b&gt;</code>');
    expect(page.html).not.toContain('<b>x</b>');

    const other = await t.call('payments/pay', cashierPay());
    expect(other.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const matching = cashierPay({ paymentMethod: { paymentMethodType: 'GCASH' } });
    (matching.order as Record<string, unknown>).orderDescription = '<b>x</b>';
    expect((await t.call('payments/pay', matching)).body.result.resultCode).toBe('USER_BALANCE_NOT_ENOUGH');
    expect((await session.get(SCENARIOS)).html).toContain('1 more call<');
  });

  it('re-shows the form with the rule error for invalid input', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ limit: 'calls', times: '0' }, 'times: must be an integer from 1 to 10000'],
      [{ limit: 'calls', times: 'many' }, 'times: must be an integer'],
      [{ limit: 'custom', customFor: 'soon' }, 'for: &quot;soon&quot; is not a duration'],
      [{ limit: 'custom', customFor: '8d' }, 'at most 7 days'],
      [{ limit: 'forever' }, 'how long: choose one of'],
      [{ match: 'oops' }, 'is not field=value'],
      [{ match: 'a b=c' }, 'is not a field name'],
      [{ resultCode: 'SUCCESS' }, 'cannot be simulated'],
      [{ resultCode: 'NOPE' }, 'is not a result code'],
      [{ endpoint: 'payments/nope' }, 'is not an AMS endpoint'],
      [{ clientId: 'SANDBOX_<i>NOBODY' }, 'clientId: no client SANDBOX_&lt;i&gt;NOBODY'],
    ];
    for (const [fields, message] of cases) {
      const refused = await addRule(fields);
      expect(refused.status, message).toBe(400);
      expect(refused.html, message).toContain(message);
      expect(refused.html).toContain('id="add-scenario-button"');
    }
    const kept = await addRule({ limit: 'custom', customFor: 'soon', match: 'paymentMethodType=GCASH' });
    expect(kept.html).toContain('<option value="custom" selected>');
    expect(kept.html).toContain('value="soon"');
    expect(kept.html).toContain('>paymentMethodType=GCASH</textarea>');
  });

  it('removes one rule, then all', async () => {
    await addRule({ limit: 'custom', customFor: '10m' });
    await addRule({ limit: '120m', endpoint: 'payments/refund', resultCode: 'REFUND_WINDOW_EXCEED' });
    const rules = (await (await fetch(`${t.baseUrl}/sandbox/scenarios`)).json() as { scenarios: Array<{ id: string }> }).scenarios;
    expect(rules.length).toBe(3);
    const removed = await session.post(`${SCENARIOS}/${rules[0]?.id}/remove`, {}, { csrfFrom: SCENARIOS });
    const page = await session.follow(removed);
    expect(page.html).toContain(`Removed scenario ${rules[0]?.id}`);
    expect(page.html).not.toContain(`id="scenario-${rules[0]?.id}"`);
    const again = await session.follow(await session.post(`${SCENARIOS}/${rules[0]?.id}/remove`, {}, { csrfFrom: SCENARIOS }));
    expect(again.html).toContain('it may have run out');
    const cleared = await session.follow(await session.post(`${SCENARIOS}/clear`, {}, { csrfFrom: SCENARIOS }));
    expect(cleared.html).toContain('Removed 2 scenario rules');
    expect(cleared.html).toContain('id="no-scenarios"');
  });

  it('refuses every POST route without the right CSRF token', async () => {
    await addRule({});
    const routes: Array<[string, Record<string, string>]> = [
      [SCENARIOS, { clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', limit: '30m' }],
      [`${SCENARIOS}/clear`, {}],
      [`${SCENARIOS}/SCN0/remove`, {}],
      ['/dashboard/clock/advance', { by: '1h' }],
    ];
    const offset = clock.offset;
    for (const [path, fields] of routes) {
      expect((await session.post(path, { ...fields, _csrf: 'x'.repeat(43) })).status, path).toBe(403);
    }
    expect(clock.offset).toBe(offset);
    expect((await (await fetch(`${t.baseUrl}/sandbox/scenarios`)).json() as { scenarios: unknown[] }).scenarios).toHaveLength(1);
  });
});

describe('dashboard clock page', () => {
  let t: TestGateway;
  let session: DashboardSession;
  let clock: SandboxClock;

  beforeAll(async () => {
    clock = new SandboxClock();
    t = await startTestGateway('sqlite', { clock, notifyDispatch: false });
    session = new DashboardSession(t.baseUrl);
  });
  afterAll(() => t?.close());

  it('shows the sandbox time and advances it, closing payments that expire on the way', async () => {
    const page = await session.get('/dashboard/clock');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<span id="clock-offset">nothing</span>');
    const paymentId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;

    const before = clock.now();
    const advanced = await session.post('/dashboard/clock/advance', { by: '1h30m' }, { csrfFrom: '/dashboard/clock' });
    expect(advanced.status).toBe(303);
    expect(clock.offset).toBe(5_400_000);
    const shown = await session.follow(advanced);
    expect(shown.html).toContain('Advanced by 1h 30m: sandbox time is now ');
    expect(shown.html).toContain('<span id="clock-offset">1h 30m</span>');
    const now = Date.parse(/<code id="sandbox-now">([^<]+)<\/code>/.exec(shown.html)?.[1] as string);
    expect(now - before).toBeGreaterThanOrEqual(5_400_000);

    const payment = await t.gateway.database.db.selectFrom('payments').select('status').where('payment_id', '=', paymentId).executeTakeFirst();
    expect(payment?.status).not.toBe('PROCESSING');

    expect((await session.follow(await session.post('/dashboard/clock/advance', { by: '1m' }, { csrfFrom: '/dashboard/clock' }))).html).toContain('Advanced by 1m');
  });

  it('re-shows the form for a duration it cannot read, and never moves back', async () => {
    for (const [by, message] of [['soon', 'is not a duration'], ['-5m', 'is not a duration'], ['0', 'greater than zero'], ['', 'is not a duration']]) {
      const refused = await session.post('/dashboard/clock/advance', { by: by as string }, { csrfFrom: '/dashboard/clock' });
      expect(refused.status, by).toBe(400);
      expect(refused.html, by).toContain(message);
    }
    expect(clock.offset).toBe(5_460_000);
  });

  it('describes durations', () => {
    expect(describeDuration(500)).toBe('500 ms');
    expect(describeDuration(90_000)).toBe('1m 30s');
    expect(describeDuration(90_061_000)).toBe('1d 1h 1m 1s');
  });
});

describe('dashboard in gateway mode', () => {
  it('registers no scenarios or clock pages', async () => {
    const adminToken = 'scenarios-admin-token-0123456789';
    const t = await startTestGateway('sqlite', { mode: 'gateway', adminToken, notifyDispatch: false });
    try {
      const session = new DashboardSession(t.baseUrl);
      await session.post('/dashboard/login', { token: adminToken, _csrf: 'unused' });
      expect((await session.get('/dashboard/scenarios')).status).toBe(404);
      expect((await session.get('/dashboard/clock')).status).toBe(404);
      expect((await session.post('/dashboard/clock/advance', { by: '1h' })).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
