/**
 * The request core against a scripted server: signing on the wire, response
 * verification (forged, altered, stripped, unsigned), retries and their
 * limits, timeouts and the caller's signal.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { canonicalRequestPath, ENDPOINT_DEFINITIONS, importPublicKey, isIdempotent, verifyHeader, type CancelResponse, type PayRequest, type PayResponse } from '@amsgate/protocol';
import {
  AntomApiError,
  AntomClient,
  AntomTransportError,
  SignatureVerificationError,
  TimeoutError,
  unwrap,
  type Answer,
  type AntomClientOptions,
  type ResultOnly,
} from '../src/index.js';
import { KEYS, rejection } from './fixtures.js';
import { MOCK_CLIENT_ID, answer, delayed, httpStatus, reset, result, stallBody, startMockAntom, type MockAntom } from './mock-antom.js';

let mock: MockAntom;
beforeAll(async () => {
  mock = await startMockAntom();
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.requests.length = 0;
});

function client(overrides: Partial<AntomClientOptions> = {}): AntomClient {
  return new AntomClient({
    clientId: MOCK_CLIENT_ID,
    privateKey: KEYS.merchant_v1.privateKeyPkcs8Base64,
    antomPublicKey: KEYS.server_v1.publicKeyBase64,
    baseUrl: mock.baseUrl,
    retryDelayMs: 1,
    timeoutMs: 2_000,
    ...overrides,
  });
}

const inquiry = { paymentId: 'PAY-1' };
const refund = { refundRequestId: 'R-1', paymentId: 'PAY-1', refundAmount: { currency: 'USD', value: '100' } };
const PROCESSING = result('S', 'SUCCESS', { paymentId: 'PAY-1', paymentStatus: 'PROCESSING' });

describe('requests on the wire', () => {
  it('are POSTed to /ams/api/v1/<endpoint> with the SDK headers, signed over the exact body with the merchant key', async () => {
    mock.script(answer(PROCESSING));
    const answered = await client().inquiryPayment(inquiry);
    expect(answered.resultStatus).toBe('S');
    const [sent] = mock.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/ams/api/v1/payments/inquiryPayment');
    expect(sent?.text).toBe('{"paymentId":"PAY-1"}');
    expect(sent?.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(sent?.headers['client-id']).toBe(MOCK_CLIENT_ID);
    expect(sent?.headers['request-time']).toMatch(/^\d{13}$/);
    expect(sent?.headers['agent-token']).toBeUndefined();
    expect(sent?.headers['signature']).toMatch(/^algorithm=RSA256,keyVersion=1,signature=[A-Za-z0-9%]+$/);
    const verified = verifyHeader(
      { uri: sent?.url ?? '', clientId: MOCK_CLIENT_ID, time: String(sent?.headers['request-time']), body: sent?.body ?? '' },
      String(sent?.headers['signature']),
      importPublicKey(KEYS.merchant_v1.publicKeyBase64),
    );
    expect(verified.ok).toBe(true);
    expect(answered.exchange.request.headers['signature']).toBe(sent?.headers['signature']);
  });

  it('send keyVersion and agent-token as configured; the agent token is not part of what is signed', async () => {
    mock.script(answer(PROCESSING));
    await client({ keyVersion: 7, agentToken: 'isv-token-123' }).inquiryPayment(inquiry);
    const [sent] = mock.requests;
    expect(sent?.headers['agent-token']).toBe('isv-token-123');
    expect(sent?.headers['signature']).toMatch(/^algorithm=RSA256,keyVersion=7,/);
    const verified = verifyHeader(
      { uri: sent?.url ?? '', clientId: MOCK_CLIENT_ID, time: String(sent?.headers['request-time']), body: sent?.body ?? '' },
      String(sent?.headers['signature']),
      importPublicKey(KEYS.merchant_v1.publicKeyBase64),
    );
    expect(verified.ok).toBe(true);
  });

  it('are signed identically on the thread pool with signOffThread', async () => {
    mock.script(answer(PROCESSING));
    const answered = await client({ signOffThread: true }).inquiryPayment(inquiry);
    expect(answered.resultStatus).toBe('S');
    const [sent] = mock.requests;
    const verified = verifyHeader(
      { uri: sent?.url ?? '', clientId: MOCK_CLIENT_ID, time: String(sent?.headers['request-time']), body: sent?.body ?? '' },
      String(sent?.headers['signature']),
      importPublicKey(KEYS.merchant_v1.publicKeyBase64),
    );
    expect(verified.ok).toBe(true);
  });

  it('use /ams/sandbox/api for SANDBOX_ client ids unless told otherwise, and the full path given to request()', async () => {
    const seen: string[] = [];
    const fetchSpy = async (url: string) => {
      seen.push(url);
      return new Response('{}', { status: 418 });
    };
    const keys = { privateKey: KEYS.merchant_v1.privateKeyPkcs8Base64, antomPublicKey: KEYS.server_v1.publicKeyBase64, maxRetries: 0, fetch: fetchSpy };
    const sandbox = new AntomClient({ clientId: 'SANDBOX_5Y01', region: 'asia', ...keys });
    const forced = new AntomClient({ clientId: 'SANDBOX_5Y01', baseUrl: 'https://gw.example:8443', sandbox: false, ...keys });
    const live = new AntomClient({ clientId: '5Y01', region: 'north-america', ...keys });
    await rejection(sandbox.pay({} as never));
    await rejection(sandbox.request('/ams/api/v1/payments/inquiryPayment', inquiry));
    await rejection(sandbox.request('v2/payments/pay', {}));
    await rejection(forced.inquiryRefund({ refundId: 'R' }));
    await rejection(live.authorizations.applyToken({ grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: 'c' }));
    await rejection(new AntomClient({ clientId: '5Y01', region: 'united-states', ...keys }).capture({} as never));
    await rejection(new AntomClient({ clientId: '5Y01', region: 'europe', ...keys }).consult({} as never));
    expect(seen).toEqual([
      'https://open-sea-global.alipay.com/ams/sandbox/api/v1/payments/pay',
      'https://open-sea-global.alipay.com/ams/sandbox/api/v1/payments/inquiryPayment',
      'https://open-sea-global.alipay.com/ams/sandbox/api/v2/payments/pay',
      'https://gw.example:8443/ams/api/v1/payments/inquiryRefund',
      'https://open-na-global.alipay.com/ams/api/v1/authorizations/applyToken',
      'https://open.antglobal-us.com/ams/api/v1/payments/capture',
      'https://open-de-global.alipay.com/ams/api/v1/payments/consult',
    ]);
  });

  it('prepareRequest signs without sending', async () => {
    const prepared = await client().prepareRequest('payments/cancel', { paymentId: 'PAY-9' });
    expect(mock.requests).toHaveLength(0);
    expect(prepared.url).toBe(`${mock.baseUrl}/ams/api/v1/payments/cancel`);
    expect(prepared.body).toBe('{"paymentId":"PAY-9"}');
    const verified = verifyHeader(
      { uri: prepared.uri, clientId: prepared.clientId, time: prepared.requestTime, body: prepared.body },
      prepared.headers['signature'],
      importPublicKey(KEYS.merchant_v1.publicKeyBase64),
    );
    expect(verified.ok).toBe(true);
  });
});

/** `client.pay` or `client.authorizations.consult`, by a definition's method name. */
function methodOf(antom: AntomClient, method: string): (request: object) => Promise<Answer<unknown, unknown>> {
  const [first, second] = method.split('.') as [string, string | undefined];
  const owner = (second === undefined ? antom : (antom as unknown as Record<string, unknown>)[first]) as Record<string, unknown>;
  const found = owner[second ?? first];
  if (typeof found !== 'function') throw new Error(`client has no method ${method}`);
  return (found as (request: object) => Promise<Answer<unknown, unknown>>).bind(owner);
}

