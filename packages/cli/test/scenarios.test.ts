/**
 * `amsgate sandbox simulate | scenarios | scenarios clear` against a real
 * sandbox gateway serving on port 0.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/commands/serve.js';
import { run, signedPost, startSandbox, type SandboxCredentials } from './helpers.js';

describe('sandbox scenario commands', () => {
  let dataDir: string;
  let server: RunningServer;
  let credentials: SandboxCredentials;

  beforeAll(async () => {
    ({ dataDir, server, credentials } = await startSandbox('amsgate-scenarios-cli-'));
  });
  afterAll(async () => server?.stop());

  async function pay(paymentMethodType = 'ALIPAY_CN'): Promise<{ result: { resultCode: string; resultMessage: string }; paymentId?: string }> {
    const body = JSON.stringify({
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: `cli-${Date.now()}-${Math.random()}`,
      paymentAmount: { currency: 'USD', value: '1500' },
      order: { referenceOrderId: 'o-1', orderDescription: 'CLI order', orderAmount: { currency: 'USD', value: '1500' } },
      paymentMethod: { paymentMethodType },
      paymentRedirectUrl: 'https://merchant.example/return',
      env: { terminalType: 'WEB' },
    });
    const response = await signedPost(credentials.baseUrl, credentials, '/ams/api/v1/payments/pay', body);
    return (await response.json()) as { result: { resultCode: string; resultMessage: string }; paymentId?: string };
  }

  it('simulate adds a rule for the sandbox client, scenarios lists it, and it runs out', async () => {
    const added = await run(['sandbox', 'simulate', 'pay', 'user_balance_not_enough', '--times', '1', '--data-dir', dataDir, '--json']);
    expect(added.code, added.text).toBe(0);
    const rule = JSON.parse(added.out.join('\n')) as { id: string; clientId: string; endpoint: string; resultCode: string; remainingCalls: number };
    expect(rule).toMatchObject({ clientId: credentials.clientId, endpoint: 'payments/pay', resultCode: 'USER_BALANCE_NOT_ENOUGH', remainingCalls: 1 });

    const listed = await run(['sandbox', 'scenarios', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    expect(listed.text).toContain(`${rule.id}  payments/pay answers USER_BALANCE_NOT_ENOUGH (F) for client ${credentials.clientId}, the next 1 call(s)`);

    const refused = await pay();
    expect(refused.result.resultCode).toBe('USER_BALANCE_NOT_ENOUGH');
    expect(refused.result.resultMessage).toContain(rule.id);
    expect(refused.paymentId).toBeUndefined();
    expect((await pay()).result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect((await run(['sandbox', 'scenarios', '--data-dir', dataDir])).text).toBe('No scenario rules.');
  });

  it('--for and --match, then clear by id and clear all', async () => {
    const timed = await run(['sandbox', 'simulate', 'payments/pay', 'UNKNOWN_EXCEPTION', '--for', '10m', '--match', 'paymentMethodType=GCASH', '--data-dir', dataDir]);
    expect(timed.code, timed.text).toBe(0);
    expect(timed.text).toMatch(/^Scenario SCN[0-9A-F]+: payments\/pay answers UNKNOWN_EXCEPTION \(U\) for client .*, until .*, when paymentMethodType=GCASH\.$/);
    const id = /Scenario (SCN[0-9A-F]+)/.exec(timed.text)![1]!;
    expect((await pay('ALIPAY_CN')).result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect((await pay('GCASH')).result.resultCode).toBe('UNKNOWN_EXCEPTION');

    // The clock moves time-limited rules too.
    expect((await run(['sandbox', 'clock', 'advance', '10m', '--data-dir', dataDir])).code).toBe(0);
    expect((await pay('GCASH')).result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const gone = await run(['sandbox', 'scenarios', 'clear', id, '--data-dir', dataDir]);
    expect(gone.code, gone.text).toBe(2);
    expect(gone.text).toContain('HTTP 404');

    const other = await run(['sandbox', 'simulate', 'refund', 'RISK_REJECT', '--data-dir', dataDir, '--json']);
    const otherId = (JSON.parse(other.out.join('\n')) as { id: string }).id;
    await run(['sandbox', 'simulate', 'inquiryPayment', 'UNKNOWN_EXCEPTION', '--times', '3', '--data-dir', dataDir]);
    const json = await run(['sandbox', 'scenarios', '--data-dir', dataDir, '--json']);
    expect((JSON.parse(json.out.join('\n')) as unknown[]).length).toBe(2);
    const one = await run(['sandbox', 'scenarios', 'clear', otherId, '--data-dir', dataDir]);
    expect(one.code, one.text).toBe(0);
    expect(one.text).toBe(`Removed scenario ${otherId}.`);
    const all = await run(['sandbox', 'scenarios', 'clear', '--data-dir', dataDir]);
    expect(all.text).toBe('Removed 1 scenario rule(s).');
  });

  it('says what is wrong with a bad rule', async () => {
    const code = await run(['sandbox', 'simulate', 'payments/pay', 'NOPE', '--data-dir', dataDir]);
    expect(code.code).toBe(2);
    expect(code.text).toContain('HTTP 400');
    expect(code.text).toContain('not a result code');
    const endpoint = await run(['sandbox', 'simulate', 'payments/nothing', 'RISK_REJECT', '--data-dir', dataDir]);
    expect(endpoint.text).toContain('not an AMS endpoint');
    const ambiguous = await run(['sandbox', 'simulate', 'consult', 'RISK_REJECT', '--data-dir', dataDir]);
    expect(ambiguous.text).toContain('ambiguous');
    const both = await run(['sandbox', 'simulate', 'pay', 'RISK_REJECT', '--times', '1', '--for', '1m', '--data-dir', dataDir]);
    expect(both.code).not.toBe(0);
    const match = await run(['sandbox', 'simulate', 'pay', 'RISK_REJECT', '--match', 'novalue', '--data-dir', dataDir]);
    expect(match.text).toContain('--match must be field=value');
    const noClient = await run(['sandbox', 'simulate', 'pay', 'RISK_REJECT', '--data-dir', join(dataDir, 'missing'), '--base-url', credentials.baseUrl]);
    expect(noClient.text).toContain('pass --client');
    const unknownClient = await run(['sandbox', 'simulate', 'pay', 'RISK_REJECT', '--client', 'SANDBOX_NOBODY', '--data-dir', dataDir]);
    expect(unknownClient.text).toContain('no client SANDBOX_NOBODY');
    expect((await run(['sandbox', 'scenarios', '--data-dir', dataDir])).text).toBe('No scenario rules.');
  });
});
