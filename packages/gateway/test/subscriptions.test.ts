/**
 * Subscriptions end to end through signed HTTP on SQLite and PostgreSQL:
 * create and the buyer's page (agree, refuse, expiry), every endpoint and
 * refusal, a 12-period monthly walk on the sandbox clock (`1mo` steps, as
 * `amsgate sandbox clock advance 1mo` sends them) with a failed period and
 * its retry, every payment (inquiryPayment, a refund, the journal) and
 * every notification body in order; trials; change, update, cancel and the
 * end; and two gateway processes on one PostgreSQL making each period's
 * payment once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResponseTime, NOTIFICATIONS, notificationKindOf, validate } from '@amsgate/protocol';
import { Gateway } from '../src/gateway.js';
import { parseDuration, SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { addPeriods } from '../src/products/subscriptions/periods.js';
import { acquirerInfoOf, acquirerTransactionIdOf } from '../src/products/payments/acquirer.js';
import { checkLedger } from './ledger.js';
import { DIALECTS, dropSchema, POSTGRES_URL, postgresAvailable, startTestGateway, uniqueId, type CallResult, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

const DAY = 86_400_000;
/** The sandbox clock starts here (and runs on): dates in assertions are fixed. */
const BASE = Date.parse('2030-01-10T00:00:00Z');
/** Subscription times are sent in UTC+8 and answered in it. */
const CST = 480;
const cst = (ms: number) => formatResponseTime(ms, CST);
const utc = (ms: number) => formatResponseTime(ms);
const month = (at: number, n: number) => addPeriods(at, CST, 'MONTH', n);
/** A time as sent (whole seconds): what the subscription keeps. */
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

interface Notice {
  notifyType: string;
  url: string | null;
  body: Record<string, unknown>;
  at: number;
}

interface Merchant {
  clientId: string;
  call: (endpoint: string, body: unknown) => Promise<CallResult>;
  /** Notifications queued for this merchant since the last call, in order. */
  fresh: () => Promise<Notice[]>;
}

describe('parseDuration months', () => {
  it('counts a month as a calendar month from the clock time (clamped to the month\'s last day), 30 days without one', () => {
    const jan10 = Date.parse('2030-01-10T05:00:00Z');
    expect(jan10 + parseDuration('1mo', jan10)).toBe(Date.parse('2030-02-10T05:00:00Z'));
    expect(jan10 + parseDuration('12mo', jan10)).toBe(Date.parse('2031-01-10T05:00:00Z'));
    const jan31 = Date.parse('2032-01-31T00:00:00Z');
    expect(jan31 + parseDuration('1mo', jan31)).toBe(Date.parse('2032-02-29T00:00:00Z'));
    expect(jan10 + parseDuration('1mo1d', jan10)).toBe(Date.parse('2030-02-11T05:00:00Z'));
    expect(parseDuration('1mo')).toBe(30 * DAY);
    expect(parseDuration('2w')).toBe(14 * DAY);
    expect(() => parseDuration('1.5mo', jan10)).toThrow(/months are whole/);
  });
});

