/**
 * `amsgate sandbox subscription agree | refuse | fail-next` and
 * `amsgate sandbox clock advance 1mo` go through the running sandbox
 * gateway's control API: the buyer's answer, a failing next payment, and a
 * calendar month on the gateway's clock that makes the next period's
 * payment (and a day more, its retry); `amsgate call` knows the
 * subscription methods by the names the definitions give.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/commands/serve.js';
import { subscriptionIdOf } from '../src/commands/subscriptions.js';
import { run, signedPost, startSandbox, type SandboxCredentials } from './helpers.js';

const DAY = 86_400_000;

describe('amsgate sandbox subscription (through the control API)', () => {
  let dataDir: string;
  let server: RunningServer;
  let credentials: SandboxCredentials;

  beforeAll(async () => {
    ({ dataDir, server, credentials } = await startSandbox('amsgate-sandbox-subscription-'));
  });
  afterAll(async () => server?.stop());

  async function ams(endpoint: string, body: unknown): Promise<Record<string, unknown> & { result: { resultCode: string } }> {
    const response = await signedPost(credentials.baseUrl, credentials, `/ams/api/v1/${endpoint}`, body);
    return (await response.json()) as Record<string, unknown> & { result: { resultCode: string } };
  }

  async function clock(): Promise<{ now: string; offsetMs: number }> {
    const shown = await run(['sandbox', 'clock', 'show', '--json', '--data-dir', dataDir]);
    expect(shown.code, shown.text).toBe(0);
    return JSON.parse(shown.out.join('\n')) as { now: string; offsetMs: number };
  }

  async function create(allowRetry: boolean): Promise<string> {
    const answer = await ams('subscriptions/create', {
      subscriptionRequestId: `cli-sub-${Date.now()}-${Math.random()}`, subscriptionDescription: 'Coffee beans every month', subscriptionRedirectUrl: 'https://merchant.example/subscribed',
      subscriptionStartTime: (await clock()).now, periodRule: { periodType: 'MONTH', periodCount: 1 }, paymentMethod: { paymentMethodType: 'GCASH' },
      subscriptionNotificationUrl: 'https://merchant.example/notify', paymentNotificationUrl: 'https://merchant.example/notify',
      orderInfo: { orderAmount: { currency: 'USD', value: '1000' } }, paymentAmount: { currency: 'USD', value: '1000' }, settlementStrategy: { settlementCurrency: 'USD' },
      env: { terminalType: 'WEB' }, allowRetry,
    });
    expect(answer.result.resultCode).toBe('SUCCESS');
    return answer.normalUrl as string;
  }

  /** The subscription's payments, newest first, by `amsgate call` with the client method name the definition gives. */
  async function paymentsOf(subscriptionId: string): Promise<Array<[number, string]>> {
    const called = await run(['call', 'subscriptions.inquireSubscriptionPayment', '--data', JSON.stringify({ subscriptionId }), '--json', '--data-dir', dataDir]);
    expect(called.code, called.text).toBe(0);
    const { response } = JSON.parse(called.out.join('\n')) as { response: { payments: Array<{ phaseNo: number; status: string }> } };
    return response.payments.map((payment) => [payment.phaseNo, payment.status]);
  }

  it('agree NORMAL_URL, fail-next, clock advance 1mo: the second month\'s payment fails with the code, its retry a day later pays', async () => {
    const normalUrl = await create(true);
    const subscriptionId = subscriptionIdOf(normalUrl);
    expect(normalUrl).toBe(`${credentials.baseUrl}/subscribe/${subscriptionId}`);
    const agreed = await run(['sandbox', 'subscription', 'agree', normalUrl, '--data-dir', dataDir]);
    expect(agreed.code, agreed.text).toBe(0);
    expect(agreed.out).toEqual([`Subscription ${subscriptionId} is ACTIVE: the running period is paid now, each next one when the sandbox clock reaches it`]);
    expect(await paymentsOf(subscriptionId)).toEqual([[1, 'SUCCESS']]);

    const failing = await run(['sandbox', 'subscription', 'fail-next', subscriptionId, '--result-code', 'USER_BALANCE_NOT_ENOUGH', '--data-dir', dataDir]);
    expect(failing.code, failing.text).toBe(0);
    expect(failing.out).toEqual([`The next payment of subscription ${subscriptionId} fails with USER_BALANCE_NOT_ENOUGH`]);

    const before = await clock();
    const advanced = await run(['sandbox', 'clock', 'advance', '1mo', '--json', '--data-dir', dataDir]);
    expect(advanced.code, advanced.text).toBe(0);
    // A calendar month from the sandbox time: a whole number of days, 28 to 31.
    const moved = (JSON.parse(advanced.out.join('\n')) as { offsetMs: number }).offsetMs - before.offsetMs;
    expect(moved % DAY).toBe(0);
    expect(moved / DAY).toBeGreaterThanOrEqual(28);
    expect(moved / DAY).toBeLessThanOrEqual(31);
    expect(await paymentsOf(subscriptionId)).toEqual([[2, 'FAIL'], [1, 'SUCCESS']]);

    expect((await run(['sandbox', 'clock', 'advance', '1d', '--data-dir', dataDir])).code).toBe(0);
    expect(await paymentsOf(subscriptionId)).toEqual([[2, 'SUCCESS'], [2, 'FAIL'], [1, 'SUCCESS']]);
  });

  it('refuse --json; a decided subscription is refused (exit 1); an unknown one, a code no payment fails with, no code (exit 2)', async () => {
    const subscriptionId = subscriptionIdOf(await create(false));
    const refused = await run(['sandbox', 'subscription', 'refuse', subscriptionId, '--json', '--data-dir', dataDir]);
    expect(refused.code, refused.text).toBe(0);
    expect(JSON.parse(refused.out.join('\n'))).toEqual({ subscriptionId, status: 'TERMINATED', redirectUrl: 'https://merchant.example/subscribed' });
    expect(await paymentsOf(subscriptionId)).toEqual([]);

    const again = await run(['sandbox', 'subscription', 'agree', subscriptionId, '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toContain('PROCESS_FAIL: The subscription was already decided');
    const ended = await run(['sandbox', 'subscription', 'fail-next', subscriptionId, '--result-code', 'RISK_REJECT', '--data-dir', dataDir]);
    expect(ended.code).toBe(1);
    expect(ended.err.join('\n')).toContain('PROCESS_FAIL');

    const unknown = await run(['sandbox', 'subscription', 'agree', 'SUB_NO_SUCH', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual(['amsgate: SUBSCRIPTION_NOT_EXIST: No subscription SUB_NO_SUCH']);
    const live = subscriptionIdOf(await create(false));
    const badCode = await run(['sandbox', 'subscription', 'fail-next', live, '--result-code', 'SUCCESS', '--data-dir', dataDir]);
    expect(badCode.code).toBe(2);
    expect(badCode.err.join('\n')).toContain('PARAM_ILLEGAL: resultCode');
    const noCode = await run(['sandbox', 'subscription', 'fail-next', live, '--data-dir', dataDir]);
    expect(noCode.code).toBe(2);
    expect(noCode.err.join('\n')).toContain('--result-code');
  });
});
