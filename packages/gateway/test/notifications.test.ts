/**
 * Notifications: written to the outbox with the change, delivered signed to
 * a real local receiver, retried on Antom's schedule with the sandbox clock
 * moved forward (never slept), recorded, resendable, and safe.
 */
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importPublicKey, verifyHeader } from '@amsgate/protocol';
import { Gateway, SandboxClock } from '../src/index.js';
import { ANTOM_RETRY_SCHEDULE_MS } from '../src/notify/schedule.js';
import { runModule } from '../src/endpoints/route-table.js';
import { cashierPay, cashierPayModule, dropSchema, postgresAvailable, POSTGRES_URL, startTestGateway, type TestGateway } from './harness.js';
import { ACK, Receiver, type Received } from './receiver.js';

const postgresOk = await postgresAvailable();

function verifyNotification(t: TestGateway, request: Received): boolean {
  return verifyHeader(
    { uri: request.path.split('?')[0]!, clientId: String(request.headers['client-id']), time: String(request.headers['request-time']), body: request.body },
    String(request.headers.signature),
    importPublicKey(t.client.client.gatewayPublicKey),
  ).ok;
}

async function payAndComplete(t: TestGateway, notifyUrl: string, outcome: Record<string, unknown> = { outcome: 'success' }): Promise<string> {
  const paymentId = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: notifyUrl }))).body.paymentId as string;
  expect((await t.complete(paymentId, outcome)).status).toBe(200);
  return paymentId;
}

async function notificationFor(t: TestGateway, paymentId: string) {
  const [notification] = await t.gateway.notifications.list({ resourceId: paymentId });
  expect(notification).toBeDefined();
  return t.gateway.notifications.show(notification!.notificationId);
}

