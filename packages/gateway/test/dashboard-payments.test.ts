/**
 * Payments and notifications in the dashboard and the control API: the
 * listing query (filters, keyset paging) on SQLite and PostgreSQL, a
 * payment's timeline after pay → checkout completion → refund with a
 * notification that first fails, Resend from the pages (CSRF), escaping of
 * merchant-supplied text, and the JSON the control API gives for the same.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/index.js';
import { listPayments, loadPaymentHistory } from '../src/admin/read-models/payment-queries.js';
import { loadPaymentTimeline } from '../src/admin/read-models/payment-timeline.js';
import { parsePaymentListQuery, type PaymentListFilter } from '../src/admin/read-models/payment-list-filter.js';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';
import { DashboardSession } from './dashboard-session.js';
import { ACK, Receiver } from './receiver.js';

const postgresOk = await postgresAvailable();

async function pay(t: TestGateway, overrides: Record<string, unknown> = {}, as?: CreatedClient): Promise<string> {
  const answer = await t.call('payments/pay', cashierPay(overrides), as ? { clientId: as.client.clientId, privateKey: as.merchantPrivateKey as string } : {});
  expect(answer.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
  return answer.body.paymentId as string;
}

async function json(t: TestGateway, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${t.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The text of every `<td>` of the table with this id, row by row, tags removed. */
function tableRows(page: string, id: string): string[] {
  const table = new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?</table>`).exec(page)?.[0] ?? '';
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

describe.each(DIALECTS)('payment listing and history queries on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let other: CreatedClient;
    const clock = new SandboxClock();
    const ids: string[] = [];
    beforeAll(async () => {
      t = await startTestGateway(dialect, { clock, notifyDispatch: false });
      other = await t.gateway.clients.create({ sandbox: true, name: 'other merchant' });
      // One second apart, oldest first: ids[5] is the newest.
      for (const [i, overrides] of [
        {}, { paymentMethodType: 'GCASH' }, {}, { paymentMethodType: 'GCASH' }, {},
      ].entries()) {
        const { paymentMethodType, ...rest } = overrides as { paymentMethodType?: string };
        ids.push(await pay(t, { ...rest, ...(paymentMethodType ? { paymentMethod: { paymentMethodType } } : {}) }));
        if (i % 2 === 1) expect((await t.complete(ids[i]!)).status).toBe(200);
        clock.advance(1000);
      }
      ids.push(await pay(t, {}, other));
    });
    afterAll(async () => t?.close());

    const list = (filter: Partial<PaymentListFilter>) => listPayments(t.gateway.database.db, { limit: 50, ...filter });
    const newestFirst = () => [...ids].reverse();

    it('lists every client newest first and pages by cursor', async () => {
      expect((await list({})).payments.map((p) => p.paymentId)).toEqual(newestFirst());
      const seen: string[] = [];
      let before: string | undefined;
      let pages = 0;
      do {
        const page = await list({ limit: 4, before });
        seen.push(...page.payments.map((p) => p.paymentId));
        before = page.nextBefore ?? undefined;
        pages++;
      } while (before !== undefined);
      expect(pages).toBe(2);
      expect(seen).toEqual(newestFirst());
    });

    it('filters by client, status, method, product, id search and creation time', async () => {
      const mine = t.client.client.clientId;
      expect((await list({ clientId: other.client.clientId })).payments.map((p) => p.paymentId)).toEqual([ids[5]]);
      expect((await list({ clientId: mine, status: 'SUCCESS' })).payments.map((p) => p.paymentId)).toEqual([ids[3], ids[1]]);
      expect((await list({ paymentMethodType: 'GCASH' })).payments.map((p) => p.paymentId)).toEqual([ids[3], ids[1]]);
      expect((await list({ productCode: 'IN_STORE_PAYMENT' })).payments).toEqual([]);
      expect((await list({ productCode: 'CASHIER_PAYMENT' })).payments).toHaveLength(6);
      expect((await list({ search: ids[2] })).payments.map((p) => p.paymentId)).toEqual([ids[2]]);
      const requestId = (await list({ search: ids[4] })).payments[0]!.paymentRequestId;
      expect((await list({ search: requestId })).payments.map((p) => p.paymentId)).toEqual([ids[4]]);
      const created = (await list({})).payments.map((p) => p.createdAt).reverse();
      expect((await list({ createdFrom: created[2], createdBefore: created[4] })).payments.map((p) => p.paymentId)).toEqual([ids[3], ids[2]]);
    });

    it('loads a payment’s refunds, journal and notifications; an unknown id is undefined', async () => {
      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId: ids[1], refundAmount: { currency: 'USD', value: '300' } });
      expect(refund.body.result.resultCode).toBe('SUCCESS');
      const history = (await loadPaymentHistory(t.gateway.database.db, ids[1]!))!;
      expect(history.refunds.map((r) => r.amount)).toEqual([300n]);
      expect(new Set(history.journal.map((e) => e.movement))).toEqual(new Set(['PAY', 'REFUND']));
      expect(history.notifications.map((n) => n.notifyType).sort()).toEqual(['PAYMENT_RESULT', 'REFUND_RESULT']);
      expect([...history.attempts.values()].flat()).toEqual([]);
      expect(await loadPaymentHistory(t.gateway.database.db, 'PAY0000000000AAAAAAAAAAAAAAAA')).toBeUndefined();
    });

    it('puts an authorisation’s captures on the timeline, without a request log', async () => {
      const paymentId = await pay(t, { paymentFactor: { captureMode: 'MANUAL' } });
      expect((await t.complete(paymentId)).status).toBe(200);
      const capture = await t.call('payments/capture', { captureRequestId: uniqueId('capture'), paymentId, captureAmount: { currency: 'USD', value: '400' } });
      expect(capture.body.result.resultCode).toBe('SUCCESS');
      const { timeline } = (await loadPaymentTimeline(t.gateway.database.db, undefined, paymentId))!;
      expect(timeline.find((e) => e.kind === 'capture')).toMatchObject({ title: `Capture ${capture.body.captureId as string}`, status: 'SUCCESS' });
      expect(timeline.filter((e) => e.kind === 'journal').map((e) => e.title.split(' ')[1])).toEqual(['AUTHORIZE', 'CAPTURE']);
      expect(timeline.some((e) => e.kind === 'request')).toBe(false);
    });
  });
});

describe('payment list filters from a query', () => {
  it('accepts dates and date-times (inclusive at their precision) and refuses the rest', () => {
    const ok = parsePaymentListQuery({ status: 'success', from: '2026-01-02', to: '2026-01-02T10:30', limit: '10' });
    expect(ok).toEqual({ ok: true, filter: { status: 'SUCCESS', createdFrom: Date.parse('2026-01-02T00:00:00Z'), createdBefore: Date.parse('2026-01-02T10:31:00Z'), limit: 10 } });
    expect(parsePaymentListQuery({ to: '2026-01-02' })).toMatchObject({ filter: { createdBefore: Date.parse('2026-01-03T00:00:00Z') } });
    expect(parsePaymentListQuery({ status: 'PAID' })).toEqual({ ok: false, error: 'status must be one of PROCESSING, SUCCESS, FAIL, CANCELLED' });
    expect(parsePaymentListQuery({ from: '2026-02-31' }).ok).toBe(false);
    expect(parsePaymentListQuery({ from: 'yesterday' }).ok).toBe(false);
    expect(parsePaymentListQuery({ from: '2026-01-03', to: '2026-01-02' })).toEqual({ ok: false, error: 'from must be before to' });
    expect(parsePaymentListQuery({ before: "x' or 1=1" }).ok).toBe(false);
    expect(parsePaymentListQuery({ limit: '0' }).ok).toBe(false);
  });
});

describe('payments and notifications in the dashboard (sandbox, SQLite)', () => {
  let t: TestGateway;
  let receiver: Receiver;
  let session: DashboardSession;
  beforeAll(async () => {
    t = await startTestGateway('sqlite', { notifyDispatch: false, notifyTimeoutMs: 2000 });
    receiver = await new Receiver().start();
    session = new DashboardSession(t.baseUrl);
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });
  afterEach(() => {
    receiver.answer = () => ({ status: 200, body: ACK });
  });

  const deliveriesOf = (paymentId: string) => receiver.received.filter((r) => r.path === '/notify' && r.body.includes(paymentId));

  /** pay → checkout completion (the sandbox control API) → notification (first answered 500) → partial refund. */
  async function paidAndRefunded(): Promise<{ paymentId: string; refundId: string }> {
    const paymentId = await pay(t, { paymentNotifyUrl: `${receiver.url}/notify` });
    let failed = false;
    receiver.answer = (request) => {
      if (failed || !request.body.includes(paymentId)) return { status: 200, body: ACK };
      failed = true;
      return { status: 500, body: 'down for maintenance' };
    };
    expect((await t.complete(paymentId)).status).toBe(200);
    await t.gateway.notifications.dispatcher.runOnce();
    expect(deliveriesOf(paymentId)).toHaveLength(1);
    const refund = await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId, refundAmount: { currency: 'USD', value: '250' }, refundNotifyUrl: `${receiver.url}/refunds` });
    expect(refund.body.result.resultCode).toBe('SUCCESS');
    return { paymentId, refundId: refund.body.refundId as string };
  }

  it('the payment page: summary, and a timeline of requests, states, refund, journal, notifications and attempts in time order', async () => {
    const { paymentId, refundId } = await paidAndRefunded();
    const page = await session.get(`/dashboard/payments/${paymentId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="payment-summary"');
    expect(tableRows(page.html, 'payment-summary').join('\n')).toMatch(/Refunded 2\.50 USD/);
    const rows = tableRows(page.html, 'timeline');
    const kinds = [...page.html.matchAll(/<tr class="event-[a-z]+" data-kind="([a-z]+)"/g)].map((m) => m[1]);
    expect(kinds.indexOf('request')).toBe(0);
    expect(rows.find((r) => r.includes('POST payments/pay'))).toMatch(/U PAYMENT_IN_PROCESS/);
    expect(rows.find((r) => r.includes('POST payments/refund'))).toMatch(/S SUCCESS/);
    expect(rows.some((r) => / state Created PROCESSING 10\.00 USD by ALIPAY_CN/.test(r))).toBe(true);
    expect(rows.some((r) => / state Paid SUCCESS/.test(r))).toBe(true);
    expect(rows.some((r) => r.includes(`Refund ${refundId}`) && r.includes('2.50 USD'))).toBe(true);
    expect(rows.some((r) => r.includes('Journal PAY'))).toBe(true);
    expect(rows.some((r) => r.includes('Journal REFUND'))).toBe(true);
    expect(rows.some((r) => r.includes('Notification PAYMENT_RESULT') && r.includes('PENDING'))).toBe(true);
    expect(rows.find((r) => r.includes('Delivery attempt 1 of PAYMENT_RESULT'))).toMatch(/FAILED HTTP 500, \d+ ms$/);
    expect(rows.some((r) => r.includes('Notification REFUND_RESULT'))).toBe(true);
    // Time order: the pay request, then Created, …, the refund request before the refund.
    const at = (needle: string) => rows.findIndex((r) => r.includes(needle));
    expect(at('POST payments/pay')).toBeLessThan(at(' Created '));
    expect(at(' Paid ')).toBeLessThan(at('Delivery attempt 1'));
    expect(at('POST payments/refund')).toBeLessThan(at(`Refund ${refundId}`));
    expect(page.html.match(/class="secondary resend"/g)).toHaveLength(2);
    expect(page.html).toMatch(/<a href="\/dashboard\/requests\/REQ\d+">POST payments\/pay<\/a>/);
  });

  it('Resend from the payment page posts with the CSRF token, makes a new attempt and comes back with the outcome', async () => {
    const { paymentId } = await paidAndRefunded();
    const [notification] = await t.gateway.notifications.list({ resourceId: paymentId });
    const path = `/dashboard/payments/${paymentId}`;
    const refused = await session.post(`/dashboard/notifications/${notification!.notificationId}/resend`, { _csrf: 'forged', back: path });
    expect(refused.status).toBe(403);
    expect(deliveriesOf(paymentId)).toHaveLength(1);
    const resent = await session.post(`/dashboard/notifications/${notification!.notificationId}/resend`, { back: path }, { csrfFrom: path });
    expect(resent.status).toBe(303);
    expect(resent.location).toMatch(new RegExp(`^${path}\\?notice=`));
    const after = await session.follow(resent);
    expect(after.html).toContain(`Resent ${notification!.notificationId}: attempt 2 delivered (HTTP 200).`);
    expect(tableRows(after.html, 'timeline').find((r) => r.includes('Delivery attempt 2 of PAYMENT_RESULT'))).toMatch(/DELIVERED HTTP 200/);
    expect(deliveriesOf(paymentId)).toHaveLength(2);
    // A foreign back path is not followed.
    const elsewhere = await session.post(`/dashboard/notifications/${notification!.notificationId}/resend`, { back: 'https://evil.example/' }, { csrfFrom: path });
    expect(elsewhere.location).toMatch(new RegExp(`^/dashboard/notifications/${notification!.notificationId}\\?`));
  });

  it('notifications pages: list with filters and attempts, detail with body, signed content and #attempts; NO_URL refused with the reason', async () => {
    const { paymentId } = await paidAndRefunded();
    const [notification] = await t.gateway.notifications.list({ resourceId: paymentId });
    const id = notification!.notificationId;
    const list = await session.get(`/dashboard/notifications?status=failed`);
    expect(list.status).toBe(200);
    expect(tableRows(list.html, 'notifications-table')).toEqual([]);
    const pending = await session.get('/dashboard/notifications?status=PENDING');
    const row = tableRows(pending.html, 'notifications-table').find((r) => r.includes(id));
    expect(row).toMatch(/PAYMENT_RESULT/);
    expect(row).toMatch(/#1 FAILED HTTP 500, \d+ ms/);
    expect((await session.get('/dashboard/notifications?status=LOST')).status).toBe(400);

    const detail = await session.get(`/dashboard/notifications/${id}`);
    expect(detail.status).toBe(200);
    expect(tableRows(detail.html, 'attempts')).toHaveLength(1);
    expect(detail.html).toContain('id="notification-body"');
    expect(detail.html).toContain(`&quot;paymentId&quot;: &quot;${paymentId}&quot;`);
    expect(detail.html).toMatch(/POST \/notify<span class="muted" title="line feed \(0x0A\)">\\n<\/span>/);
    expect((await session.get('/dashboard/notifications/NTF0000000000AAAAAAAAAAAAAAAA')).status).toBe(404);

    const quiet = await pay(t, { paymentNotifyUrl: undefined });
    expect((await t.complete(quiet)).status).toBe(200);
    const [noUrl] = await t.gateway.notifications.list({ resourceId: quiet });
    expect(noUrl!.status).toBe('NO_URL');
    const refused = await session.post(`/dashboard/notifications/${noUrl!.notificationId}/resend`, { back: '/dashboard/notifications' }, { csrfFrom: '/dashboard/notifications' });
    const shown = await session.follow(refused);
    expect(shown.html).toMatch(new RegExp(`<p class="error" id="error" role="alert">Notification ${noUrl!.notificationId} has no URL: no notification URL`));
    const noUrlList = await session.get(`/dashboard/notifications?status=NO_URL&resourceId=${quiet}`);
    expect(tableRows(noUrlList.html, 'notifications-table')).toHaveLength(1);
  });

  it('the list page: filters, newest first, an "older" link by cursor, errors on bad filters', async () => {
    const failed = await pay(t);
    expect((await t.complete(failed, { outcome: 'fail' })).status).toBe(200);
    const all = await session.get('/dashboard/payments?limit=2');
    expect(all.status).toBe(200);
    const first = [...all.html.matchAll(/<tr data-payment-id="(PAY[0-9A-Z]+)">/g)].map((m) => m[1]);
    expect(first).toHaveLength(2);
    expect(first[0]).toBe(failed);
    expect(all.html).toContain(`<a href="/dashboard/payments/${failed}">`);
    const older = /<a href="([^"]+)" id="older"/.exec(all.html)![1]!.replace(/&amp;/g, '&');
    expect(older).toBe(`/dashboard/payments?limit=2&before=${first[1]}`);
    const next = await session.get(older);
    const second = [...next.html.matchAll(/<tr data-payment-id="(PAY[0-9A-Z]+)">/g)].map((m) => m[1]);
    expect(second).toHaveLength(2);
    expect(second.some((id) => first.includes(id))).toBe(false);
    expect(next.html).toContain('id="newest"');

    const onlyFailed = await session.get('/dashboard/payments?status=FAIL');
    expect([...onlyFailed.html.matchAll(/<tr data-payment-id="(PAY[0-9A-Z]+)">/g)].map((m) => m[1])).toEqual([failed]);
    const byRequestId = await session.get(`/dashboard/payments?q=${encodeURIComponent((await t.gateway.payments.findForCheckout(failed))!.paymentRequestId)}`);
    expect(byRequestId.html.match(/<tr data-payment-id=/g)).toHaveLength(1);
    const bad = await session.get('/dashboard/payments?status=PAID');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('status must be one of PROCESSING, SUCCESS, FAIL, CANCELLED');
    expect((await session.get('/dashboard/payments?from=2026-13-01')).status).toBe(400);
    expect((await session.get('/dashboard/payments/PAY0000000000AAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('escapes merchant-supplied text everywhere it is shown', async () => {
    const script = '<script>alert(1)</script>';
    const image = '"><img src=x onerror=alert(2)>';
    const paymentId = await pay(t, { order: { referenceOrderId: script, orderDescription: image, orderAmount: { currency: 'USD', value: '1000' } }, });
    for (const path of [`/dashboard/payments/${paymentId}`, '/dashboard/payments', `/dashboard/payments?q=${encodeURIComponent(script)}`]) {
      const page = await session.get(path);
      expect(page.html).not.toContain('<script>alert');
      expect(page.html).not.toContain('<img src=x');
    }
    const detail = await session.get(`/dashboard/payments/${paymentId}`);
    expect(detail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(detail.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('the control API gives the same as JSON: GET /admin/payments and /admin/payments/{id}', async () => {
    const { paymentId, refundId } = await paidAndRefunded();
    const listed = await json(t, `/admin/payments?q=${paymentId}`);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ payments: [{ paymentId, status: 'SUCCESS', paymentAmount: { currency: 'USD', value: '1000' } }], nextBefore: null });
    const paged = await json(t, '/admin/payments?limit=1');
    expect(paged.body.nextBefore).toMatch(/^PAY/);
    expect((await json(t, '/admin/payments?status=nope')).status).toBe(400);

    const shown = await json(t, `/admin/payments/${paymentId}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ payment: { paymentId, status: 'SUCCESS' }, refundedAmount: { currency: 'USD', value: '250' } });
    const timeline = shown.body.timeline as Array<{ at: string; kind: string; title: string; requestId?: string }>;
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['request', 'state', 'refund', 'journal', 'notification', 'attempt']));
    expect(timeline.find((e) => e.kind === 'refund')!.title).toBe(`Refund ${refundId}`);
    expect([...timeline].sort((a, b) => a.at.localeCompare(b.at)).map((e) => e.at)).toEqual(timeline.map((e) => e.at));
    // The page renders the same events.
    const page = await session.get(`/dashboard/payments/${paymentId}`);
    expect(tableRows(page.html, 'timeline')).toHaveLength(timeline.length);
    expect((await json(t, '/admin/payments/PAY0000000000AAAAAAAAAAAAAAAA')).status).toBe(404);
  });
});

describe('payments in gateway mode (admin token)', () => {
  const adminToken = 'dashboard-payments-admin-token';
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite', { mode: 'gateway', adminToken, notifyDispatch: false });
  });
  afterAll(async () => t?.close());

  it('shows payments after login, without request log; the control API needs the token', async () => {
    const paymentId = await pay(t);
    const session = new DashboardSession(t.baseUrl);
    expect((await session.get(`/dashboard/payments/${paymentId}`)).status).toBe(303);
    await session.post('/dashboard/login', { token: adminToken, _csrf: 'unused' });
    const page = await session.get(`/dashboard/payments/${paymentId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Gateway mode keeps no request log');
    expect(page.html).not.toContain('data-kind="request"');
    expect((await session.get('/dashboard/requests')).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/admin/payments`)).status).toBe(401);
    const listed = await fetch(`${t.baseUrl}/admin/payments/${paymentId}`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { timeline: Array<{ kind: string }> }).timeline.map((e) => e.kind)).toEqual(['state']);
  });
});
