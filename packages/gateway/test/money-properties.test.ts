/**
 * Property-based: seeded random sequences of pay / complete / capture /
 * refund / cancel (and repeats of earlier refunds) run through the
 * services, checked after every step against a small reference model (the
 * result code each call must give, the balances each payment must have, the
 * events raised) and against the journal invariants (`ledger.ts`).
 *
 * The generator is a seeded PRNG (mulberry32), so a failure names its seed
 * and step and replays exactly: AMSGATE_PROPERTY_SEED=<seed> runs that seed
 * (AMSGATE_PROPERTY_STEPS sets the length) instead of the default ones.
 */
import { RateTable } from '../src/products/fx/rate-table.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AmsError, type CancelRequest, type CaptureRequest, type PayCashierRequest, type RefundRequest } from '@amsgate/protocol';
import { ClientsRepository } from '../src/auth/clients-repository.js';
import type { Database } from '../src/schema.js';
import { openDatabase } from '../src/migrations.js';
import type { PaymentEvent, PaymentEventSink } from '../src/products/payments/events.js';
import { PaymentService } from '../src/products/payments/payment-service.js';
import { RefundService } from '../src/products/payments/refund-service.js';
import { CaptureService } from '../src/products/payments/capture-service.js';
import { capabilitiesOf, type PaymentMethodCatalogue } from '../src/products/payments/payment-method-capabilities.js';
import { checkLedger } from './ledger.js';
import { runModule } from '../src/endpoints/route-table.js';
import { captureEndpoint } from '../src/products/payments/endpoints/capture.js';
import { refundEndpoint } from '../src/products/payments/endpoints/refund.js';
import { cashierPay, cashierPayModule, DIALECTS, dropSchema, postgresAvailable, POSTGRES_URL, uniqueId } from './harness.js';

const postgresOk = await postgresAvailable();

/** mulberry32: small, fast, good enough to pick test inputs; the same seed gives the same sequence. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** One of the entries, with probability proportional to its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let at = this.next() * total;
    for (const [value, weight] of entries) {
      if ((at -= weight) < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }
}

const CATALOGUE: PaymentMethodCatalogue = {
  SINGLE_REFUND_WALLET: { multipleRefunds: false },
  SINGLE_CAPTURE_CARD: { multipleCaptures: false },
};
const METHODS = ['ALIPAY_CN', 'SINGLE_REFUND_WALLET', 'SINGLE_CAPTURE_CARD'] as const;
const CURRENCIES = ['USD', 'JPY'] as const;

/** What the model expects of one payment. */
interface ModelPayment {
  paymentId: string;
  paymentRequestId: string;
  currency: string;
  amount: bigint;
  manual: boolean;
  method: string;
  status: 'PROCESSING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';
  captured: bigint;
  captures: number;
  /** Authorisation closed by a last capture or a cancel. */
  closed: boolean;
  refunded: bigint;
  refunds: number;
}

interface ModelRefund {
  refundRequestId: string;
  refundId: string;
  paymentId: string;
  currency: string;
  amount: bigint;
}

