/**
 * Sandbox scenario simulation (`/sandbox/scenarios`): rules that make an
 * endpoint answer a chosen result code for the next K calls or for a while
 * on the gateway clock, before the handler runs (nothing recorded). Rules
 * live in the gateway process, so SQLite is enough here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import type { ScenarioView } from '../src/sandbox/scenarios.js';
import { cashierPay, startTestGateway, type TestGateway } from './harness.js';

async function control(t: TestGateway, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

async function addRule(t: TestGateway, rule: Record<string, unknown>): Promise<ScenarioView> {
  const created = await control(t, 'POST', '/sandbox/scenarios', { clientId: t.client.client.clientId, ...rule });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return created.json.scenario as ScenarioView;
}

async function countRows(t: TestGateway, paymentRequestId: string): Promise<{ payments: number; keys: number }> {
  const db = t.gateway.database.db;
  const payments = await db.selectFrom('payments').select('payment_id').where('payment_request_id', '=', paymentRequestId).execute();
  const keys = await db.selectFrom('idempotency_keys').select('request_id').where('request_id', '=', paymentRequestId).execute();
  return { payments: payments.length, keys: keys.length };
}

describe('scenario simulation (sandbox mode)', () => {
  let t: TestGateway;
  let clock: SandboxClock;

  beforeAll(async () => {
    clock = new SandboxClock();
    t = await startTestGateway('sqlite', { clock });
  });
  afterAll(async () => t?.close());

  it('answers the next K calls with the chosen code, records nothing, then lets calls through', async () => {
    const rule = await addRule(t, { endpoint: 'payments/pay', resultCode: 'USER_BALANCE_NOT_ENOUGH', times: 2 });
    expect(rule).toMatchObject({ endpoint: 'payments/pay', resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F', remainingCalls: 2, expiresAt: null, answered: 0 });
    expect(rule.id).toMatch(/^SCN[0-9A-F]{20}$/);

    const first = cashierPay();
    const second = cashierPay();
    for (const body of [first, second]) {
      const answer = await t.call('payments/pay', body);
      expect(answer.status).toBe(200);
      expect(answer.signatureValid).toBe(true);
      expect(answer.body).toEqual({ result: { resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F', resultMessage: expect.stringContaining(rule.id) as string } });
      expect(answer.body.result.resultMessage).toContain('Simulated scenario');
      const inquiry = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
      expect(inquiry.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect(await countRows(t, body.paymentRequestId as string)).toEqual({ payments: 0, keys: 0 });
    }
    // The rule ran out and is gone.
    expect((await control(t, 'GET', '/sandbox/scenarios')).json.scenarios).toEqual([]);

    const third = await t.call('payments/pay', cashierPay());
    expect(third.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect(third.body.paymentId).toEqual(expect.any(String));
    // The request that was refused can be sent again and is processed normally.
    const again = await t.call('payments/pay', first);
    expect(again.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
  });

  it('a time-limited rule ends when the sandbox clock passes its end', async () => {
    const rule = await addRule(t, { endpoint: 'payments/inquiryPayment', resultCode: 'UNKNOWN_EXCEPTION', for: '10m' });
    expect(rule.remainingCalls).toBeNull();
    expect(Date.parse(rule.expiresAt as string) - clock.now()).toBeGreaterThan(9 * 60_000);
    const paymentId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
    for (let i = 0; i < 3; i++) {
      const answer = await t.call('payments/inquiryPayment', { paymentId });
      expect(answer.body.result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
      expect(answer.signatureValid).toBe(true);
    }
    const listed = (await control(t, 'GET', '/sandbox/scenarios')).json.scenarios as ScenarioView[];
    expect(listed.find((s) => s.id === rule.id)?.answered).toBe(3);

    clock.advance(9 * 60_000);
    expect((await t.call('payments/inquiryPayment', { paymentId })).body.result.resultCode).toBe('UNKNOWN_EXCEPTION');
    clock.advance(60_000);
    const after = await t.call('payments/inquiryPayment', { paymentId });
    expect(after.body.result.resultCode).toBe('SUCCESS');
    expect(after.body.paymentStatus).toBe('PROCESSING');
    expect((await control(t, 'GET', '/sandbox/scenarios')).json.scenarios).toEqual([]);
  });

  it('forMs works too, and a rule with neither times nor a duration lasts 30 minutes', async () => {
    const byMs = await addRule(t, { endpoint: 'payments/refund', resultCode: 'RISK_REJECT', forMs: 5_000 });
    expect(Date.parse(byMs.expiresAt as string) - Date.parse((await control(t, 'GET', '/sandbox/clock')).json.now as string)).toBeLessThanOrEqual(5_000);
    const byDefault = await addRule(t, { endpoint: 'payments/refund', resultCode: 'RISK_REJECT' });
    expect(Date.parse(byDefault.expiresAt as string) - clock.now()).toBeGreaterThan(29 * 60_000);
    expect((await control(t, 'DELETE', `/sandbox/scenarios/${byMs.id}`)).status).toBe(200);
    expect((await control(t, 'DELETE', `/sandbox/scenarios/${byDefault.id}`)).json).toEqual({ removed: 1 });
    expect((await control(t, 'DELETE', `/sandbox/scenarios/${byDefault.id}`)).status).toBe(404);
  });

  it('a match rule answers only the requests whose fields match', async () => {
    const rule = await addRule(t, { endpoint: '/ams/api/v1/payments/pay', resultCode: 'USER_AMOUNT_EXCEED_LIMIT', times: 5, match: { paymentMethodType: 'GCASH' } });
    expect(rule.endpoint).toBe('payments/pay');
    expect(rule.match).toEqual({ paymentMethodType: 'GCASH' });
    const other = await t.call('payments/pay', cashierPay());
    expect(other.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const matched = await t.call('payments/pay', cashierPay({ paymentMethod: { paymentMethodType: 'GCASH' } }));
    expect(matched.body.result).toMatchObject({ resultCode: 'USER_AMOUNT_EXCEED_LIMIT', resultStatus: 'F' });

    // A dotted path from the top of the body, several fields: all must match.
    const dotted = await addRule(t, { endpoint: 'payments/pay', resultCode: 'RISK_REJECT', times: 1, match: { 'paymentAmount.value': 4242, 'paymentAmount.currency': 'USD' } });
    const notAll = await t.call('payments/pay', cashierPay({ paymentAmount: { currency: 'EUR', value: '4242' }, order: { referenceOrderId: 'o', orderDescription: 'd', orderAmount: { currency: 'EUR', value: '4242' } } }));
    expect(notAll.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const all = await t.call('payments/pay', cashierPay({ paymentAmount: { currency: 'USD', value: '4242' }, order: { referenceOrderId: 'o', orderDescription: 'd', orderAmount: { currency: 'USD', value: '4242' } } }));
    expect(all.body.result.resultCode).toBe('RISK_REJECT');
    expect(all.body.result.resultMessage).toContain(dotted.id);
    expect((await control(t, 'DELETE', `/sandbox/scenarios?clientId=${t.client.client.clientId}`)).json).toEqual({ removed: 1 });
  });

  it("another client's requests are unaffected", async () => {
    const other = await t.gateway.clients.create({ sandbox: true, name: 'other merchant' });
    const rule = await addRule(t, { endpoint: 'payments/pay', resultCode: 'USER_BALANCE_NOT_ENOUGH', times: 1 });
    const theirs = await t.call('payments/pay', cashierPay(), { clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string });
    expect(theirs.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const listed = (await control(t, 'GET', `/sandbox/scenarios?clientId=${t.client.client.clientId}`)).json.scenarios as ScenarioView[];
    expect(listed.map((s) => s.id)).toEqual([rule.id]);
    expect((await control(t, 'GET', `/sandbox/scenarios?clientId=${other.client.clientId}`)).json.scenarios).toEqual([]);
    expect((await t.call('payments/pay', cashierPay())).body.result.resultCode).toBe('USER_BALANCE_NOT_ENOUGH');
  });

  it('a U answer, then a retry of the same request once the rule is gone, makes exactly one payment', async () => {
    await addRule(t, { endpoint: 'payments/pay', resultCode: 'UNKNOWN_EXCEPTION', times: 1 });
    const body = cashierPay();
    const unknown = await t.call('payments/pay', body);
    expect(unknown.body).toEqual({ result: expect.objectContaining({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' }) as unknown });
    expect(unknown.signatureValid).toBe(true);
    expect(await countRows(t, body.paymentRequestId as string)).toEqual({ payments: 0, keys: 0 });

    const retry = await t.call('payments/pay', body);
    expect(retry.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const retryAgain = await t.call('payments/pay', body);
    expect(retryAgain.body.paymentId).toBe(retry.body.paymentId);
    expect(await countRows(t, body.paymentRequestId as string)).toEqual({ payments: 1, keys: 1 });
  });

  it('requests that fail authentication or validation are not answered by a rule', async () => {
    const rule = await addRule(t, { endpoint: 'payments/pay', resultCode: 'USER_BALANCE_NOT_ENOUGH', times: 1 });
    const badSignature = await t.call('payments/pay', cashierPay(), { headers: { signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA' } });
    expect(badSignature.body.result.resultCode).toBe('INVALID_SIGNATURE');
    const invalid = await t.call('payments/pay', { productCode: 'CASHIER_PAYMENT' });
    expect(invalid.body.result.resultCode).toBe('PARAM_ILLEGAL');
    const listed = (await control(t, 'GET', '/sandbox/scenarios')).json.scenarios as ScenarioView[];
    expect(listed.find((s) => s.id === rule.id)).toMatchObject({ remainingCalls: 1, answered: 0 });
    expect((await control(t, 'DELETE', `/sandbox/scenarios/${rule.id}`)).status).toBe(200);
  });

  it('refuses bad rules with 400 and a message saying why', async () => {
    const clientId = t.client.client.clientId;
    const cases: Array<[unknown, string]> = [
      [{ clientId, endpoint: 'payments/payy', resultCode: 'RISK_REJECT' }, 'not an AMS endpoint'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'NOT_A_CODE' }, 'not a result code'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'SUCCESS' }, 'cannot be simulated'],
      [{ clientId, endpoint: 'payments/pay' }, 'resultCode: required'],
      [{ endpoint: 'payments/pay', resultCode: 'RISK_REJECT' }, 'clientId: required'],
      [{ clientId: 'SANDBOX_NOBODY', endpoint: 'payments/pay', resultCode: 'RISK_REJECT' }, 'no client SANDBOX_NOBODY'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', times: 0 }, 'times: must be an integer'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', times: 1.5 }, 'times: must be an integer'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', times: 2, for: '10m' }, 'at most one of'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', for: 'ten minutes' }, 'is not a duration'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', forMs: 0 }, 'more than 0'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', match: 'GCASH' }, 'match: must be an object'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', match: { paymentMethodType: { a: 1 } } }, 'must be a string, number or boolean'],
      [{ clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT', colour: 'red' }, 'unknown field(s) colour'],
      ['not json', 'not JSON'],
      [[1, 2], 'must be a JSON object'],
    ];
    for (const [body, message] of cases) {
      const refused = await control(t, 'POST', '/sandbox/scenarios', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json.error).toContain(message);
    }
    expect((await control(t, 'GET', '/sandbox/scenarios')).json.scenarios).toEqual([]);
  });
});

describe('scenario simulation in gateway mode', () => {
  it('has no scenario routes', async () => {
    const t = await startTestGateway('sqlite', { mode: 'gateway', adminToken: 'secret-token' });
    try {
      const auth = { authorization: 'Bearer secret-token' };
      const body = { clientId: t.client.client.clientId, endpoint: 'payments/pay', resultCode: 'RISK_REJECT' };
      expect((await control(t, 'POST', '/sandbox/scenarios', body, auth)).status).toBe(404);
      expect((await control(t, 'GET', '/sandbox/scenarios', undefined, auth)).status).toBe(404);
      expect((await control(t, 'DELETE', '/sandbox/scenarios/SCN1', undefined, auth)).status).toBe(404);
      expect((await t.call('payments/pay', cashierPay())).body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    } finally {
      await t.close();
    }
  });
});
