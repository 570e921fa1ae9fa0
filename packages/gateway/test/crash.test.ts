/**
 * A gateway process SIGKILLed mid-load and restarted: no acknowledged
 * payment or refund is lost, none is applied twice, refunds never exceed
 * what was paid, the journal balances, and every notification is still
 * delivered. On SQLite (one process, restarted) and on PostgreSQL (two
 * processes; clients fail over to the survivor while the killed one
 * restarts). Bounded: about two seconds of load per database.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { describe, expect, it } from 'vitest';
import { Gateway, type GatewayConfig } from '../src/index.js';
import { checkLedger } from './ledger.js';
import { cashierPay, dropSchema, postgresAvailable, POSTGRES_URL, uniqueId } from './harness.js';
import { Receiver } from './receiver.js';

const postgresOk = await postgresAvailable();
const FIXTURE = fileURLToPath(new URL('./fixtures/serve-notifications.mjs', import.meta.url));

interface Child {
  url: string;
  kill(): Promise<void>;
}

async function startChild(dataDir: string, env: Record<string, string>): Promise<Child> {
  const child: ChildProcess = fork(FIXTURE, [dataDir], { stdio: 'ignore', env: { ...process.env, ...env } });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { httpUrl: string }).httpUrl));
    child.once('exit', (code) => reject(new Error(`gateway process exited (${String(code)}) before listening`)));
  });
  return {
    url,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Signs as the SDKs do; a network error (the process killed) throws. */
function caller(clientId: string, privateKey: string) {
  const key = importPrivateKey(privateKey);
  return async (baseUrl: string, endpoint: string, body: unknown): Promise<Record<string, unknown>> => {
    const path = `/ams/api/v1/${endpoint}`;
    const bytes = Buffer.from(JSON.stringify(body));
    const time = String(Date.now());
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': clientId, 'request-time': time, signature: signHeader({ uri: path, clientId, time, body: bytes }, key, 1) },
      body: bytes,
      signal: AbortSignal.timeout(5_000),
    });
    return (await response.json()) as Record<string, unknown>;
  };
}

const resultOf = (answer: Record<string, unknown>) => answer.result as { resultStatus: string; resultCode: string };

interface Planned {
  pay: Record<string, unknown>;
  /** The paymentId of an acknowledged pay (its answer carried one). */
  ackedPaymentId?: string;
  refunds: { body: Record<string, unknown>; ackedRefundId?: string }[];
}