describe('notification delivery (SQLite, dispatcher driven by the test)', () => {
  let t: TestGateway;
  let receiver: Receiver;
  let clock: SandboxClock;
  beforeAll(async () => {
    clock = new SandboxClock();
    t = await startTestGateway('sqlite', { clock, notifyDispatch: false, notifyTimeoutMs: 500 });
  });
  afterAll(async () => t?.close());
  afterEach(async () => receiver?.stop());

  const runOnce = () => t.gateway.notifications.dispatcher.runOnce();

  it('a completed payment yields exactly one verified notifyPayment, signed over the notify path', async () => {
    receiver = await new Receiver().start();
    const paymentId = await payAndComplete(t, `${receiver.url}/antom/notify?source=amsgate`);
    expect(await runOnce()).toBe(1);
    expect(await runOnce()).toBe(0);
    clock.advance(24 * 3_600_000);
    expect(await runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.path).toBe('/antom/notify?source=amsgate');
    expect(request!.rawHeaderNames).toEqual(expect.arrayContaining(['client-id', 'request-time', 'signature']));
    expect(verifyNotification(t, request!)).toBe(true);
    expect(JSON.parse(request!.body)).toMatchObject({
      notifyType: 'PAYMENT_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S' },
      paymentId,
      paymentAmount: { currency: 'USD', value: '1000' },
    });
    const { notification, attempts } = await notificationFor(t, paymentId);
    expect(notification.status).toBe('DELIVERED');
    expect(attempts).toEqual([expect.objectContaining({ attempt: 1, httpStatus: 200, succeeded: true, error: null })]);
  });

  it('a receiver that fails 3 times then succeeds gets 4 attempts on the schedule', async () => {
    receiver = await new Receiver().start();
    receiver.answer = (_request, index) => (index < 3 ? { status: 500, body: 'oops' } : { status: 200, body: ACK });
    const paymentId = await payAndComplete(t, `${receiver.url}/notify`);
    expect(await runOnce()).toBe(1); // attempt 1, at once
    clock.advance(119_000);
    expect(await runOnce()).toBe(0); // not yet due: 2 minutes
    clock.advance(1_000);
    expect(await runOnce()).toBe(1); // attempt 2
    clock.advance(600_000);
    expect(await runOnce()).toBe(1); // attempt 3
    clock.advance(599_000);
    expect(await runOnce()).toBe(0);
    clock.advance(1_000);
    expect(await runOnce()).toBe(1); // attempt 4 succeeds
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received.every((r) => verifyNotification(t, r))).toBe(true);
    // Each attempt signs afresh: request-time changes, the body does not.
    expect(new Set(receiver.received.map((r) => r.headers['request-time'])).size).toBe(4);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    const { notification, attempts } = await notificationFor(t, paymentId);
    expect(notification.status).toBe('DELIVERED');
    expect(attempts.map((a) => [a.attempt, a.httpStatus, a.succeeded])).toEqual([[1, 500, false], [2, 500, false], [3, 500, false], [4, 200, true]]);
    expect(attempts[0]!.responseExcerpt).toBe('oops');
  });

  it('a receiver that never succeeds ends failed after the 8th attempt; a resend then delivers', async () => {
    receiver = await new Receiver().start();
    receiver.answer = () => ({ status: 200, body: '{"result":{"resultStatus":"F"}}' });
    const paymentId = await payAndComplete(t, `${receiver.url}/notify`, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
    for (const delay of ANTOM_RETRY_SCHEDULE_MS) {
      clock.advance(delay);
      expect(await runOnce()).toBe(1);
    }
    clock.advance(24 * 3_600_000);
    expect(await runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(8);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ result: { resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' } });
    let shown = await notificationFor(t, paymentId);
    expect(shown.notification.status).toBe('FAILED');
    expect(shown.notification.lastError).toContain('without the acknowledgement body');
    expect(shown.attempts).toHaveLength(8);

    receiver.answer = () => ({ status: 200, body: ACK });
    const resent = await t.gateway.notifications.resend(shown.notification.notificationId);
    expect(resent).toMatchObject({ attempt: 9, succeeded: true });
    expect(verifyNotification(t, receiver.received[8]!)).toBe(true);
    shown = await notificationFor(t, paymentId);
    expect(shown.notification.status).toBe('DELIVERED');
  });

  it('notifies final refunds and captures, signed, each once', async () => {
    receiver = await new Receiver().start();
    const paymentId = await payAndComplete(t, `${receiver.url}/pay-notify`);
    const refund = await t.call('payments/refund', {
      paymentId, refundRequestId: `r-${paymentId}`, refundAmount: { currency: 'USD', value: '400' }, refundNotifyUrl: `${receiver.url}/refund-notify`,
    });
    expect(refund.body.result.resultCode).toBe('SUCCESS');
    const authorised = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: `${receiver.url}/pay-notify`, paymentFactor: { captureMode: 'MANUAL' } }))).body.paymentId as string;
    expect((await t.complete(authorised, {})).status).toBe(200);
    const capture = await t.call('payments/capture', { paymentId: authorised, captureRequestId: `c-${authorised}`, captureAmount: { currency: 'USD', value: '1000' }, isLastCapture: true });
    expect(capture.body.result.resultCode).toBe('SUCCESS');
    await runOnce();
    await runOnce();
    const byType = new Map(receiver.received.map((r) => [JSON.parse(r.body).notifyType as string, r] as const));
    expect(receiver.received).toHaveLength(4); // two payments, one refund, one capture
    expect(receiver.received.every((r) => verifyNotification(t, r))).toBe(true);
    expect(byType.get('REFUND_RESULT')!.path).toBe('/refund-notify');
    expect(JSON.parse(byType.get('REFUND_RESULT')!.body)).toMatchObject({
      result: { resultStatus: 'S' }, refundStatus: 'SUCCESS', refundId: refund.body.refundId, refundRequestId: `r-${paymentId}`, refundAmount: { currency: 'USD', value: '400' },
    });
    expect(byType.get('CAPTURE_RESULT')!.path).toBe('/pay-notify');
    expect(JSON.parse(byType.get('CAPTURE_RESULT')!.body)).toMatchObject({
      result: { resultStatus: 'S' }, paymentId: authorised, captureId: capture.body.captureId, captureAmount: { currency: 'USD', value: '1000' },
    });
  });

  it('notifies a closed (expired) payment, not a merchant cancel', async () => {
    receiver = await new Receiver().start();
    const expiring = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: `${receiver.url}/n` }))).body.paymentId as string;
    const cancelled = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: `${receiver.url}/n` }))).body.paymentId as string;
    expect((await t.call('payments/cancel', { paymentId: cancelled })).body.result.resultCode).toBe('SUCCESS');
    clock.advance(15 * 60_000);
    await t.gateway.payments.closeExpired();
    await runOnce();
    expect(receiver.received.map((r) => JSON.parse(r.body) as { paymentId: string; result: { resultCode: string } })).toEqual([
      expect.objectContaining({ paymentId: expiring, result: expect.objectContaining({ resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F' }) }),
    ]);
    expect(await t.gateway.notifications.list({ resourceId: cancelled })).toEqual([]);
  });

  it('without a URL in the request it uses the client default, or records NO_URL', async () => {
    receiver = await new Receiver().start();
    const noUrl = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: undefined }))).body.paymentId as string;
    expect((await t.complete(noUrl, {})).status).toBe(200);
    const shown = await notificationFor(t, noUrl);
    expect(shown.notification).toMatchObject({ status: 'NO_URL', url: null });
    await expect(t.gateway.notifications.resend(shown.notification.notificationId)).rejects.toThrow('has no URL');

    await t.gateway.notifications.setDefaultUrl(t.client.client.clientId, 'PAYMENT_RESULT', `${receiver.url}/default-notify`);
    const withDefault = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: undefined }))).body.paymentId as string;
    expect((await t.complete(withDefault, {})).status).toBe(200);
    await runOnce();
    expect(receiver.received.map((r) => r.path)).toEqual(['/default-notify']);
  });

  it('counts a timeout, a redirect, an oversized answer and a refused connection as failed attempts', async () => {
    receiver = await new Receiver().start();
    receiver.answer = (request) => {
      if (request.path === '/hang') return 'hang';
      if (request.path === '/redirect') return { status: 302, body: '', headers: { location: '/ok' } };
      if (request.path === '/huge') return { status: 200, body: 'x'.repeat(200_000) };
      return { status: 200, body: ACK };
    };
    const hang = await payAndComplete(t, `${receiver.url}/hang`);
    const redirect = await payAndComplete(t, `${receiver.url}/redirect`);
    const huge = await payAndComplete(t, `${receiver.url}/huge`);
    const refused = await payAndComplete(t, 'http://127.0.0.1:1/nobody');
    await runOnce();
    const errorOf = async (id: string) => (await notificationFor(t, id)).attempts[0]!;
    expect((await errorOf(hang)).error).toBe('no complete answer within 500 ms');
    expect((await errorOf(redirect))).toMatchObject({ httpStatus: 302, error: 'HTTP 302: redirects are not followed' });
    const hugeAttempt = await errorOf(huge);
    expect(hugeAttempt.error).toBe('the answer is larger than 65536 bytes');
    expect(hugeAttempt.responseExcerpt!.length).toBeLessThanOrEqual(500);
    expect((await errorOf(refused)).error).toContain('ECONNREFUSED');
    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/hang', '/huge', '/redirect']);
    for (const id of [hang, redirect, huge, refused]) expect((await notificationFor(t, id)).notification.status).toBe('PENDING');
  });

  it('control API: list by status, show with the attempt log, resend, and the sandbox clock', async () => {
    receiver = await new Receiver().start();
    receiver.answer = () => ({ status: 503, body: 'down' });
    const paymentId = await payAndComplete(t, `${receiver.url}/n`);
    await runOnce();
    const { notificationId } = (await notificationFor(t, paymentId)).notification;
    const pending = (await (await fetch(`${t.baseUrl}/admin/notifications?status=pending`)).json()) as { notifications: Array<{ notificationId: string }> };
    expect(pending.notifications.map((n) => n.notificationId)).toContain(notificationId);
    const shown = (await (await fetch(`${t.baseUrl}/admin/notifications/${notificationId}`)).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ notificationId, status: 'PENDING', attempts: 1, body: { paymentId }, attemptLog: [expect.objectContaining({ httpStatus: 503, succeeded: false })] });
    receiver.answer = () => ({ status: 200, body: ACK });
    const resent = (await (await fetch(`${t.baseUrl}/admin/notifications/${notificationId}/resend`, { method: 'POST' })).json()) as { attempt: { succeeded: boolean } };
    expect(resent.attempt.succeeded).toBe(true);
    expect((await fetch(`${t.baseUrl}/admin/notifications/NTF-NOPE`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/admin/notifications?status=odd`)).status).toBe(400);

    const before = clock.now();
    const advanced = (await (await fetch(`${t.baseUrl}/sandbox/clock/advance`, { method: 'POST', body: '{"by":"1h30m"}' })).json()) as { now: string };
    expect(Date.parse(advanced.now) - before).toBeGreaterThanOrEqual(5_400_000);
    expect((await fetch(`${t.baseUrl}/sandbox/clock/advance`, { method: 'POST', body: '{"by":"-5m"}' })).status).toBe(400);
  });
});

describe('notification safety in gateway mode', () => {
  it('refuses notify URLs on internal addresses unless allowed, without retrying', async () => {
    const receiver = await new Receiver().start();
    const t = await startTestGateway('sqlite', { mode: 'gateway', notifyDispatch: false });
    try {
      const paymentId = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: `${receiver.url}/n` }))).body.paymentId as string;
      await t.gateway.payments.complete(paymentId, { kind: 'success' });
      await t.gateway.notifications.dispatcher.runOnce();
      const { notification, attempts } = await notificationFor(t, paymentId);
      expect(notification.status).toBe('FAILED');
      expect(attempts[0]!.error).toContain('internal');
      expect(receiver.received).toHaveLength(0);
      // The control API needs the admin token in gateway mode.
      expect((await fetch(`${t.baseUrl}/admin/notifications`)).status).toBe(401);
    } finally {
      await t.close();
      await receiver.stop();
    }
  });
});

/** A payment's notification once its last attempt is recorded (no longer PENDING), or as it stands after 5 s. */
async function recordedDelivery(gateway: Gateway, paymentId: string) {
  const until = Date.now() + 5_000;
  for (;;) {
    const [notification] = await gateway.notifications.list({ resourceId: paymentId });
    if (notification?.status !== 'PENDING' || Date.now() > until) return notification;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('deliveries survive a crash', () => {
  it('a gateway killed (SIGKILL) mid-delivery delivers after restart', async () => {
    const receiver = await new Receiver().start();
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-crash-'));
    // Commit a payment and its notification, without delivering.
    const first = await Gateway.open({ dataDir, port: 0, httpsPort: null, logger: false, sweepIntervalMs: 0, notifyDispatch: false });
    await first.start();
    const created = await first.clients.create({ sandbox: true });
    const answer = await runModule(cashierPayModule(first.payments), created.client.clientId, cashierPay({ paymentNotifyUrl: `${receiver.url}/notify` }) as never);
    const paymentId = answer.paymentId as string;
    await first.payments.complete(paymentId, { kind: 'success' });
    await first.close();

    // A second process claims it and is killed while the receiver holds the request.
    receiver.answer = (_r, index) => (index === 0 ? 'hang' : { status: 200, body: ACK });
    const child = fork(fileURLToPath(new URL('./fixtures/serve-notifications.mjs', import.meta.url)), [dataDir], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(1);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // The restarted gateway delivers it.
    const restarted = await Gateway.open({ dataDir, port: 0, httpsPort: null, logger: false, sweepIntervalMs: 0, notifyPollIntervalMs: 20 });
    try {
      await restarted.start();
      const until = Date.now() + 10_000;
      while (receiver.received.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
      // The receiver has the request before the gateway has recorded its answer.
      expect(await recordedDelivery(restarted, paymentId)).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    } finally {
      await restarted.close();
      await receiver.stop();
    }
  });

  it('closing during a delivery the receiver holds abandons it at once, counts no attempt, and the next start delivers it', async () => {
    const receiver = await new Receiver().start();
    receiver.answer = (_r, index) => (index === 0 ? 'hang' : { status: 200, body: ACK });
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-stop-'));
    const common = { dataDir, port: 0, httpsPort: null, logger: false as const, sweepIntervalMs: 0, notifyPollIntervalMs: 20, notifyTimeoutMs: 30_000 };
    const first = await Gateway.open(common);
    await first.start();
    const created = await first.clients.create({ sandbox: true });
    const answer = await runModule(cashierPayModule(first.payments), created.client.clientId, cashierPay({ paymentNotifyUrl: `${receiver.url}/notify` }) as never);
    const paymentId = answer.paymentId as string;
    await first.payments.complete(paymentId, { kind: 'success' });
    const deadline = Date.now() + 10_000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(receiver.received).toHaveLength(1);

    const closing = Date.now();
    await first.close();
    // Far below the 30 s delivery timeout it used to wait out.
    expect(Date.now() - closing).toBeLessThan(3_000);

    const restarted = await Gateway.open(common);
    try {
      const [pending] = await restarted.notifications.list({ resourceId: paymentId });
      expect(pending).toMatchObject({ status: 'PENDING', attempts: 0 });
      await restarted.start();
      const until = Date.now() + 10_000;
      while (receiver.received.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(receiver.received).toHaveLength(2);
      const [notification] = await restarted.notifications.list({ resourceId: paymentId });
      expect(notification).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    } finally {
      await restarted.close();
      await receiver.stop();
    }
  });
});

describe.skipIf(!postgresOk)('two gateway processes on one PostgreSQL', () => {
  it('deliver each notification once in the healthy case', async () => {
    const receiver = await new Receiver().start();
    const schema = `n_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const common = { port: 0, httpsPort: null, logger: false as const, sweepIntervalMs: 0, notifyPollIntervalMs: 10, databaseUrl: POSTGRES_URL, databaseSchema: schema };
    const a = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-a-')) });
    const b = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-b-')) });
    try {
      await a.start();
      await b.start();
      const created = await a.clients.create({ sandbox: true });
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const answer = await runModule(cashierPayModule(a.payments), created.client.clientId, cashierPay({ paymentNotifyUrl: `${receiver.url}/n` }) as never);
        ids.push(answer.paymentId as string);
      }
      // Completed half through each process, concurrently.
      await Promise.all(ids.map((id, i) => (i % 2 === 0 ? a : b).payments.complete(id, { kind: 'success' })));
      const until = Date.now() + 15_000;
      while (receiver.received.length < ids.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up
      const perPayment = new Map<string, number>();
      for (const r of receiver.received) {
        const id = (JSON.parse(r.body) as { paymentId: string }).paymentId;
        perPayment.set(id, (perPayment.get(id) ?? 0) + 1);
      }
      expect(perPayment.size).toBe(ids.length);
      expect([...perPayment.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await a.close();
      await b.close();
      await receiver.stop();
      await dropSchema(schema);
    }
  });
});

describe.skipIf(!postgresOk)('claims of a killed process on PostgreSQL', () => {
  const fixture = fileURLToPath(new URL('./fixtures/serve-notifications.mjs', import.meta.url));
  const waitUntil = async (done: () => boolean, ms: number) => {
    const until = Date.now() + ms;
    while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  };

  /** A payment's notification committed in a fresh schema, then claimed by a child process that the receiver keeps waiting. */
  async function claimedByChild(receiver: Receiver) {
    const schema = `k_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const common = { port: 0, httpsPort: null, logger: false as const, sweepIntervalMs: 0, databaseUrl: POSTGRES_URL, databaseSchema: schema };
    const seed = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-seed-')), notifyDispatch: false });
    await seed.start();
    const created = await seed.clients.create({ sandbox: true });
    const answer = await runModule(cashierPayModule(seed.payments), created.client.clientId, cashierPay({ paymentNotifyUrl: `${receiver.url}/notify` }) as never);
    const paymentId = answer.paymentId as string;
    await seed.payments.complete(paymentId, { kind: 'success' });
    await seed.close();
    receiver.answer = (_r, index) => (index === 0 ? 'hang' : { status: 200, body: ACK });
    const child = fork(fixture, [mkdtempSync(join(tmpdir(), 'amsgate-child-'))], {
      stdio: 'ignore',
      env: { ...process.env, AMSGATE_TEST_DATABASE_URL: POSTGRES_URL, AMSGATE_TEST_DATABASE_SCHEMA: schema },
    });
    await waitUntil(() => receiver.received.length > 0, 15_000);
    expect(receiver.received).toHaveLength(1);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const kill = async () => {
      child.kill('SIGKILL');
      await exited;
    };
    return { common, paymentId, schema, kill };
  }

  it('a live process leaves a live holder\'s claim alone, and takes it over within about a second of the holder being killed (not the 35 s claim timeout)', async () => {
    const receiver = await new Receiver().start();
    const { common, paymentId, schema, kill } = await claimedByChild(receiver);
    const other = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-other-')), notifyPollIntervalMs: 20 });
    try {
      await other.start();
      // Two takeover looks pass while the holder lives: nothing is taken.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(receiver.received).toHaveLength(1);
      const killedAt = Date.now();
      await kill();
      await waitUntil(() => receiver.received.length >= 2, 10_000);
      expect(receiver.received).toHaveLength(2);
      expect(Date.now() - killedAt).toBeLessThan(5_000);
      expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
      expect(await recordedDelivery(other, paymentId)).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    } finally {
      await kill().catch(() => undefined);
      await other.close();
      await receiver.stop();
      await dropSchema(schema);
    }
  }, 60_000);

  it('a process started after the crash takes the claims over as it starts', async () => {
    const receiver = await new Receiver().start();
    const { common, paymentId, schema, kill } = await claimedByChild(receiver);
    await kill();
    const restarted = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-restart-')), notifyPollIntervalMs: 20 });
    try {
      const startedAt = Date.now();
      await restarted.start();
      await waitUntil(() => receiver.received.length >= 2, 10_000);
      expect(receiver.received).toHaveLength(2);
      expect(Date.now() - startedAt).toBeLessThan(3_000);
      expect(await recordedDelivery(restarted, paymentId)).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    } finally {
      await restarted.close();
      await receiver.stop();
      await dropSchema(schema);
    }
  }, 60_000);
});