describe('per-endpoint methods, from the protocol definitions', () => {
  it.each(Object.values(ENDPOINT_DEFINITIONS))('$method posts its request to $path', async (definition) => {
    mock.script(answer(result('S', 'SUCCESS')));
    const answered = await methodOf(client(), definition.method)(definition.example.request());
    expect(answered.resultStatus).toBe('S');
    // /ams/api/v1/<path>, or the definition's own path (the attachment upload's is outside /ams/api/v1).
    expect(mock.requests.map((request) => request.url)).toEqual([canonicalRequestPath(definition)]);
    if (definition.requestPath === undefined) expect(mock.requests[0]!.url).toBe(`/ams/api/v1/${definition.path}`);
  });

  it.each(Object.values(ENDPOINT_DEFINITIONS))('$method is retried after UNKNOWN_EXCEPTION only when its definition allows', async (definition) => {
    mock.script(answer(result('U', 'UNKNOWN_EXCEPTION')), answer(result('S', 'SUCCESS')));
    const answered = await methodOf(client({ maxRetries: 1 }), definition.method)(definition.example.request());
    expect(answered.attempts).toBe(isIdempotent(definition) ? 2 : 1);
  });

  it('are typed by the definitions: U carries the response only where there is an in-process code', () => {
    const antom = client();
    expectTypeOf(antom.pay).parameter(0).toEqualTypeOf<PayRequest>();
    expectTypeOf(antom.pay).returns.resolves.toEqualTypeOf<Answer<PayResponse, PayResponse>>();
    expectTypeOf(antom.cancel).returns.resolves.toEqualTypeOf<Answer<CancelResponse, ResultOnly>>();
    expectTypeOf(antom.authorizations.revoke).parameter(0).toHaveProperty('accessToken');
  });
});