async function crashUnderLoad(options: {
  common: Partial<GatewayConfig>;
  env: Record<string, string>;
  processes: number;
}): Promise<void> {
  const receiver = await new Receiver().start();
  // The client exists before the load: made by a short-lived gateway on the same store.
  const dataDir = (options.common.dataDir as string | undefined) ?? mkdtempSync(join(tmpdir(), 'amsgate-crash-seed-'));
  const seed = await Gateway.open({ port: 0, httpsPort: null, logger: false, sweepIntervalMs: 0, notifyDispatch: false, ...options.common, dataDir });
  const created = await seed.clients.create({ sandbox: true });
  await seed.close();
  const call = caller(created.client.clientId, created.merchantPrivateKey as string);
  // SQLite: every process of the store serves its data directory; PostgreSQL: each its own, the store shared.
  const start = () => startChild(options.common.dataDir ?? mkdtempSync(join(tmpdir(), 'amsgate-crash-')), options.env);

  const children: (Child | undefined)[] = [];
  for (let i = 0; i < options.processes; i++) children.push(await start());
  const live = () => children.filter((c): c is Child => c !== undefined).map((c) => c.url);

  const planned: Planned[] = [];
  let stopLoad = false;
  let turn = 0;
  /** One operation on the next live process; a network error fails over to another before giving up (unacknowledged). */
  const send = async (endpoint: string, body: unknown): Promise<Record<string, unknown> | undefined> => {
    for (let tries = 0; tries < options.processes; tries++) {
      const urls = live();
      if (urls.length === 0) return undefined;
      const url = urls[turn++ % urls.length] as string;
      try {
        return await call(url, endpoint, body);
      } catch {
        // killed under us: the next live process, if any
      }
    }
    return undefined;
  };
  const complete = async (paymentId: string): Promise<void> => {
    for (const url of live()) {
      try {
        await fetch(`${url}/sandbox/payments/${paymentId}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return;
      } catch {
        // try the next
      }
    }
  };

  const worker = async () => {
    while (!stopLoad) {
      if (live().length === 0) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const item: Planned = {
        pay: cashierPay({ paymentRequestId: uniqueId('crash'), paymentNotifyUrl: `${receiver.url}/pay` }),
        refunds: [0, 1].map(() => ({ body: { refundRequestId: uniqueId('crash-refund'), refundAmount: { currency: 'USD', value: '400' }, refundNotifyUrl: `${receiver.url}/refund` } })),
      };
      planned.push(item);
      const paid = await send('payments/pay', item.pay);
      if (paid === undefined || typeof paid.paymentId !== 'string') continue;
      item.ackedPaymentId = paid.paymentId;
      await complete(paid.paymentId);
      for (const refund of item.refunds) {
        const answer = await send('payments/refund', { ...refund.body, paymentId: paid.paymentId });
        if (answer !== undefined && resultOf(answer).resultStatus === 'S') refund.ackedRefundId = answer.refundId as string;
      }
    }
  };

  const load = Array.from({ length: 4 }, worker);
  await new Promise((r) => setTimeout(r, 1_200));
  const victim = children[0] as Child;
  children[0] = undefined;
  await victim.kill();
  await new Promise((r) => setTimeout(r, 600));
  stopLoad = true;
  await Promise.all(load);
  children[0] = await start();

  // Every planned operation retried to its one true outcome; what was acknowledged must come back the same.
  const paymentIds = new Map<string, string>();
  const refundIds = new Map<string, string>();
  for (const item of planned) {
    const paid = await send('payments/pay', item.pay);
    expect(paid, 'a live gateway answers').toBeDefined();
    const paymentId = paid!.paymentId as string;
    expect(typeof paymentId).toBe('string');
    if (item.ackedPaymentId !== undefined) expect(paymentId, 'an acknowledged payment is not lost').toBe(item.ackedPaymentId);
    paymentIds.set(item.pay.paymentRequestId as string, paymentId);
    const inquiry = await send('payments/inquiryPayment', { paymentId });
    if (inquiry!.paymentStatus === 'PROCESSING') await complete(paymentId);
    for (const refund of item.refunds) {
      const answer = await send('payments/refund', { ...refund.body, paymentId });
      expect(resultOf(answer!)).toMatchObject({ resultStatus: 'S' });
      if (refund.ackedRefundId !== undefined) expect(answer!.refundId, 'an acknowledged refund is not lost').toBe(refund.ackedRefundId);
      refundIds.set(refund.body.refundRequestId as string, answer!.refundId as string);
    }
  }
  expect(planned.length).toBeGreaterThan(4);

  // Every notification delivered, at least once each.
  const delivered = () => {
    const payments = new Set<string>();
    const refunds = new Set<string>();
    for (const r of receiver.received) {
      const body = JSON.parse(r.body) as { paymentId?: string; refundId?: string; notifyType?: string };
      if (r.path === '/pay' && body.paymentId !== undefined) payments.add(body.paymentId);
      if (r.path === '/refund' && body.refundId !== undefined) refunds.add(body.refundId);
    }
    return { payments, refunds };
  };
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const { payments, refunds } = delivered();
    if ([...paymentIds.values()].every((id) => payments.has(id)) && [...refundIds.values()].every((id) => refunds.has(id))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const { payments, refunds } = delivered();
  expect([...paymentIds.values()].filter((id) => !payments.has(id)), 'payments never notified').toEqual([]);
  expect([...refundIds.values()].filter((id) => !refunds.has(id)), 'refunds never notified').toEqual([]);

  for (const child of children) await child?.kill();
  await receiver.stop();

  // The store: one payment per request, one refund per request, refunds within what was paid, the journal sound.
  const store = await Gateway.open({ port: 0, httpsPort: null, logger: false, sweepIntervalMs: 0, notifyDispatch: false, ...options.common, dataDir });
  try {
    const db = store.database.db;
    const payRows = await db.selectFrom('payments').select(['payment_request_id', 'payment_id']).where('client_id', '=', created.client.clientId).execute();
    expect(payRows.length, 'no payment applied twice').toBe(paymentIds.size);
    for (const row of payRows) expect(paymentIds.get(row.payment_request_id)).toBe(row.payment_id);
    const refundRows = await db.selectFrom('refunds').select(['refund_request_id', 'refund_id']).where('client_id', '=', created.client.clientId).execute();
    expect(refundRows.length, 'no refund applied twice').toBe(refundIds.size);
    for (const row of refundRows) expect(refundIds.get(row.refund_request_id)).toBe(row.refund_id);
    const ledger = await checkLedger(store.database, { derivedBalances: true });
    expect(ledger.violations).toEqual([]);
    for (const [paymentId, money] of ledger.payments) {
      if (![...paymentIds.values()].includes(paymentId)) continue;
      expect(money.refunded <= money.paid, `refunds of ${paymentId} within what was paid`).toBe(true);
      expect(money).toMatchObject({ paid: 1000n, refunded: 800n });
    }
  } finally {
    await store.close();
  }
}

describe('a gateway killed mid-load (SIGKILL) and restarted', () => {
  it('on SQLite: nothing acknowledged lost, nothing applied twice, refunds within payments, the journal sound, every notification delivered', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-crash-sqlite-'));
    await crashUnderLoad({ common: { dataDir }, env: {}, processes: 1 });
  }, 90_000);

  it.skipIf(!postgresOk)('on PostgreSQL with two processes, clients failing over to the survivor: the same', async () => {
    const schema = `c_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    try {
      await crashUnderLoad({
        common: { databaseUrl: POSTGRES_URL, databaseSchema: schema },
        env: { AMSGATE_TEST_DATABASE_URL: POSTGRES_URL, AMSGATE_TEST_DATABASE_SCHEMA: schema },
        processes: 2,
      });
    } finally {
      await dropSchema(schema);
    }
  }, 90_000);
});
