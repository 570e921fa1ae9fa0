/**
 * `GET /metrics` after real signed traffic, on SQLite and PostgreSQL: AMS
 * requests by endpoint (the definition's path, or `unknown`) and result,
 * latency and database histograms, notification attempts by outcome and the
 * outbox's depth; and who may scrape (open on loopback in sandbox mode,
 * `Authorization: Bearer <admin token>` elsewhere).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/index.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';
import { rawRequest } from './raw-http.js';
import { Receiver } from './receiver.js';

const postgresOk = await postgresAvailable();

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not an exposition line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!;
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the sample with exactly these labels; undefined when there is none. */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  return samples.find(
    (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([key, value]) => s.labels[key] === value),
  )?.value;
}

async function scrape(t: TestGateway): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${t.baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  return { text, samples: parseExposition(text) };
}

describe.each(DIALECTS)('metrics on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    describe('sandbox mode on loopback', () => {
      let t: TestGateway;
      let clock: SandboxClock;
      let receiver: Receiver | undefined;
      beforeAll(async () => {
        clock = new SandboxClock();
        t = await startTestGateway(dialect, { clock, notifyDispatch: false, notifyTimeoutMs: 500, bodyLimitBytes: 16 * 1024 });
      });
      afterAll(async () => t?.close());
      afterEach(async () => {
        await receiver?.stop();
        receiver = undefined;
      });

      it('counts AMS requests by endpoint, result status and code, with latency and database histograms', async () => {
        const pay = await t.call('payments/pay', cashierPay());
        expect(pay.body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' });
        const inquiry = await t.call('payments/inquiryPayment', { paymentId: pay.body.paymentId });
        expect(inquiry.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
        const missingField = await t.call('payments/pay', cashierPay({ paymentAmount: undefined }));
        expect(missingField.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
        // Refused by the framework before the pipeline (body over the limit): still an AMS answer, counted under its endpoint.
        const tooLarge = await t.call('payments/pay', cashierPay({ padding: 'x'.repeat(20 * 1024) }));
        expect(tooLarge.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
        const unrouted = await t.call('', {}, { path: '/ams/api/v1/payments/nothing-here-123' });
        expect(unrouted.body.result).toMatchObject({ resultCode: 'NO_INTERFACE_DEF', resultStatus: 'F' });

        const { text, samples } = await scrape(t);
        const requests = samples.filter((s) => s.name === 'amsgate_requests_total');
        expect(requests.map((s) => ({ ...s.labels, count: s.value })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
          { endpoint: 'payments/inquiryPayment', result_status: 'S', result_code: 'SUCCESS', count: 1 },
          { endpoint: 'payments/pay', result_status: 'F', result_code: 'PARAM_ILLEGAL', count: 2 },
          { endpoint: 'payments/pay', result_status: 'U', result_code: 'PAYMENT_IN_PROCESS', count: 1 },
          { endpoint: 'unknown', result_status: 'F', result_code: 'NO_INTERFACE_DEF', count: 1 },
        ]);
        // The raw path of an unrouted request is never a label value.
        expect(text).not.toContain('nothing-here-123');

        const duration = 'amsgate_request_duration_seconds';
        expect(valueOf(samples, `${duration}_count`, { endpoint: 'payments/pay' })).toBe(3);
        expect(valueOf(samples, `${duration}_count`, { endpoint: 'payments/inquiryPayment' })).toBe(1);
        expect(valueOf(samples, `${duration}_count`, { endpoint: 'unknown' })).toBe(1);
        expect(valueOf(samples, `${duration}_bucket`, { endpoint: 'payments/pay', le: '+Inf' })).toBe(3);
        expect(valueOf(samples, `${duration}_sum`, { endpoint: 'payments/pay' })).toBeGreaterThan(0);

        // pay wrote (one transaction at least); every unit of work took some time.
        expect(valueOf(samples, 'amsgate_db_duration_seconds_count', { operation: 'transaction' })).toBeGreaterThanOrEqual(1);
        expect(valueOf(samples, 'amsgate_db_duration_seconds_sum', { operation: 'transaction' })).toBeGreaterThan(0);
        expect(text).toContain('# TYPE amsgate_db_duration_seconds histogram');
        // The process's default metrics come along.
        expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
        expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      });

      it('counts notification attempts by outcome; the outbox gauge shows what is pending and due', async () => {
        const outbox = async () => {
          const { samples } = await scrape(t);
          return { pending: valueOf(samples, 'amsgate_notification_outbox', { state: 'pending' }), due: valueOf(samples, 'amsgate_notification_outbox', { state: 'due' }) };
        };
        const attempts = async (outcome: string) => valueOf((await scrape(t)).samples, 'amsgate_notification_attempts_total', { outcome });
        const payAndComplete = async (notifyUrl: string) => {
          const paymentId = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: notifyUrl }))).body.paymentId as string;
          expect((await t.complete(paymentId)).status).toBe(200);
        };
        const runOnce = () => t.gateway.notifications.dispatcher.runOnce();

        expect(await outbox()).toEqual({ pending: 0, due: 0 });
        expect(await attempts('delivered')).toBeUndefined();

        receiver = await new Receiver().start();
        await payAndComplete(`${receiver.url}/notify`);
        expect(await outbox()).toEqual({ pending: 1, due: 1 });
        expect(await runOnce()).toBe(1);
        expect(receiver.received).toHaveLength(1);
        expect(await attempts('delivered')).toBe(1);
        expect(await outbox()).toEqual({ pending: 0, due: 0 });

        // Answered without the acknowledgement: rejected, and pending again in 2 minutes (Antom's schedule).
        receiver.answer = () => ({ status: 500, body: 'oops' });
        await payAndComplete(`${receiver.url}/notify`);
        expect(await runOnce()).toBe(1);
        expect(await attempts('rejected')).toBe(1);
        expect(await outbox()).toEqual({ pending: 1, due: 0 });
        clock.advance(120_000);
        expect(await outbox()).toEqual({ pending: 1, due: 1 });

        // Now nothing listens there: the next attempt fails to connect.
        await receiver.stop();
        receiver = undefined;
        expect(await runOnce()).toBe(1);
        expect(await attempts('network')).toBe(1);

        // A receiver that never answers: timeout (notifyTimeoutMs 500).
        receiver = await new Receiver().start();
        receiver.answer = () => 'hang';
        await payAndComplete(`${receiver.url}/notify`);
        expect(await runOnce()).toBe(1);
        expect(await attempts('timeout')).toBe(1);

        const { samples } = await scrape(t);
        expect(samples.filter((s) => s.name === 'amsgate_notification_attempts_total').map((s) => [s.labels.outcome, s.value]).sort()).toEqual([
          ['delivered', 1],
          ['network', 1],
          ['rejected', 1],
          ['timeout', 1],
        ]);
        expect(valueOf(samples, 'amsgate_notification_outbox', { state: 'pending' })).toBe(2);
      });

      it('is open to tools on this machine, but not to a request addressed by another name (DNS rebinding)', async () => {
        expect((await fetch(`${t.baseUrl}/metrics`)).status).toBe(200);
        const port = new URL(t.baseUrl).port;
        const rebound = await rawRequest(t.baseUrl, { method: 'GET', path: '/metrics', headers: { host: `evil.example:${port}` } });
        expect(rebound.status).toBe(403);
        expect(rebound.body).not.toContain('amsgate_requests_total');
      });
    });

    describe('behind the admin token', () => {
      const adminToken = 'metrics-admin-token-0123456789';

      it.each([
        { where: 'gateway mode', overrides: { mode: 'gateway' as const } },
        { where: 'sandbox mode on a non-loopback bind', overrides: { mode: 'sandbox' as const, host: '0.0.0.0' } },
      ])('$where: 401 without the bearer token, 200 with it', async ({ overrides }) => {
        const t = await startTestGateway(dialect, { ...overrides, adminToken, notifyDispatch: false });
        try {
          const url = `${t.baseUrl.replace('//0.0.0.0:', '//127.0.0.1:')}/metrics`;
          const refusedHeaders: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token' }, { authorization: adminToken }, { authorization: `Basic ${adminToken}` }];
          for (const headers of refusedHeaders) {
            const refused = await fetch(url, { headers });
            expect(refused.status).toBe(401);
            const body = await refused.text();
            expect(JSON.parse(body)).toEqual({ error: expect.stringContaining('Authorization: Bearer <admin token>') });
            expect(body).not.toMatch(/\bat .*\.(?:ts|js):\d+/);
          }
          await t.call('payments/inquiryPayment', { paymentId: 'PAY-NOT-THERE' });
          const scraped = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
          expect(scraped.status).toBe(200);
          const samples = parseExposition(await scraped.text());
          expect(valueOf(samples, 'amsgate_requests_total', { endpoint: 'payments/inquiryPayment', result_status: 'F', result_code: 'ORDER_NOT_EXIST' })).toBe(1);
        } finally {
          await t.close();
        }
      });

      it('a read-only metrics token opens /metrics and nothing else', async () => {
        const metricsToken = 'metrics-scrape-token-0123456789';
        const t = await startTestGateway(dialect, { mode: 'gateway', adminToken, metricsToken, notifyDispatch: false });
        try {
          const scraped = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
          expect(scraped.status).toBe(200);
          expect(await scraped.text()).toContain('amsgate_requests_total');
          // The control API does not take it.
          expect((await fetch(`${t.baseUrl}/admin/clients`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(401);
          expect((await fetch(`${t.baseUrl}/admin/clients`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
        } finally {
          await t.close();
        }
      });
    });
  });
});