describe('response verification', () => {
  it('accepts a correctly signed answer and says so', async () => {
    mock.script(answer(PROCESSING));
    const answered = await client().inquiryPayment(inquiry);
    expect(answered.signature).toBe('verified');
    if (answered.resultStatus !== 'S') throw new Error('expected S');
    expect(answered.data.paymentStatus).toBe('PROCESSING');
  });

  const forged: Array<[string, Parameters<typeof answer>[1], string]> = [
    ['signed with another key', { sign: 'wrong-key' }, 'MISMATCH'],
    ['body altered after signing', { alter: (body) => body.replace('PROCESSING', 'SUCCESS') }, 'MISMATCH'],
    ['signature stripped from an S answer', { sign: 'none' }, 'UNSIGNED_SUCCESS'],
    ['signature without response-time', { sign: 'signature-only' }, 'INCOMPLETE_SIGNATURE_HEADERS'],
    ['response-time without signature', { sign: 'time-only' }, 'INCOMPLETE_SIGNATURE_HEADERS'],
    ['signed for another client', { clientIdHeader: 'SOMEONE_ELSE' }, 'CLIENT_ID_MISMATCH'],
    ['an unreadable signature header', { extraHeaders: { signature: 'algorithm=RSA256,keyVersion=1,signature=%%%' } }, 'BAD_ENCODING'],
    ['an unknown algorithm', { extraHeaders: { signature: 'algorithm=RSA512,keyVersion=1,signature=AAAA' } }, 'UNKNOWN_ALGORITHM'],
  ];
  for (const [name, options, reason] of forged) {
    it(`refuses a response ${name} (${reason}), and does not retry it`, async () => {
      mock.script(answer(PROCESSING, options));
      const error = await rejection(client().inquiryPayment(inquiry));
      expect(error).toBeInstanceOf(SignatureVerificationError);
      expect((error as SignatureVerificationError).reason).toBe(reason);
      expect((error as SignatureVerificationError).exchange.request.uri).toBe('/ams/api/v1/payments/inquiryPayment');
      expect(mock.requests).toHaveLength(1);
    });
  }

  it('refuses a validly signed answer replayed to another endpoint (the signature covers the path)', async () => {
    const signedForPay = answer(PROCESSING);
    mock.script((request, response) => signedForPay({ ...request, url: '/ams/api/v1/payments/pay' }, response));
    const error = await rejection(client().inquiryPayment(inquiry));
    expect((error as SignatureVerificationError).reason).toBe('MISMATCH');
  });

  it('accepts an unsigned F answer as unsigned (gateway-generated errors)', async () => {
    mock.script(answer(result('F', 'INVALID_SIGNATURE'), { sign: 'none' }));
    const answered = await client().inquiryPayment(inquiry);
    expect(answered.resultStatus).toBe('F');
    expect(answered.signature).toBe('unsigned');
    expect(answered.result.resultCode).toBe('INVALID_SIGNATURE');
    expect(mock.requests).toHaveLength(1);
  });

  it('accepts an unsigned U answer, and retries it like a signed one', async () => {
    mock.script(answer(result('U', 'UNKNOWN_EXCEPTION'), { sign: 'none' }), answer(PROCESSING));
    const answered = await client().inquiryPayment(inquiry);
    expect(answered.resultStatus).toBe('S');
    expect(answered.attempts).toBe(2);
  });

  it('passes on nothing but result from an unsigned answer: its other fields could come from anything on the path', async () => {
    mock.script(answer(result('U', 'PAYMENT_IN_PROCESS', { paymentId: 'PAY-PAID-EARLIER', normalUrl: 'https://evil.example/pay' }), { sign: 'none' }));
    const answered = await client().pay({} as never);
    expect(answered).toMatchObject({ resultStatus: 'U', signature: 'unsigned' });
    expect(answered.data).toEqual({ result: { resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS', resultMessage: expect.any(String) } });
  });

  it('accepts an unsigned S only from meter/uploadEvent, the one route Antom answers unsigned', async () => {
    mock.script(answer(result('S', 'SUCCESS'), { sign: 'none' }));
    const answered = await client().request('meter/uploadEvent', { events: [] });
    expect(answered).toMatchObject({ resultStatus: 'S', signature: 'unsigned' });
    const error = await rejection(client().request('meter/somethingElse', { events: [] }));
    expect((error as SignatureVerificationError).reason).toBe('UNSIGNED_SUCCESS');
  });

  it('refuses an unsigned 200 that is not an F/U answer (a proxy page)', async () => {
    mock.script(httpStatus(200, '<html>maintenance</html>', { 'content-type': 'text/html' }));
    const error = await rejection(client().inquiryPayment(inquiry));
    expect((error as SignatureVerificationError).reason).toBe('UNSIGNED_UNREADABLE');
  });

  it('reports a signed 200 that is not an AMS answer as INVALID_RESPONSE', async () => {
    mock.script(answer('{"no":"result"}'));
    const error = await rejection(client().inquiryPayment(inquiry));
    expect(error).toBeInstanceOf(AntomTransportError);
    expect((error as AntomTransportError).kind).toBe('INVALID_RESPONSE');
  });

  it('drops null fields, keeps unknown ones', async () => {
    mock.script(answer(result('S', 'SUCCESS', { paymentId: 'PAY-1', paymentStatus: 'SUCCESS', paymentTime: null, futureField: { a: null, b: 1 } })));
    const answered = await client().inquiryPayment(inquiry);
    if (answered.resultStatus !== 'S') throw new Error('expected S');
    expect('paymentTime' in answered.data).toBe(false);
    expect((answered.data as Record<string, unknown>)['futureField']).toEqual({ b: 1 });
  });
});

describe('non-200 answers', () => {
  it('become AntomTransportError with the status and a body excerpt, not retried when 4xx', async () => {
    mock.script(httpStatus(404, 'x'.repeat(2000)));
    const error = await rejection(client().inquiryPayment(inquiry));
    expect(error).toBeInstanceOf(AntomTransportError);
    const transport = error as AntomTransportError;
    expect(transport.kind).toBe('HTTP_STATUS');
    expect(transport.status).toBe(404);
    expect(transport.bodyExcerpt?.length).toBe(501);
    expect(transport.attempts).toBe(1);
    expect(mock.requests).toHaveLength(1);
  });

  it('a redirect is reported, never followed', async () => {
    mock.script(httpStatus(302, '', { location: '/elsewhere' }));
    const error = await rejection(client().inquiryPayment(inquiry));
    expect((error as AntomTransportError).status).toBe(302);
    expect(mock.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retry a U answer with the byte-identical body, a fresh request-time and signature, then return the S', async () => {
    mock.script(answer(result('U', 'UNKNOWN_EXCEPTION')), answer(result('U', 'REQUEST_TRAFFIC_EXCEED_LIMIT')), answer(result('S', 'SUCCESS', { refundId: 'RF-1' })));
    const answered = await client().refund(refund);
    expect(answered.resultStatus).toBe('S');
    expect(answered.attempts).toBe(3);
    expect(mock.requests).toHaveLength(3);
    const [first, second, third] = mock.requests;
    expect(second?.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
    expect(third?.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
    expect(first?.text).toContain('"refundRequestId":"R-1"');
    expect(new Set(mock.requests.map((r) => r.headers['signature'])).size).toBe(3);
  });

  it('never retry PAYMENT_IN_PROCESS: it is the normal pay answer', async () => {
    mock.script(answer(result('U', 'PAYMENT_IN_PROCESS', { paymentId: 'PAY-1', normalUrl: 'https://pay.example/1' })));
    const answered = await client().pay({} as never);
    expect(answered.resultStatus).toBe('U');
    if (answered.resultStatus === 'U') expect(answered.data.normalUrl).toBe('https://pay.example/1');
    expect(mock.requests).toHaveLength(1);
  });

  it('never retry an F', async () => {
    mock.script(answer(result('F', 'REPEAT_REQ_INCONSISTENT')), answer(PROCESSING));
    const answered = await client().pay({} as never);
    expect(answered.resultStatus).toBe('F');
    expect(mock.requests).toHaveLength(1);
  });

  it('return the last U when the retries are used up', async () => {
    mock.script(answer(result('U', 'UNKNOWN_EXCEPTION')));
    const answered = await client({ maxRetries: 2 }).capture({ captureRequestId: 'C', paymentId: 'P', captureAmount: { currency: 'USD', value: '1' } });
    expect(answered.resultStatus).toBe('U');
    expect(answered.attempts).toBe(3);
    expect(mock.requests).toHaveLength(3);
    expect(() => unwrap(answered)).toThrow(AntomApiError);
  });

  it('retry HTTP 5xx and a connection lost after sending, on idempotent endpoints', async () => {
    mock.script(httpStatus(503), reset, answer(PROCESSING));
    const answered = await client().inquiryPayment(inquiry);
    expect(answered.attempts).toBe(3);
    expect(mock.requests).toHaveLength(3);
  });

  it('report the last failure when 5xx persists', async () => {
    mock.script(httpStatus(502));
    const error = await rejection(client({ maxRetries: 1 }).inquiryPayment(inquiry));
    expect((error as AntomTransportError).status).toBe(502);
    expect((error as AntomTransportError).attempts).toBe(2);
  });

  it('do not retry an endpoint of unknown idempotency after a lost answer, a 5xx or a U', async () => {
    for (const handler of [reset, httpStatus(500), answer(result('U', 'UNKNOWN_EXCEPTION'))]) {
      mock.requests.length = 0;
      mock.script(handler, answer(result('S', 'SUCCESS')));
      const outcome: unknown = await client().request('payments/somethingNew', { x: 1 }).catch((error: unknown) => error);
      expect(mock.requests).toHaveLength(1);
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(AntomTransportError);
      else expect((outcome as Answer<unknown, unknown>).resultStatus).toBe('U');
    }
  });

  it('retry such an endpoint when the caller declares it idempotent', async () => {
    mock.script(reset, answer(result('S', 'SUCCESS', { extra: 'yes' })));
    const answered = await client().request('payments/somethingNew', { x: 1 }, { idempotent: true });
    expect(answered.attempts).toBe(2);
    if (answered.resultStatus === 'S') expect(answered.data['extra']).toBe('yes');
  });

  it('retry a refused connection on every endpoint (nothing was sent), up to maxRetries', async () => {
    const port = await closedPort();
    const error = await rejection(client({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 }).request('payments/somethingNew', {}));
    expect(error).toBeInstanceOf(AntomTransportError);
    expect((error as AntomTransportError).kind).toBe('NETWORK');
    expect((error as AntomTransportError).message).toContain('ECONNREFUSED');
    expect((error as AntomTransportError).attempts).toBe(3);
  });

  it('back off exponentially between attempts', async () => {
    mock.script(answer(result('U', 'UNKNOWN_EXCEPTION')));
    const started = performance.now();
    await client({ retryDelayMs: 40, maxRetries: 2 }).inquiryPayment(inquiry);
    // Equal jitter: at least 20 ms, then at least 40 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
    expect(mock.requests).toHaveLength(3);
  });

  it('per-call maxRetries overrides the client setting', async () => {
    mock.script(answer(result('U', 'UNKNOWN_EXCEPTION')));
    const answered = await client({ maxRetries: 5 }).inquiryPayment(inquiry, { maxRetries: 0 });
    expect(answered.attempts).toBe(1);
    expect(mock.requests).toHaveLength(1);
  });
});

describe('secrets and limits', () => {
  it('sends the agent token, but answers and errors carry it redacted', async () => {
    mock.script(answer(PROCESSING), httpStatus(502));
    const isv = client({ agentToken: 'isv-secret-token-123', maxRetries: 0 });
    const answered = await isv.inquiryPayment(inquiry);
    const error = (await rejection(isv.inquiryPayment(inquiry))) as AntomTransportError;
    expect(mock.requests.map((r) => r.headers['agent-token'])).toEqual(['isv-secret-token-123', 'isv-secret-token-123']);
    expect(answered.exchange.request.headers['agent-token']).toBe('[redacted]');
    expect(error.request.headers['agent-token']).toBe('[redacted]');
    expect(JSON.stringify({ answered, error, request: error.request })).not.toContain('isv-secret-token-123');
  });

  it('refuses a timeout Node cannot keep (over 2^31-1 ms fires at once)', async () => {
    expect(() => client({ timeoutMs: 2 ** 31 })).toThrow(RangeError);
    await expect(client().inquiryPayment(inquiry, { timeoutMs: 2 ** 31 })).rejects.toThrow(RangeError);
    expect(() => client({ retryDelayMs: 2 ** 31 })).toThrow(RangeError);
    await expect(client().waitForFinal('PAY-1', { timeoutMs: 2 ** 31 })).rejects.toThrow(RangeError);
  });

  it('applyToken is not resent after a timeout: its authCode is single-use, a resend would hide that the first may have granted it', async () => {
    mock.script(delayed(1_000, answer(result('S', 'SUCCESS', { accessToken: 'T' }))), answer(result('F', 'INVALID_CODE')));
    const error = await rejection(client({ timeoutMs: 100, maxRetries: 3 }).authorizations.applyToken({ grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: 'c' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(mock.requests).toHaveLength(1);
  });
});

describe('waitForFinal and answers about another payment', () => {
  it('never takes a signed inquiry answer about another payment as this one\'s outcome', async () => {
    const otherPaid = answer(result('S', 'SUCCESS', { paymentId: 'PAY-OTHER', paymentStatus: 'SUCCESS' }));
    mock.script(otherPaid, otherPaid, otherPaid, otherPaid, otherPaid, otherPaid, otherPaid, otherPaid);
    const outcome = await client().waitForFinal('PAY-1', { pollEveryMs: 20, timeoutMs: 150 });
    expect(outcome.outcome).toBe('unknown');
    if (outcome.outcome !== 'unknown') throw new Error('expected unknown');
    expect(outcome.lastError?.kind).toBe('INVALID_RESPONSE');
    expect(outcome.lastError?.message).toContain('PAY-OTHER');
  });
});

describe('timeouts and abort', () => {
  it('a slow answer ends in TimeoutError after timeoutMs', async () => {
    mock.script(delayed(1_000, answer(PROCESSING)));
    const started = performance.now();
    const error = await rejection(client({ timeoutMs: 100, maxRetries: 0 }).inquiryPayment(inquiry));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(100);
    expect((error as TimeoutError).kind).toBe('TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(800);
  });

  it('the timeout covers reading the body', async () => {
    mock.script(stallBody);
    const error = await rejection(client({ timeoutMs: 150, maxRetries: 0 }).inquiryPayment(inquiry));
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('an idempotent call is retried after a timeout; an unknown endpoint is not', async () => {
    mock.script(delayed(1_000, answer(PROCESSING)), answer(PROCESSING));
    const answered = await client({ timeoutMs: 100 }).inquiryPayment(inquiry);
    expect(answered.attempts).toBe(2);

    mock.requests.length = 0;
    mock.script(delayed(1_000, answer(PROCESSING)), answer(PROCESSING));
    const error = await rejection(client({ timeoutMs: 100 }).request('payments/somethingNew', {}));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(mock.requests).toHaveLength(1);
  });

  it('per-call timeoutMs overrides the client setting', async () => {
    mock.script(delayed(1_000, answer(PROCESSING)));
    const error = await rejection(client({ timeoutMs: 5_000, maxRetries: 0 }).inquiryPayment(inquiry, { timeoutMs: 80 }));
    expect((error as TimeoutError).timeoutMs).toBe(80);
  });

  it("the caller's signal aborts a call in flight with the signal's reason", async () => {
    mock.script(delayed(1_000, answer(PROCESSING)));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(client().inquiryPayment(inquiry, { signal: controller.signal }));
    expect((error as Error).name).toBe('AbortError');
    expect(error).not.toBeInstanceOf(AntomTransportError);
    expect(mock.requests).toHaveLength(1);
  });

  it("the caller's signal also ends a backoff wait, and an already aborted signal sends nothing", async () => {
    mock.script(answer(result('U', 'UNKNOWN_EXCEPTION')));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    const error = await rejection(client({ retryDelayMs: 5_000 }).inquiryPayment(inquiry, { signal: controller.signal }));
    expect((error as Error).message).toBe('shutting down');
    expect(mock.requests).toHaveLength(1);

    mock.requests.length = 0;
    await rejection(client().inquiryPayment(inquiry, { signal: AbortSignal.abort() }));
    expect(mock.requests).toHaveLength(0);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
