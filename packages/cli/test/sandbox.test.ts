/**
 * `amsgate sandbox complete` goes through the running gateway's control API,
 * so the gateway's sandbox clock applies; a gateway of its own here, since
 * these tests move its clock.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/commands/serve.js';
import { run, signedPost, startSandbox, type SandboxCredentials } from './helpers.js';

describe('amsgate sandbox complete (through the control API)', () => {
  let dataDir: string;
  let server: RunningServer;
  let credentials: SandboxCredentials;

  beforeAll(async () => {
    ({ dataDir, server, credentials } = await startSandbox('amsgate-sandbox-complete-'));
  });
  afterAll(async () => server?.stop());

  async function pay(referenceOrderId = `order-${Date.now()}`): Promise<string> {
    const response = await signedPost(credentials.baseUrl, credentials, '/ams/api/v1/payments/pay', {
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: `cli-sandbox-${Date.now()}-${Math.random()}`,
      paymentAmount: { currency: 'USD', value: '1000' },
      order: { referenceOrderId, orderDescription: 'Test order', orderAmount: { currency: 'USD', value: '1000' } },
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      paymentRedirectUrl: 'https://merchant.example/return',
      env: { terminalType: 'WEB' },
    });
    const answer = (await response.json()) as { paymentId: string; result: { resultStatus: string } };
    expect(answer.result.resultStatus).toBe('U');
    return answer.paymentId;
  }

  async function paymentOf(paymentId: string): Promise<{ status: string; resultCode: string; paidAt: string | null }> {
    const response = await fetch(`${credentials.baseUrl}/admin/payments/${paymentId}`);
    return ((await response.json()) as { payment: { status: string; resultCode: string; paidAt: string | null } }).payment;
  }

  it('settles the payment at the sandbox time, after `sandbox clock advance`', async () => {
    const paymentId = await pay();
    const advanced = await run(['sandbox', 'clock', 'advance', '10m', '--data-dir', dataDir]);
    expect(advanced.code, advanced.text).toBe(0);
    const before = Date.now();
    const done = await run(['sandbox', 'complete', paymentId, '--data-dir', dataDir]);
    expect(done.code, done.text).toBe(0);
    expect(done.out).toEqual([`Payment ${paymentId} is now SUCCESS (SUCCESS: success)`]);
    const payment = await paymentOf(paymentId);
    expect(payment.status).toBe('SUCCESS');
    // On the real clock paidAt would be about `before`; on the gateway's it is 10 minutes later.
    expect(Date.parse(payment.paidAt ?? '')).toBeGreaterThanOrEqual(before + 10 * 60_000 - 1_000);
  });

  it('--json: the new status with the payment details; the outcome fail reaches the gateway', async () => {
    const paymentId = await pay();
    const failed = await run(['sandbox', 'complete', paymentId, '--outcome', 'fail', '--result-code', 'RISK_REJECT', '--message', 'Nope', '--json', '--base-url', credentials.baseUrl, '--data-dir', dataDir]);
    expect(failed.code, failed.text).toBe(0);
    expect(JSON.parse(failed.out.join('\n'))).toEqual({
      paymentId, paymentRequestId: expect.any(String) as string, clientId: credentials.clientId, paymentStatus: 'FAIL', resultCode: 'RISK_REJECT', resultMessage: 'Nope',
    });
    expect(await paymentOf(paymentId)).toMatchObject({ status: 'FAIL', resultCode: 'RISK_REJECT' });
  });

  it('keeps the exit codes: 1 not pending, 2 unknown payment, bad code, bad options; --database is gone', async () => {
    const paymentId = await pay();
    expect((await run(['sandbox', 'complete', paymentId, '--data-dir', dataDir])).code).toBe(0);
    const again = await run(['sandbox', 'complete', paymentId, '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.err).toEqual([`amsgate: ORDER_STATUS_INVALID: Payment ${paymentId} is SUCCESS (SUCCESS), not pending`]);

    const unknown = await run(['sandbox', 'complete', 'PAY_NO_SUCH_PAYMENT', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual(['amsgate: ORDER_NOT_EXIST: No payment PAY_NO_SUCH_PAYMENT']);

    const badCode = await run(['sandbox', 'complete', await pay(), '--outcome', 'fail', '--result-code', 'SUCCESS', '--data-dir', dataDir]);
    expect(badCode.code).toBe(2);
    expect(badCode.err.join('\n')).toContain('PARAM_ILLEGAL: resultCode');

    const mixed = await run(['sandbox', 'complete', paymentId, '--result-code', 'RISK_REJECT', '--data-dir', dataDir]);
    expect(mixed.code).toBe(2);
    expect(mixed.err.join('\n')).toContain('--result-code and --message describe a failure');

    const database = await run(['sandbox', 'complete', paymentId, '--database', 'postgres://x/y', '--data-dir', dataDir]);
    expect(database.code).toBe(2);
    expect(database.err.join('\n')).toContain("unknown option '--database'");
  });

  it('says when no gateway answers (exit 1) and when the one that answers has no sandbox control API (exit 1)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await run(['sandbox', 'complete', 'PAY_X', '--base-url', `http://127.0.0.1:${port}`, '--data-dir', dataDir]);
    expect(down.code).toBe(1);
    expect(down.err.join('\n')).toContain(`cannot reach the gateway at http://127.0.0.1:${port}`);

    const notAmsgate = createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not Found"}'));
    await new Promise<void>((resolve) => notAmsgate.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(notAmsgate.address() as AddressInfo).port}`;
      const answer = await run(['sandbox', 'complete', 'PAY_X', '--base-url', baseUrl, '--data-dir', dataDir]);
      expect(answer.code).toBe(1);
      expect(answer.err.join('\n')).toContain(`the gateway at ${baseUrl} has no sandbox control API`);
    } finally {
      notAmsgate.close();
    }
  });
});