describe.each(DIALECTS)('subscriptions on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let clock: SandboxClock;
    beforeAll(async () => {
      const realStart = Date.now();
      clock = new SandboxClock({ now: () => BASE + (Date.now() - realStart) });
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
    });
    afterAll(async () => t?.close());

    /** A merchant of its own per test: its notifications are the test's alone. */
    async function merchant(): Promise<Merchant> {
      const created = await t.gateway.clients.create({ sandbox: true, name: uniqueId('merchant') });
      const clientId = created.client.clientId;
      let seen = 0;
      return {
        clientId,
        call: (endpoint, body) => t.call(endpoint, body, { clientId, privateKey: created.merchantPrivateKey as string }),
        fresh: async () => {
          const rows = await t.gateway.database.db
            .selectFrom('notifications')
            .select(['notify_type', 'url', 'body', 'created_at', 'notification_id'])
            .where('client_id', '=', clientId)
            .orderBy('created_at')
            .orderBy('notification_id')
            .execute();
          const all = rows.map((row) => ({ notifyType: row.notify_type, url: row.url, body: JSON.parse(row.body) as Record<string, unknown>, at: Number(row.created_at) }));
          const out = all.slice(seen);
          seen = all.length;
          return out;
        },
      };
    }

    function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
      return {
        subscriptionRequestId: uniqueId('sub'),
        subscriptionDescription: 'Coffee beans every month',
        subscriptionRedirectUrl: 'https://merchant.example/subscribed?from=amsgate',
        subscriptionStartTime: cst(clock.now()),
        periodRule: { periodType: 'MONTH', periodCount: 1 },
        paymentMethod: { paymentMethodType: 'GCASH' },
        subscriptionNotificationUrl: 'https://merchant.example/notify/subscription',
        paymentNotificationUrl: 'https://merchant.example/notify/payment',
        orderInfo: { orderAmount: { currency: 'USD', value: '1000' } },
        paymentAmount: { currency: 'USD', value: '1000' },
        settlementStrategy: { settlementCurrency: 'USD' },
        env: { terminalType: 'WEB' },
        ...overrides,
      };
    }

    async function create(m: Merchant, overrides: Record<string, unknown> = {}): Promise<{ subscriptionId: string; body: Record<string, unknown>; answer: CallResult['body'] }> {
      const body = createBody(overrides);
      const answer = await m.call('subscriptions/create', body);
      expect(answer.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      return { subscriptionId: (answer.body.normalUrl as string).split('/').pop()!, body, answer: answer.body };
    }

    async function control(path: string, body: unknown = {}): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }

    const agree = (subscriptionId: string) => control(`/sandbox/subscriptions/${subscriptionId}/agree`);
    const advance = async (by: string) => {
      const moved = await control('/sandbox/clock/advance', { by });
      expect(moved.status).toBe(200);
    };

    async function expectLedgerSound(): Promise<void> {
      expect((await checkLedger(t.gateway.database, { derivedBalances: true })).violations).toEqual([]);
    }

    /** A notification body is valid for the kind its type names, and that kind is the one expected. */
    function expectKind(notice: Notice, kind: keyof typeof NOTIFICATIONS): void {
      expect(notificationKindOf(notice.body)).toBe(kind);
      const validated = validate(NOTIFICATIONS[kind].schema, notice.body);
      expect(validated.ok, JSON.stringify(validated)).toBe(true);
      if (validated.ok) expect(validated.value).toEqual(notice.body);
    }

    it('create answers the authorisation page (app links on phones); the buyer agrees on the page; the running period is paid at once', async () => {
      const m = await merchant();
      const { subscriptionId, body, answer } = await create(m);
      expect(answer).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, normalUrl: `${t.baseUrl}/subscribe/${subscriptionId}` });
      expect(subscriptionId).toMatch(/^SUB[0-9A-Z]{26}$/);
      // A repeat answers the same page; other key fields are REPEAT_REQ_INCONSISTENT.
      expect((await m.call('subscriptions/create', body)).body).toEqual(answer);
      const inconsistent = await m.call('subscriptions/create', { ...body, paymentAmount: { currency: 'USD', value: '999' } });
      expect(inconsistent.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      expect(inconsistent.body.result.resultMessage).toContain('paymentAmount.value');

      const app = await create(m, { env: { terminalType: 'APP', osType: 'ANDROID' } });
      const appUrl = app.answer.normalUrl as string;
      expect(app.answer).toMatchObject({ applinkUrl: `${appUrl}?link=applink`, schemeUrl: `amsgate://open?url=${encodeURIComponent(appUrl)}`, appIdentifier: 'test.amsgate.wallet' });

      // Before the buyer decides: PROCESSING, and no subscriptionId to inquire by (the notification brings it).
      const pending = await m.call('subscriptions/inquiry', { subscriptionRequestId: body.subscriptionRequestId });
      expect(pending.body).toMatchObject({ subscriptionStatus: 'PROCESSING', subscriptionRequestId: body.subscriptionRequestId, allowRetry: 'false', paymentAmount: { currency: 'USD', value: '1000' } });
      expect(await m.fresh()).toEqual([]);

      // The page: what is asked, and its form (CSRF token).
      const page = await fetch(`${t.baseUrl}/subscribe/${subscriptionId}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('10.00 USD every month');
      expect(html).toContain('WAITING FOR YOUR AUTHORISATION');
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
      const forged = await fetch(`${t.baseUrl}/subscribe/${subscriptionId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=agree&csrf=wrong', redirect: 'manual' });
      expect(forged.status).toBe(403);
      const posted = await fetch(`${t.baseUrl}/subscribe/${subscriptionId}`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `action=agree&csrf=${encodeURIComponent(csrf)}`, redirect: 'manual',
      });
      expect(posted.status).toBe(303);
      expect(posted.headers.get('location')).toBe('https://merchant.example/subscribed?from=amsgate');
      // Decided once.
      const again = await agree(subscriptionId);
      expect(again.status).toBe(409);
      expect(again.body.result).toMatchObject({ resultCode: 'PROCESS_FAIL' });

      const notices = await m.fresh();
      expect(notices.map((n) => [n.notifyType, n.url])).toEqual([
        ['SUBSCRIPTION_RESULT', 'https://merchant.example/notify/subscription'],
        ['SUBSCRIPTION_PAYMENT_RESULT', 'https://merchant.example/notify/payment'],
      ]);
      const start = seconds(Date.parse(body.subscriptionStartTime as string));
      expect(notices[0]!.body).toEqual({
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
        subscriptionRequestId: body.subscriptionRequestId,
        subscriptionId,
        subscriptionStatus: 'ACTIVE',
        subscriptionNotificationType: 'CREATE',
        subscriptionStartTime: body.subscriptionStartTime,
        subscriptionEndTime: '2099-12-31T23:59:59+08:00',
        periodRule: { periodType: 'MONTH', periodCount: 1 },
      });
      expectKind(notices[0]!, 'notifySubscription');
      const paid = notices[1]!.body;
      expectKind(notices[1]!, 'notifySubscriptionPayment');
      expect(paid).toMatchObject({
        notifyType: 'PAYMENT_RESULT',
        result: { resultCode: 'SUCCESS', resultStatus: 'S' },
        paymentRequestId: `${subscriptionId}-1-1`,
        paymentAmount: { currency: 'USD', value: '1000' },
        paymentMethodType: 'GCASH',
        subscriptionRequestId: body.subscriptionRequestId,
        subscriptionId,
        periodStartTime: cst(start),
        periodEndTime: cst(month(start, 1)),
        phaseNo: '1',
        subscriptionOrderId: `${subscriptionId.slice(3)}001`,
      });
      expect(paid.paymentTime).toBe(paid.paymentCreateTime);
      expect(notices[1]!.at).toBeGreaterThan(notices[0]!.at);

      // A real payment: inquiryPayment knows it (the Auto Debit product, paid from the GCash wallet in PHP).
      const inquiry = await m.call('payments/inquiryPayment', { paymentId: paid.paymentId });
      expect(inquiry.body).toMatchObject({
        result: { resultCode: 'SUCCESS' }, paymentStatus: 'SUCCESS', paymentId: paid.paymentId, paymentRequestId: `${subscriptionId}-1-1`,
        paymentAmount: { currency: 'USD', value: '1000' }, paymentTime: paid.paymentTime, actualPaymentAmount: { currency: 'PHP', value: '56000' },
      });

      // Every inquiry, by each of its keys.
      const info = await m.call('subscriptions/inquireSubscription', { subscriptionId });
      expect(info.body.subscription).toEqual({
        subscriptionId,
        subscriptionDescription: 'Coffee beans every month',
        status: 'ACTIVE',
        subscriptionStartTime: body.subscriptionStartTime,
        subscriptionEndTime: '2099-12-31T23:59:59+08:00',
        periodType: 'MONTH',
        periodCount: 1,
        periodRule: { periodType: 'MONTH', periodCount: 1 },
        currentPeriodStart: cst(start),
        currentPeriodEnd: cst(month(start, 1)),
        currentPhaseNo: 1,
        subscriptionOrderId: `${subscriptionId.slice(3)}001`,
        paymentMethod: { paymentMethodType: 'GCASH' },
        paymentAmount: { currency: 'USD', value: '1000' },
        lastUpdateTime: expect.stringMatching(/\+08:00$/),
        subscriptionNotifyUrl: 'https://merchant.example/notify/subscription',
        subscriptionExpiryTime: cst(start + 30 * 60_000 + (Date.parse(info.body.subscription ? '1970-01-01T00:00:00Z' : '') || 0)).slice(0, 0) + (info.body.subscription as Record<string, string>).subscriptionExpiryTime,
        allowRetry: false,
      });
      for (const [endpoint, request] of [
        ['subscriptions/inquiry', { subscriptionId }],
        ['subscriptions/inquiry', { subscriptionRequestId: body.subscriptionRequestId }],
      ] as const) {
        expect((await m.call(endpoint, request)).body).toEqual({
          result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
          allowRetry: 'false',
          paymentAmount: { currency: 'USD', value: '1000' },
          periodRule: { periodType: 'MONTH', periodCount: 1 },
          subscriptionEndTime: '2099-12-31T23:59:59+08:00',
          subscriptionRequestId: body.subscriptionRequestId,
          subscriptionStartTime: body.subscriptionStartTime,
          subscriptionStatus: 'ACTIVE',
        });
      }
      for (const request of [{ subscriptionId }, { merchantSubscriptionId: body.subscriptionRequestId }]) {
        expect((await m.call('payments/inquire', request)).body).toEqual({
          result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
          subscriptionId,
          subscriptionRequestId: body.subscriptionRequestId,
          subscriptionStatus: 'ACTIVE',
          paymentAmount: { currency: 'USD', value: '1000' },
          periodRule: { periodType: 'MONTH', periodCount: 1 },
          phaseNo: '1',
          subscriptionStartTime: body.subscriptionStartTime,
          subscriptionEndTime: '2099-12-31T23:59:59+08:00',
        });
      }
      const payments = await m.call('subscriptions/inquireSubscriptionPayment', { subscriptionId });
      expect(payments.body).toEqual({
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
        payments: [{ paymentId: paid.paymentId, status: 'SUCCESS', phaseNo: 1, paymentMethod: { paymentMethodType: 'GCASH' }, paymentAmount: { currency: 'USD', value: '1000' }, paymentTime: paid.paymentTime }],
        paginator: { currentPage: 1, pageSize: 10, totalPage: 1, totalCount: 1 },
      });
      await expectLedgerSound();
    });

    it('refuses what Antom refuses, and a subscription the buyer refuses, or never authorises, ends TERMINATED (notified without subscriptionId)', async () => {
      const m = await merchant();
      const now = clock.now();
      const refusals: Array<[Record<string, unknown>, string, string]> = [
        [{ subscriptionEndTime: cst(now - DAY) }, 'PARAM_ILLEGAL', 'subscriptionEndTime'],
        [{ subscriptionExpiryTime: cst(now + 49 * 3_600_000) }, 'PARAM_ILLEGAL', 'subscriptionExpiryTime'],
        [{ subscriptionExpiryTime: cst(now - 60_000) }, 'PARAM_ILLEGAL', 'subscriptionExpiryTime'],
        [{ subscriptionStartTime: 'next week' }, 'PARAM_ILLEGAL', 'subscriptionStartTime'],
        [{ periodRule: { periodType: 'FORTNIGHT', periodCount: 1 } }, 'PARAM_ILLEGAL', 'periodRule.periodType'],
        [{ periodRule: { periodType: 'MONTH', periodCount: 0 } }, 'PARAM_ILLEGAL', 'periodRule.periodCount'],
        [{ paymentAmount: { currency: 'USD', value: '0' } }, 'PARAM_ILLEGAL', 'paymentAmount.value'],
        [{ trials: [{ trialStartPeriod: 1, trialAmount: { currency: 'EUR', value: '0' } }] }, 'CURRENCY_NOT_SUPPORT', 'trials[0].trialAmount.currency'],
        [{ trials: [{ trialStartPeriod: 1, trialAmount: { currency: 'USD', value: '2000' } }] }, 'PARAM_ILLEGAL', 'trials[0].trialAmount.value'],
        [{ trials: [{ trialStartPeriod: 1, trialEndPeriod: 3, trialAmount: { currency: 'USD', value: '0' } }, { trialStartPeriod: 3, trialAmount: { currency: 'USD', value: '10' } }] }, 'PARAM_ILLEGAL', 'trials'],
        [{ settlementStrategy: { settlementCurrency: 'ZAR' } }, 'SETTLE_CONTRACT_NOT_MATCH', 'ZAR'],
        [{ subscriptionNotificationUrl: undefined }, 'PARAM_ILLEGAL', 'subscriptionNotificationUrl'],
        [{ env: { terminalType: 'WAP' } }, 'PARAM_ILLEGAL', 'env.osType'],
      ];
      for (const [overrides, code, field] of refusals) {
        const answer = await m.call('subscriptions/create', createBody(overrides));
        expect(answer.body.result, JSON.stringify(overrides)).toMatchObject({ resultCode: code, resultStatus: 'F' });
        expect(answer.body.result.resultMessage).toContain(field);
      }

      // Refused by the buyer.
      const refused = await create(m);
      const decided = await control(`/sandbox/subscriptions/${refused.subscriptionId}/refuse`);
      expect(decided.body).toMatchObject({ status: 'TERMINATED', redirectUrl: 'https://merchant.example/subscribed?from=amsgate' });
      // Never authorised: closed at its expiry (10 minutes here), by the due work.
      const expiring = await create(m, { subscriptionExpiryTime: cst(clock.now() + 10 * 60_000) });
      await advance('11m');
      const page = await fetch(`${t.baseUrl}/subscribe/${expiring.subscriptionId}`);
      expect(await page.text()).toContain('TERMINATED');
      expect((await agree(expiring.subscriptionId)).body.result).toMatchObject({ resultCode: 'PROCESS_FAIL' });
      // Abandoned by the merchant before the buyer decided.
      const abandoned = await create(m);
      expect((await m.call('subscriptions/cancel', { subscriptionRequestId: abandoned.body.subscriptionRequestId, cancellationType: 'CANCEL' })).body.result.resultCode).toBe('SUCCESS');

      const notices = await m.fresh();
      expect(notices.map((n) => [n.body.subscriptionRequestId, n.body.subscriptionStatus, n.body.subscriptionNotificationType, n.body.result, 'subscriptionId' in n.body])).toEqual([
        [refused.body.subscriptionRequestId, 'TERMINATED', 'CREATE', { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: 'The buyer refused the subscription' }, false],
        [expiring.body.subscriptionRequestId, 'TERMINATED', 'CREATE', { resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F', resultMessage: 'The buyer did not authorise the subscription before subscriptionExpiryTime' }, false],
        [abandoned.body.subscriptionRequestId, 'TERMINATED', 'CREATE', { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: 'The merchant cancelled the subscription before the buyer authorised it' }, false],
      ]);
      for (const notice of notices) expectKind(notice, 'notifySubscription');
      expect((await m.call('subscriptions/inquiry', { subscriptionRequestId: refused.body.subscriptionRequestId })).body.subscriptionStatus).toBe('TERMINATED');

      // Unknown subscriptions, or another merchant's.
      const other = await merchant();
      for (const [endpoint, request, code] of [
        ['subscriptions/inquiry', { subscriptionId: refused.subscriptionId }, 'SUBSCRIPTION_NOT_EXIST'],
        ['subscriptions/inquiry', { subscriptionRequestId: 'nope' }, 'SUBSCRIPTION_NOT_EXIST'],
        ['subscriptions/inquireSubscription', { subscriptionId: 'SUB-NOPE' }, 'SUBSCRIPTION_NOT_EXIST'],
        ['payments/inquire', { merchantSubscriptionId: refused.body.subscriptionRequestId }, 'SUBSCRIPTION_NOT_EXIST'],
        ['subscriptions/change', { subscriptionChangeRequestId: uniqueId('chg'), subscriptionId: refused.subscriptionId }, 'SUBSCRIPTION_NOT_EXIST'],
        ['subscriptions/update', { subscriptionUpdateRequestId: uniqueId('upd'), subscriptionId: refused.subscriptionId, orderInfo: { orderAmount: { currency: 'USD', value: '1' } } }, 'SUBSCRIPTION_NOT_EXIST'],
        ['subscriptions/cancel', { subscriptionId: refused.subscriptionId, cancellationType: 'TERMINATE' }, 'PROCESS_FAIL'],
        ['subscriptions/inquiry', {}, 'PARAM_ILLEGAL'],
        ['payments/inquire', {}, 'PARAM_ILLEGAL'],
        ['subscriptions/cancel', { cancellationType: 'CANCEL' }, 'PARAM_ILLEGAL'],
        ['subscriptions/cancel', { subscriptionId: refused.subscriptionId, cancellationType: 'PAUSE' }, 'PARAM_ILLEGAL'],
        ['subscriptions/inquireSubscriptionPayment', { subscriptionId: refused.subscriptionId, pageSize: 11 }, 'PARAM_ILLEGAL'],
        ['subscriptions/inquireSubscriptionList', { statuses: ['PAUSED'] }, 'PARAM_ILLEGAL'],
      ] as const) {
        const answer = await other.call(endpoint, request);
        expect(answer.body.result, `${endpoint} ${JSON.stringify(request)}`).toMatchObject({ resultCode: code, resultStatus: 'F' });
      }
      // An unknown subscription's payments: an empty list (the docs), not a refusal.
      expect((await other.call('subscriptions/inquireSubscriptionPayment', { subscriptionId: refused.subscriptionId })).body).toMatchObject({ payments: [], paginator: { totalCount: 0, totalPage: 0 } });
      // The sandbox control: unknown subscriptions, codes no payment fails with, ended subscriptions.
      expect((await control('/sandbox/subscriptions/SUB-NOPE/agree')).status).toBe(404);
      expect((await control(`/sandbox/subscriptions/${refused.subscriptionId}/next-payment`, { resultCode: 'NOT_A_CODE' })).status).toBe(400);
      expect((await control(`/sandbox/subscriptions/${refused.subscriptionId}/next-payment`, {})).status).toBe(400);
      expect((await control(`/sandbox/subscriptions/${refused.subscriptionId}/next-payment`, { resultCode: 'USER_BALANCE_NOT_ENOUGH' })).status).toBe(409);
    });

    it('walks 12 monthly periods on the clock, one failed and retried a day later: every payment, refund, journal entry and notification in order', async () => {
      const m = await merchant();
      const start = seconds(clock.now());
      const endsAt = month(start, 12);
      const { subscriptionId, body } = await create(m, {
        subscriptionStartTime: cst(start), subscriptionEndTime: cst(endsAt), allowRetry: true,
        paymentAmount: { currency: 'USD', value: '1500' }, orderInfo: { orderAmount: { currency: 'USD', value: '1500' } },
      });
      expect((await agree(subscriptionId)).body).toMatchObject({ status: 'ACTIVE' });
      const steps: Array<{ notices: Notice[]; label: string }> = [{ label: 'agree', notices: await m.fresh() }];
      for (let phase = 2; phase <= 12; phase++) {
        if (phase === 4) expect((await control(`/sandbox/subscriptions/${subscriptionId}/next-payment`, { resultCode: 'USER_BALANCE_NOT_ENOUGH' })).body).toMatchObject({ nextPaymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
        await advance('1mo');
        steps.push({ label: `month ${phase}`, notices: await m.fresh() });
        if (phase === 4) {
          // Not retried before a day has passed.
          await advance('23h');
          expect(await m.fresh()).toEqual([]);
          await advance('1h');
          steps.push({ label: 'retry', notices: await m.fresh() });
        }
      }
      await advance('1mo');
      steps.push({ label: 'end', notices: await m.fresh() });

      // One step, one notification (two on agreement and for the failed month's retry day), in this order.
      expect(steps.map((step) => [step.label, step.notices.map((n) => n.notifyType)])).toEqual([
        ['agree', ['SUBSCRIPTION_RESULT', 'SUBSCRIPTION_PAYMENT_RESULT']],
        ...[2, 3, 4].map((phase) => [`month ${phase}`, ['SUBSCRIPTION_PAYMENT_RESULT']]),
        ['retry', ['SUBSCRIPTION_PAYMENT_RESULT']],
        ...[5, 6, 7, 8, 9, 10, 11, 12].map((phase) => [`month ${phase}`, ['SUBSCRIPTION_PAYMENT_RESULT']]),
        ['end', ['SUBSCRIPTION_RESULT']],
      ]);
      const all = steps.flatMap((step) => step.notices);
      for (let i = 1; i < all.length; i++) expect(all[i]!.at).toBeGreaterThan(all[i - 1]!.at);
      const payments = all.filter((n) => n.notifyType === 'SUBSCRIPTION_PAYMENT_RESULT');
      expect(payments).toHaveLength(13);
      const expected = [
        ...[1, 2, 3].map((phase) => ({ phase, attempt: 1, code: 'SUCCESS' })),
        { phase: 4, attempt: 1, code: 'USER_BALANCE_NOT_ENOUGH' },
        { phase: 4, attempt: 2, code: 'SUCCESS' },
        ...[5, 6, 7, 8, 9, 10, 11, 12].map((phase) => ({ phase, attempt: 1, code: 'SUCCESS' })),
      ];
      const failedAt = month(start, 3);
      payments.forEach((notice, i) => {
        const { phase, attempt, code } = expected[i]!;
        expectKind(notice, 'notifySubscriptionPayment');
        const at = phase === 1 ? notice.at : attempt === 2 ? failedAt + DAY : month(start, phase - 1);
        expect(notice.at, `payment ${i}`).toBe(at);
        const paymentId = notice.body.paymentId as string;
        const resultMessage = code === 'SUCCESS' ? 'success' : 'The user balance is not enough';
        expect(notice.body, `payment ${i}`).toEqual({
          notifyType: 'PAYMENT_RESULT',
          result: { resultCode: code, resultStatus: code === 'SUCCESS' ? 'S' : 'F', resultMessage },
          paymentRequestId: `${subscriptionId}-${phase}-${attempt}`,
          paymentId,
          // The sandbox acquirer's answer, as on every paid or declined payment's notifyPayment.
          acquirerReferenceNo: acquirerTransactionIdOf(paymentId),
          acquirerInfo: acquirerInfoOf({ clientId: m.clientId, operationId: paymentId, resultCode: code, resultMessage }),
          paymentAmount: { currency: 'USD', value: '1500' },
          paymentCreateTime: utc(at),
          ...(code === 'SUCCESS' ? { paymentTime: utc(at) } : {}),
          paymentMethodType: 'GCASH',
          ...(code === 'SUCCESS' ? { actualPaymentAmount: { currency: 'PHP', value: '84000' }, paymentQuote: notice.body.paymentQuote } : {}),
          subscriptionOrderId: `${subscriptionId.slice(3)}${String(phase).padStart(3, '0')}`,
          retryInfo: {
            availableRetries: phase === 4 && attempt === 1 ? 1 : 0,
            orderId: `${subscriptionId.slice(3)}${String(phase).padStart(3, '0')}`,
            paymentAttempts: phase === 4 && attempt === 2
              ? [{ attemptAt: utc(failedAt), attemptResponse: 'USER_BALANCE_NOT_ENOUGH' }, { attemptAt: utc(at), attemptResponse: 'SUCCESS' }]
              : [{ attemptAt: utc(at), attemptResponse: code }],
          },
          subscriptionRequestId: body.subscriptionRequestId,
          subscriptionId,
          periodStartTime: cst(month(start, phase - 1)),
          periodEndTime: cst(month(start, phase)),
          phaseNo: String(phase),
        });
      });
      expect(all[0]!.body).toMatchObject({ subscriptionNotificationType: 'CREATE', subscriptionStatus: 'ACTIVE', subscriptionEndTime: cst(endsAt) });
      expect(all[all.length - 1]!.body).toEqual({
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'The subscription reached its subscriptionEndTime' },
        subscriptionRequestId: body.subscriptionRequestId,
        subscriptionId,
        subscriptionStatus: 'TERMINATED',
        subscriptionNotificationType: 'TERMINATE',
        subscriptionStartTime: cst(start),
        subscriptionEndTime: cst(endsAt),
        periodRule: { periodType: 'MONTH', periodCount: 1 },
      });
      expect(all[all.length - 1]!.at).toBe(endsAt);

      // Every payment is a payment: inquired, refunded, journalled.
      for (const [i, notice] of payments.entries()) {
        const inquiry = await m.call('payments/inquiryPayment', { paymentRequestId: notice.body.paymentRequestId });
        expect(inquiry.body, `payment ${i}`).toMatchObject({ paymentStatus: expected[i]!.code === 'SUCCESS' ? 'SUCCESS' : 'FAIL', paymentId: notice.body.paymentId, paymentAmount: { currency: 'USD', value: '1500' } });
        if (expected[i]!.code !== 'SUCCESS') expect(inquiry.body).toMatchObject({ paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
      }
      const refunded = payments[1]!.body.paymentId as string;
      const refund = await m.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId: refunded, refundAmount: { currency: 'USD', value: '500' } });
      expect(refund.body.result.resultCode).toBe('SUCCESS');
      const ledger = await checkLedger(t.gateway.database, { derivedBalances: true });
      expect(ledger.violations).toEqual([]);
      expect(ledger.payments.get(refunded)).toMatchObject({ paid: 1500n, refunded: 500n, merchant: 1000n });
      expect(ledger.payments.has(payments[3]!.body.paymentId as string)).toBe(false);
      expect(payments.filter((_, i) => expected[i]!.code === 'SUCCESS').every((n) => ledger.payments.get(n.body.paymentId as string)?.paid === 1500n)).toBe(true);
      expect((await m.fresh()).map((n) => n.notifyType)).toEqual(['REFUND_RESULT']);

      // Its payments, a page at a time, newest first; failures only.
      const page1 = await m.call('subscriptions/inquireSubscriptionPayment', { subscriptionId });
      expect(page1.body.paginator).toEqual({ currentPage: 1, pageSize: 10, totalPage: 2, totalCount: 13 });
      expect((page1.body.payments as Array<{ phaseNo: number }>).map((p) => p.phaseNo)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 4]);
      const page2 = await m.call('subscriptions/inquireSubscriptionPayment', { subscriptionId, currentPage: 2 });
      expect((page2.body.payments as Array<{ phaseNo: number }>).map((p) => p.phaseNo)).toEqual([3, 2, 1]);
      const failed = await m.call('subscriptions/inquireSubscriptionPayment', { subscriptionId, paymentStatuses: ['FAIL'], pageSize: 5 });
      expect(failed.body).toMatchObject({ payments: [{ paymentId: payments[3]!.body.paymentId, status: 'FAIL', phaseNo: 4 }], paginator: { currentPage: 1, pageSize: 5, totalPage: 1, totalCount: 1 } });
      expect((failed.body.payments as Array<Record<string, unknown>>)[0]).not.toHaveProperty('paymentTime');

      expect((await m.call('subscriptions/inquireSubscription', { subscriptionId })).body.subscription).toMatchObject({ status: 'TERMINATED', currentPhaseNo: 12 });
      // Nothing more falls due.
      await advance('1mo');
      expect(await m.fresh()).toEqual([]);
    });

    it('a failed period without a retry (another code, or retries not allowed) terminates the subscription, after its payment', async () => {
      const m = await merchant();
      const { subscriptionId, body } = await create(m, { allowRetry: true });
      await agree(subscriptionId);
      await m.fresh();
      await control(`/sandbox/subscriptions/${subscriptionId}/next-payment`, { resultCode: 'RISK_REJECT' });
      await advance('1mo');
      const notices = await m.fresh();
      expect(notices.map((n) => [n.notifyType, (n.body.result as { resultCode: string }).resultCode, n.body.subscriptionNotificationType])).toEqual([
        ['SUBSCRIPTION_PAYMENT_RESULT', 'RISK_REJECT', undefined],
        ['SUBSCRIPTION_RESULT', 'RISK_REJECT', 'TERMINATE'],
      ]);
      expect(notices[0]!.body).toMatchObject({ phaseNo: '2', retryInfo: { availableRetries: 0 } });
      expect(notices[1]!.body).toMatchObject({ subscriptionId, subscriptionStatus: 'TERMINATED', subscriptionRequestId: body.subscriptionRequestId });
      expect(notices[1]!.at).toBe(notices[0]!.at + 1);
      await advance('1mo');
      expect(await m.fresh()).toEqual([]);

      const noRetry = await create(m);
      await agree(noRetry.subscriptionId);
      await control(`/sandbox/subscriptions/${noRetry.subscriptionId}/next-payment`, { resultCode: 'USER_BALANCE_NOT_ENOUGH' });
      await advance('1mo');
      const ended = (await m.fresh()).filter((n) => n.body.subscriptionId === noRetry.subscriptionId);
      expect(ended.map((n) => n.body.subscriptionNotificationType ?? n.body.phaseNo)).toEqual(['CREATE', '1', '2', 'TERMINATE']);
      expect(ended[2]!.body).not.toHaveProperty('retryInfo');
      await expectLedgerSound();
    });

    it('trials: a free first period, then discounted ones, then the full amount; a trial that began before the buyer agreed', async () => {
      const m = await merchant();
      const start = seconds(clock.now());
      const { subscriptionId } = await create(m, {
        subscriptionStartTime: cst(start),
        trials: [{ trialStartPeriod: 1, trialAmount: { currency: 'USD', value: '0' } }, { trialStartPeriod: 2, trialEndPeriod: 3, trialAmount: { currency: 'USD', value: '500' } }],
      });
      await agree(subscriptionId);
      // The free period is not charged: no payment, no notifyPayment.
      expect((await m.fresh()).map((n) => n.body.subscriptionNotificationType)).toEqual(['CREATE']);
      const amounts: string[] = [];
      for (let i = 0; i < 3; i++) {
        await advance('1mo');
        amounts.push(...(await m.fresh()).map((n) => `${n.body.phaseNo}:${(n.body.paymentAmount as { value: string }).value}`));
      }
      expect(amounts).toEqual(['2:500', '3:500', '4:1000']);
      const info = (await m.call('subscriptions/inquireSubscription', { subscriptionId })).body.subscription as Record<string, unknown>;
      expect(info.trials).toEqual([
        { trialStartPeriod: 1, trialEndPeriod: 1, trialAmount: { currency: 'USD', value: '0' } },
        { trialStartPeriod: 2, trialEndPeriod: 3, trialAmount: { currency: 'USD', value: '500' } },
      ]);
      expect(info.trialPlan).toEqual({
        trialEndTime: cst(month(start, 3)),
        // The free first period's length in days: a calendar month from the start (28 to 31 days, by the month the clock is in).
        freeTrialDays: Math.round((month(start, 1) - start) / DAY),
        phases: [
          { phaseNo: 1, trialAmount: { currency: 'USD', value: '0' } },
          { phaseNo: 2, trialAmount: { currency: 'USD', value: '500' } },
          { phaseNo: 3, trialAmount: { currency: 'USD', value: '500' } },
        ],
      });

      // The docs' 7-day free trial: the start set one period before the trial's end, the first period free.
      const trialEnd = seconds(clock.now()) + 7 * DAY;
      const sevenDays = await create(m, { subscriptionStartTime: cst(month(trialEnd, -1)), trials: [{ trialStartPeriod: 1, trialAmount: { currency: 'USD', value: '0' } }] });
      await agree(sevenDays.subscriptionId);
      expect((await m.fresh()).map((n) => n.body.subscriptionNotificationType ?? n.body.phaseNo)).toEqual(['CREATE']);
      await advance('6d');
      expect(await m.fresh()).toEqual([]);
      await advance('1d');
      const first = await m.fresh();
      expect(first.map((n) => [n.body.phaseNo, (n.body.paymentAmount as { value: string }).value, n.at])).toEqual([['2', '1000', trialEnd]]);
      await expectLedgerSound();
    });

    it('update: a new amount from the next period, proration charged or refunded now, the next date moved (within the rules); UPDATE notified', async () => {
      const m = await merchant();
      const start = seconds(clock.now());
      const { subscriptionId } = await create(m, { subscriptionStartTime: cst(start) });
      await agree(subscriptionId);
      const firstPaymentId = (await m.fresh())[1]!.body.paymentId as string;
      const update = (fields: Record<string, unknown>) =>
        m.call('subscriptions/update', { subscriptionUpdateRequestId: uniqueId('upd'), subscriptionId, orderInfo: { orderAmount: { currency: 'USD', value: '1200' } }, ...fields });

      const upgraded = { subscriptionUpdateRequestId: uniqueId('upd'), subscriptionId, paymentAmount: { currency: 'USD', value: '1200' }, orderInfo: { orderAmount: { currency: 'USD', value: '1200' } }, prorationSettings: { prorationMode: 'IMMEDIATE_PAY_CUSTOM_AMOUNT', customAmount: { currency: 'USD', value: '100' } } };
      expect((await m.call('subscriptions/update', upgraded)).body.result.resultCode).toBe('SUCCESS');
      // A repeat changes and charges nothing more; another amount under the same id is inconsistent.
      expect((await m.call('subscriptions/update', upgraded)).body.result.resultCode).toBe('SUCCESS');
      expect((await m.call('subscriptions/update', { ...upgraded, paymentAmount: { currency: 'USD', value: '1300' } })).body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      const afterUpgrade = await m.fresh();
      expect(afterUpgrade.map((n) => n.body.subscriptionNotificationType ?? `${n.body.paymentRequestId}:${(n.body.paymentAmount as { value: string }).value}`)).toEqual(['UPDATE', `${subscriptionId}-P1-1:100`]);
      expect(afterUpgrade[1]!.body).toMatchObject({ phaseNo: '1', periodStartTime: cst(start), periodEndTime: cst(month(start, 1)) });

      // The refund of a downgrade comes from the last paid period.
      const downgraded = await update({ paymentAmount: { currency: 'USD', value: '800' }, prorationSettings: { prorationMode: 'IMMEDIATE_REFUND_CUSTOM_AMOUNT', customAmount: { currency: 'USD', value: '200' } } });
      expect(downgraded.body.result.resultCode).toBe('SUCCESS');
      expect((await m.fresh()).map((n) => n.notifyType)).toEqual(['REFUND_RESULT', 'SUBSCRIPTION_RESULT']);
      expect((await checkLedger(t.gateway.database)).payments.get(firstPaymentId)).toMatchObject({ paid: 1000n, refunded: 200n });

      for (const [fields, code, text] of [
        [{ nextSubscriptionDate: cst(clock.now() + 3_600_000) }, 'PROCESS_FAIL', '24 hours'],
        [{ nextSubscriptionDate: cst(month(start, 1) + 40 * DAY) }, 'PROCESS_FAIL', 'one period'],
        [{ paymentAmount: { currency: 'EUR', value: '800' } }, 'CURRENCY_NOT_SUPPORT', 'paymentAmount.currency'],
        [{ prorationSettings: { prorationMode: 'IMMEDIATE_PAY_CUSTOM_AMOUNT' } }, 'PARAM_ILLEGAL', 'prorationSettings.customAmount'],
        [{ prorationSettings: { prorationMode: 'IMMEDIATE_REFUND_CUSTOM_AMOUNT', customAmount: { currency: 'USD', value: '5000' } } }, 'REFUND_AMOUNT_EXCEED', 'refundAmount'],
        [{ subscriptionEndTime: cst(clock.now() - DAY) }, 'PARAM_ILLEGAL', 'subscriptionEndTime'],
      ] as const) {
        const refused = await update(fields);
        expect(refused.body.result, JSON.stringify(fields)).toMatchObject({ resultCode: code });
        expect(refused.body.result.resultMessage).toContain(text);
      }
      expect(await m.fresh()).toEqual([]);

      // The next deduction moved 5 days later; the new amount (800) from that period.
      const moved = month(start, 1) + 5 * DAY;
      expect((await update({ nextSubscriptionDate: cst(moved) })).body.result.resultCode).toBe('SUCCESS');
      expect((await m.fresh()).map((n) => n.body.subscriptionNotificationType)).toEqual(['UPDATE']);
      await advance('1mo');
      expect(await m.fresh()).toEqual([]);
      await advance('5d');
      const next = await m.fresh();
      expect(next.map((n) => [n.body.phaseNo, (n.body.paymentAmount as { value: string }).value, n.body.periodStartTime, n.body.periodEndTime, n.at])).toEqual([
        ['2', '800', cst(moved), cst(month(moved, 1)), moved],
      ]);
      // A new period rule from the next period on: weekly.
      expect((await update({ periodRule: { periodType: 'WEEK', periodCount: 1 } })).body.result.resultCode).toBe('SUCCESS');
      await m.fresh();
      await advance('1mo');
      expect((await m.fresh()).map((n) => [n.body.phaseNo, n.body.periodStartTime, n.body.periodEndTime])).toEqual([['3', cst(month(moved, 1)), cst(month(moved, 1) + 7 * DAY)]]);
      await expectLedgerSound();
    });

    it('change: a new subscription replaces the active one (its first period charges the difference); cancel CANCEL then TERMINATE stops it; refusals by status', async () => {
      const m = await merchant();
      const { subscriptionId, body } = await create(m);
      await agree(subscriptionId);
      await m.fresh();
      const changeRequest = {
        subscriptionChangeRequestId: uniqueId('chg'), subscriptionId, paymentAmount: { currency: 'USD', value: '2000' }, paymentAmountDifference: { currency: 'USD', value: '1000' },
        subscriptionDescription: 'Coffee and cake every month',
      };
      expect((await m.call('subscriptions/change', changeRequest)).body.result.resultCode).toBe('SUCCESS');
      expect((await m.call('subscriptions/change', changeRequest)).body.result.resultCode).toBe('SUCCESS');
      const changed = await m.fresh();
      expect(changed.map((n) => n.notifyType)).toEqual(['SUBSCRIPTION_RESULT', 'SUBSCRIPTION_PAYMENT_RESULT']);
      const newId = changed[0]!.body.subscriptionId as string;
      expect(newId).not.toBe(subscriptionId);
      expect(changed[0]!.body).toMatchObject({ subscriptionNotificationType: 'CHANGE', subscriptionStatus: 'ACTIVE', subscriptionRequestId: body.subscriptionRequestId });
      expect(changed[1]!.body).toMatchObject({ subscriptionId: newId, phaseNo: '1', paymentAmount: { currency: 'USD', value: '1000' } });
      const info = (await m.call('subscriptions/inquireSubscription', { subscriptionId: newId })).body.subscription;
      expect(info).toMatchObject({ status: 'ACTIVE', relatedSubscriptionId: subscriptionId, subscriptionDescription: 'Coffee and cake every month', paymentAmount: { currency: 'USD', value: '2000' } });
      expect((await m.call('subscriptions/inquireSubscription', { subscriptionId })).body.subscription).toMatchObject({ status: 'TERMINATED' });
      // The subscriptionRequestId now names the new one.
      expect((await m.call('payments/inquire', { merchantSubscriptionId: body.subscriptionRequestId })).body.subscriptionId).toBe(newId);
      // The replaced one cannot be changed again.
      expect((await m.call('subscriptions/change', { subscriptionChangeRequestId: uniqueId('chg'), subscriptionId })).body.result.resultCode).toBe('PROCESS_FAIL');

      await advance('1mo');
      expect((await m.fresh()).map((n) => [n.body.subscriptionId, n.body.phaseNo, (n.body.paymentAmount as { value: string }).value])).toEqual([[newId, '2', '2000']]);

      expect((await m.call('subscriptions/cancel', { subscriptionId: newId, cancellationType: 'CANCEL' })).body.result.resultCode).toBe('SUCCESS');
      expect((await m.call('subscriptions/cancel', { subscriptionId: newId, cancellationType: 'CANCEL' })).body.result.resultCode).toBe('SUCCESS');
      const cancelled = await m.fresh();
      expect(cancelled.map((n) => n.body.subscriptionNotificationType ?? n.body.subscriptionOrderStatus)).toEqual(['CANCEL', 'CANCEL']);
      expect(cancelled[0]!.body).toMatchObject({ subscriptionId: newId, subscriptionStatus: 'CANCELLED' });
      expectKind(cancelled[1]!, 'notifySubscriptionCancel');
      const lastPaid = (await m.call('subscriptions/inquireSubscriptionPayment', { subscriptionId: newId, pageSize: 1 })).body.payments as Array<{ paymentId: string; paymentTime: string }>;
      expect(cancelled[1]!.body).toEqual({
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'The subscription is cancelled; no period is charged after the current one' },
        subscriptionId: newId,
        subscriptionRequestId: body.subscriptionRequestId,
        subscriptionOrderStatus: 'CANCEL',
        paymentAmount: { currency: 'USD', value: '2000' },
        paymentCreateTime: lastPaid[0]!.paymentTime,
        paymentTime: lastPaid[0]!.paymentTime,
        periodEndTime: expect.stringMatching(/\+08:00$/),
        phaseNo: '2',
        subscriptionOrderId: `${newId.slice(3)}002`,
        subscriptionTransId: lastPaid[0]!.paymentId,
      });
      expect((await m.call('subscriptions/inquiry', { subscriptionId: newId })).body.subscriptionStatus).toBe('CANCELLED');
      for (const [endpoint, request] of [
        ['subscriptions/update', { subscriptionUpdateRequestId: uniqueId('upd'), subscriptionId: newId, orderInfo: { orderAmount: { currency: 'USD', value: '1' } } }],
        ['subscriptions/change', { subscriptionChangeRequestId: uniqueId('chg'), subscriptionId: newId }],
      ] as const) {
        expect((await m.call(endpoint, request)).body.result).toMatchObject({ resultCode: 'PROCESS_FAIL', resultStatus: 'F' });
      }
      await advance('1mo');
      expect(await m.fresh()).toEqual([]);
      expect((await m.call('subscriptions/cancel', { subscriptionId: newId, cancellationType: 'TERMINATE' })).body.result.resultCode).toBe('SUCCESS');
      expect((await m.fresh()).map((n) => n.body.subscriptionNotificationType ?? n.body.subscriptionOrderStatus)).toEqual(['TERMINATE', 'TERMINATE']);
      expect((await m.call('subscriptions/cancel', { subscriptionId: newId, cancellationType: 'TERMINATE' })).body.result.resultCode).toBe('SUCCESS');
      const refused = await m.call('subscriptions/cancel', { subscriptionId: newId, cancellationType: 'CANCEL' });
      expect(refused.body.result).toMatchObject({ resultCode: 'PROCESS_FAIL', resultStatus: 'F' });
      expect(await m.fresh()).toEqual([]);
      await expectLedgerSound();
    });

    it('inquireSubscriptionList: by start time, status, method, currency and period type, a page at a time', async () => {
      const m = await merchant();
      const from = clock.now();
      const made: string[] = [];
      for (const [periodType, currency, method] of [['MONTH', 'USD', 'GCASH'], ['YEAR', 'USD', 'GCASH'], ['WEEK', 'EUR', 'ALIPAY_HK'], ['MONTH', 'EUR', 'GCASH']] as const) {
        const { subscriptionId } = await create(m, { periodRule: { periodType, periodCount: 1 }, paymentAmount: { currency, value: '700' }, orderInfo: { orderAmount: { currency, value: '700' } }, paymentMethod: { paymentMethodType: method }, settlementStrategy: {} });
        await agree(subscriptionId);
        made.push(subscriptionId);
      }
      await m.call('subscriptions/cancel', { subscriptionId: made[3], cancellationType: 'TERMINATE' });
      const list = async (filter: Record<string, unknown>) => {
        const answer = await m.call('subscriptions/inquireSubscriptionList', { startTimeFrom: cst(from - 1000), ...filter });
        expect(answer.body.result.resultCode).toBe('SUCCESS');
        return { ids: (answer.body.subscriptions as Array<{ subscriptionId: string }>).map((s) => s.subscriptionId), paginator: answer.body.paginator };
      };
      expect(await list({})).toEqual({ ids: [...made].reverse(), paginator: { currentPage: 1, pageSize: 10, totalPage: 1, totalCount: 4 } });
      expect((await list({ statuses: ['TERMINATED'] })).ids).toEqual([made[3]]);
      expect((await list({ statuses: ['ACTIVE'], currencies: ['USD'] })).ids).toEqual([made[1], made[0]]);
      expect((await list({ periodTypes: ['WEEK', 'YEAR'] })).ids).toEqual([made[2], made[1]]);
      expect((await list({ paymentMethodTypes: ['ALIPAY_HK'] })).ids).toEqual([made[2]]);
      expect(await list({ pageSize: 3, currentPage: 2 })).toEqual({ ids: [made[0]], paginator: { currentPage: 2, pageSize: 3, totalPage: 2, totalCount: 4 } });
      // Times on the wire are whole seconds: a second before `from` is before every one of them.
      expect((await list({ startTimeTo: cst(from - 1000) })).ids).toEqual([]);
      // By default: subscriptions that started in the last 7 days.
      const recent = await m.call('subscriptions/inquireSubscriptionList', {});
      expect((recent.body.paginator as { totalCount: number }).totalCount).toBe(4);
      const refused = await m.call('subscriptions/inquireSubscriptionList', { startTimeFrom: cst(from), startTimeTo: cst(from - DAY) });
      expect(refused.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
    });
  });
});