class RecordingSink implements PaymentEventSink {
  readonly events: PaymentEvent[] = [];
  record(_tx: unknown, event: PaymentEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}

/** Mostly a payment the operation can apply to (so sequences go deep), sometimes any payment. */
function pickPayment(random: Random, model: readonly ModelPayment[], fits: (p: ModelPayment) => boolean, preference: number): ModelPayment {
  const fitting = model.filter(fits);
  return fitting.length > 0 && random.chance(preference) ? random.pick(fitting) : random.pick(model);
}

/** Runs a call; an AmsError becomes its code, anything else fails the test. */
async function codeOf<T>(run: () => Promise<T>): Promise<{ code: string; value?: T }> {
  try {
    const value = await run();
    const result = (value as { result?: { resultCode: string } }).result;
    return { code: result?.resultCode ?? 'SUCCESS', value };
  } catch (error) {
    if (error instanceof AmsError) return { code: error.code };
    throw error;
  }
}

async function runSequence(database: Database, clientId: string, seed: number, steps: number): Promise<Record<string, number>> {
  const random = new Random(seed);
  const clock = { now: () => Date.now() };
  const sink = new RecordingSink();
  const payments = new PaymentService(database, clock, { cashierExpiryMs: 3_600_000, checkoutUrl: (id) => `http://127.0.0.1/checkout/${id}`, rates: new RateTable(), buyerCurrencyOf: () => undefined }, sink);
  const operationOptions = { paymentMethods: CATALOGUE, currentPayment: payments.closeIfExpired.bind(payments) };
  const refunds = new RefundService(database, clock, { ...operationOptions, rates: new RateTable() }, sink);
  const captures = new CaptureService(database, clock, operationOptions, sink);
  const payModule = cashierPayModule(payments);
  const refundModule = refundEndpoint(refunds);
  const captureModule = captureEndpoint(captures);
  const model: ModelPayment[] = [];
  const recordedRefunds: ModelRefund[] = [];
  const seen: Record<string, number> = {};

  for (let step = 0; step < steps; step++) {
    const op = model.length === 0 ? 'pay' : random.weighted([['pay', 14], ['complete', 16], ['capture', 24], ['refund', 30], ['cancel', 10], ['repeat-refund', 6]] as const);
    const where = `seed ${seed} step ${step} (${op})`;
    const eventsBefore = sink.events.length;
    let expectedEvents: Array<(e: PaymentEvent) => boolean> = [];
    let code: string;

    switch (op) {
      case 'pay': {
        const currency = random.pick(CURRENCIES);
        const amount = BigInt(random.int(1, 3000));
        const manual = random.chance(0.45);
        const method = random.pick(METHODS);
        const request = cashierPay({
          paymentAmount: { currency, value: amount.toString() },
          paymentMethod: { paymentMethodType: method },
          ...(manual ? { paymentFactor: random.chance(0.5) ? { captureMode: 'MANUAL' } : { isAuthorization: true } } : {}),
        });
        const answer = await codeOf(() => runModule(payModule, clientId, request as unknown as PayCashierRequest));
        code = answer.code;
        expect(code, where).toBe('PAYMENT_IN_PROCESS');
        model.push({
          paymentId: (answer.value as unknown as { paymentId: string }).paymentId, paymentRequestId: request.paymentRequestId as string, currency, amount, manual, method,
          status: 'PROCESSING', captured: 0n, captures: 0, closed: false, refunded: 0n, refunds: 0,
        });
        break;
      }
      case 'complete': {
        const p = pickPayment(random, model, (m) => m.status === 'PROCESSING', 0.8);
        const success = random.chance(0.8);
        code = (await codeOf(() => payments.complete(p.paymentId, success ? { kind: 'success' } : { kind: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' }))).code;
        if (p.status === 'PROCESSING') {
          expect(code, where).toBe('SUCCESS');
          p.status = success ? 'SUCCESS' : 'FAIL';
          expectedEvents = [(e) => e.kind === 'payment-final' && e.payment.paymentId === p.paymentId && e.payment.status === p.status];
        } else {
          expect(code, where).toBe('ORDER_STATUS_INVALID');
        }
        break;
      }
      case 'capture': {
        const p = pickPayment(random, model, (m) => m.manual && m.status === 'SUCCESS' && !m.closed, 0.75);
        const remaining = p.amount - p.captured;
        const amount = random.weighted<bigint>([
          [0n, 2], [remaining, 20], [BigInt(random.int(1, Math.max(1, Number(remaining)))), 50], [remaining + BigInt(random.int(1, 100)), 15], [BigInt(random.int(1, Number(p.amount))), 13],
        ]);
        const currency = random.chance(0.04) ? (p.currency === 'USD' ? 'JPY' : 'USD') : p.currency;
        const isLastCapture = random.chance(0.25);
        const request: CaptureRequest = { captureRequestId: uniqueId('cap'), paymentId: p.paymentId, captureAmount: { currency, value: amount.toString() }, isLastCapture };
        const answer = await codeOf(() => runModule(captureModule, clientId, request));
        code = answer.code;
        const multiple = capabilitiesOf(CATALOGUE, p.method).multipleCaptures;
        const expected = amount === 0n || currency !== p.currency ? 'PARAM_ILLEGAL'
          : p.status === 'CANCELLED' ? 'ORDER_IS_CANCELED'
          : !p.manual || p.status !== 'SUCCESS' ? 'ORDER_STATUS_INVALID'
          : !multiple && p.captures > 0 ? 'MULTI_CAPTURE_NOT_SUPPORTED'
          : p.closed ? 'ORDER_STATUS_INVALID'
          : amount > remaining ? 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT'
          : 'SUCCESS';
        expect(code, `${where}: capture ${amount} ${currency} of ${JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`).toBe(expected);
        if (code === 'SUCCESS') {
          const captureId = (answer.value as unknown as { captureId: string }).captureId;
          p.captured += amount;
          p.captures += 1;
          if (isLastCapture || !multiple) p.closed = true;
          expectedEvents = [(e) => e.kind === 'capture-final' && e.capture.captureId === captureId && e.capture.status === 'SUCCESS' && e.capture.amount === amount];
        }
        break;
      }
      case 'refund': {
        const p = pickPayment(random, model, (m) => m.status === 'SUCCESS', 0.75);
        const refundable = p.manual ? p.captured : p.amount;
        const remaining = refundable - p.refunded;
        const amount = random.weighted<bigint>([
          [0n, 2], [remaining, 20], [BigInt(random.int(1, Math.max(1, Number(remaining)))), 50], [remaining + BigInt(random.int(1, 100)), 15], [BigInt(random.int(1, Number(p.amount))), 13],
        ]);
        const currency = random.chance(0.04) ? (p.currency === 'USD' ? 'JPY' : 'USD') : p.currency;
        const request: RefundRequest = { refundRequestId: uniqueId('rfd'), paymentId: p.paymentId, refundAmount: { currency, value: amount.toString() } };
        const answer = await codeOf(() => runModule(refundModule, clientId, request));
        code = answer.code;
        const expected = amount === 0n || currency !== p.currency ? 'PARAM_ILLEGAL'
          : p.status === 'CANCELLED' ? 'ORDER_IS_CANCELED'
          : p.status !== 'SUCCESS' ? 'ORDER_STATUS_INVALID'
          : p.manual && p.captured === 0n ? 'ORDER_STATUS_INVALID'
          : !capabilitiesOf(CATALOGUE, p.method).multipleRefunds && p.refunds > 0 ? 'MULTIPLE_REFUNDS_NOT_SUPPORTED'
          : amount > remaining ? 'REFUND_AMOUNT_EXCEED'
          : 'SUCCESS';
        expect(code, `${where}: refund ${amount} ${currency} of ${JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`).toBe(expected);
        if (code === 'SUCCESS') {
          const refundId = (answer.value as unknown as { refundId: string }).refundId;
          p.refunded += amount;
          p.refunds += 1;
          recordedRefunds.push({ refundRequestId: request.refundRequestId, refundId, paymentId: p.paymentId, currency, amount });
          expectedEvents = [(e) => e.kind === 'refund-final' && e.refund.refundId === refundId && e.refund.status === 'SUCCESS' && e.refund.amount === amount];
        }
        break;
      }
      case 'repeat-refund': {
        if (recordedRefunds.length === 0) {
          code = 'skipped';
          break;
        }
        const r = random.pick(recordedRefunds);
        const same = random.chance(0.7);
        const amount = same ? r.amount : r.amount + BigInt(random.int(1, 50));
        const request: RefundRequest = { refundRequestId: r.refundRequestId, paymentId: r.paymentId, refundAmount: { currency: r.currency, value: amount.toString() } };
        const answer = await codeOf(() => runModule(refundModule, clientId, request));
        code = answer.code;
        expect(code, where).toBe(same ? 'SUCCESS' : 'REPEAT_REQ_INCONSISTENT');
        if (same) expect((answer.value as unknown as { refundId: string }).refundId, where).toBe(r.refundId);
        break;
      }
      case 'cancel': {
        const p = random.pick(model);
        const request: CancelRequest = random.chance(0.5) ? { paymentId: p.paymentId } : { paymentRequestId: p.paymentRequestId };
        code = (await codeOf(() => payments.cancel(clientId, request))).code;
        const expected = p.status === 'FAIL' || (p.status === 'SUCCESS' && p.refunds > 0) ? 'ORDER_STATUS_INVALID' : 'SUCCESS';
        expect(code, where).toBe(expected);
        if (code === 'SUCCESS' && p.status !== 'CANCELLED') {
          p.status = 'CANCELLED';
          p.closed = true;
          expectedEvents = [(e) => e.kind === 'payment-final' && e.payment.paymentId === p.paymentId && e.payment.status === 'CANCELLED'];
        }
        break;
      }
    }
    seen[`${op} ${code}`] = (seen[`${op} ${code}`] ?? 0) + 1;

    // The events raised are exactly the ones the step should raise.
    const raised = sink.events.slice(eventsBefore);
    expect(raised.length, `${where}: events ${raised.map((e) => e.kind).join(', ')}`).toBe(expectedEvents.length);
    expectedEvents.forEach((matches, i) => expect(matches(raised[i]!), `${where}: event ${i} ${raised[i]?.kind}`).toBe(true));

    // The journal invariants, and each payment's balances as the model says.
    const report = await checkLedger(database, { derivedBalances: step % 40 === 39 });
    expect(report.violations, where).toEqual([]);
    for (const p of model) {
      const money = report.payments.get(p.paymentId);
      const merchant = p.status !== 'SUCCESS' ? 0n : p.manual ? p.captured - p.refunded : p.amount - p.refunded;
      const hold = p.status === 'SUCCESS' && p.manual && !p.closed ? p.amount - p.captured : 0n;
      const actual = { merchant: money?.merchant ?? 0n, hold: money?.hold ?? 0n, captured: money?.captured ?? 0n, refunded: money?.refunded ?? 0n };
      expect(actual, `${where}: payment ${p.paymentId} (${p.status}, ${p.manual ? 'manual' : 'automatic'})`).toEqual({ merchant, hold, captured: p.captured, refunded: p.refunded });
    }
  }
  return seen;
}

const envSeed = process.env.AMSGATE_PROPERTY_SEED;
const SEEDS = envSeed !== undefined ? [Number(envSeed)] : [20_240_601, 7, 424_242];
const STEPS = Number(process.env.AMSGATE_PROPERTY_STEPS ?? 0);

describe.each(DIALECTS)('random money sequences on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    // SQLite runs more of them; PostgreSQL a shorter run of each seed.
    const steps = STEPS > 0 ? STEPS : dialect === 'sqlite' ? 400 : 200;
    it.each(SEEDS)(`seed %i, ${steps} steps: every answer as the model says, the journal sound after each step`, async (seed) => {
      const schema = `p_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      const database = await openDatabase(dialect === 'postgres' ? { url: POSTGRES_URL, schema } : { dataDir: mkdtempSync(join(tmpdir(), 'amsgate-prop-')) });
      try {
        const clientId = (await new ClientsRepository(database).create({ sandbox: true })).client.clientId;
        const seen = await runSequence(database, clientId, seed, steps);
        // The sequence reached the interesting outcomes, not only the refusals.
        for (const outcome of ['refund SUCCESS', 'refund REFUND_AMOUNT_EXCEED', 'capture SUCCESS', 'capture CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT', 'cancel SUCCESS']) {
          expect(seen[outcome] ?? 0, `seed ${seed}: ${outcome} never happened (${JSON.stringify(seen)})`).toBeGreaterThan(0);
        }
      } finally {
        await database.close();
        if (dialect === 'postgres') await dropSchema(schema);
      }
    }, 120_000);
  });
});