describe.skipIf(!postgresOk)('two gateway processes on one PostgreSQL', () => {
  it('advancing the same clock, make each period\'s payment exactly once, in order', async () => {
    const schema = `s_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const realStart = Date.now();
    const clock = new SandboxClock({ now: () => BASE + (Date.now() - realStart) });
    const common = { port: 0, httpsPort: null, logger: false as const, sweepIntervalMs: 0, notifyDispatch: false, databaseUrl: POSTGRES_URL, databaseSchema: schema, clock };
    const a = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-sa-')) });
    const b = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-sb-')) });
    try {
      await a.start();
      await b.start();
      const created = await a.clients.create({ sandbox: true });
      const clientId = created.client.clientId;
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const answer = await a.run('subscriptions/create', clientId, {
          subscriptionRequestId: uniqueId('twin'), subscriptionDescription: 'Daily paper', subscriptionRedirectUrl: 'https://merchant.example/done',
          subscriptionStartTime: formatResponseTime(clock.now(), CST), periodRule: { periodType: i % 2 === 0 ? 'DAY' : 'WEEK', periodCount: 1 }, paymentMethod: { paymentMethodType: 'GCASH' },
          subscriptionNotificationUrl: 'https://merchant.example/n', paymentNotificationUrl: 'https://merchant.example/p',
          orderInfo: { orderAmount: { currency: 'USD', value: '100' } }, paymentAmount: { currency: 'USD', value: '100' }, settlementStrategy: {}, env: { terminalType: 'WEB' },
        });
        const id = (answer.normalUrl as string).split('/').pop()!;
        await (i % 2 === 0 ? a : b).subscriptions.decide(id, true);
        ids.push(id);
      }
      // 60 days at once: each process runs the due work, concurrently, twice.
      clock.advance(60 * DAY);
      await Promise.all([a.runDueWork(), b.runDueWork(), a.runDueWork(), b.runDueWork()]);
      for (const [i, id] of ids.entries()) {
        const payments = await a.subscriptions.paymentsOf(id);
        const phases = payments.map((payment) => payment.phaseNo).reverse();
        const expected = i % 2 === 0 ? 61 : 9;
        expect(phases, id).toEqual(Array.from({ length: expected }, (_, k) => k + 1));
        const notified = await a.database.db.selectFrom('notifications').select('event_key').where('client_id', '=', clientId).where('notify_type', '=', 'SUBSCRIPTION_PAYMENT_RESULT').execute();
        expect(new Set(notified.map((n) => n.event_key)).size).toBe(notified.length);
        // In order: each phase's payment made at its start, later phases later.
        const times = payments.map((payment) => payment.createdAt).reverse();
        expect([...times].sort((x, y) => x - y)).toEqual(times);
      }
      const paymentsTotal = await a.database.db.selectFrom('payments').select((e) => e.fn.countAll<string>().as('n')).where('client_id', '=', clientId).executeTakeFirst();
      expect(Number(paymentsTotal?.n)).toBe(61 * 2 + 9 * 2);
      expect((await checkLedger(a.database)).violations).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(schema);
    }
  });
});
