/**
 * The team's shared signature vectors (packages/protocol/test/fixtures):
 * requests the SDK sends carry exactly the vectors' signatures, and the
 * response vector is accepted for its own path and refused for another.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AntomClient, SignatureVerificationError } from '../src/index.js';
import { KEYS, VECTORS, vector } from './fixtures.js';
import { startMockAntom, type MockAntom } from './mock-antom.js';

let mock: MockAntom;
beforeAll(async () => {
  mock = await startMockAntom();
});
afterAll(() => mock.close());
afterEach(() => {
  vi.useRealTimers();
  mock.requests.length = 0;
});

/** Request vectors an SDK can produce: compact JSON bodies (what JSON.stringify writes) and epoch-ms request-times. */
const reproducible = VECTORS.filter(
  (v) => v.direction === 'request' && /^\d{13}$/.test(v.time) && v.body !== '' && JSON.stringify(JSON.parse(v.body)) === v.body,
);

describe('request vectors', () => {
  it('cover several vectors (not vacuous)', () => {
    expect(reproducible.map((v) => v.id)).toEqual(expect.arrayContaining(['req-ascii-compact', 'req-key-version-2', 'req-sandbox-path']));
  });

  for (const v of reproducible) {
    it(`the SDK sends exactly the signed request of ${v.id}`, async () => {
      mock.script((_request, response) => {
        response.statusCode = 503;
        response.end();
      });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Number(v.time));
      const client = new AntomClient({
        clientId: v.clientId,
        privateKey: v.privateKeyPkcs8Base64,
        antomPublicKey: KEYS.server_v1.publicKeyBase64,
        keyVersion: Number(v.keyVersion),
        baseUrl: mock.baseUrl,
        maxRetries: 0,
      });
      const endpoint = v.uri.replace(/^\/ams\/(sandbox\/)?api\/v1\//, '');
      await client.request(endpoint, JSON.parse(v.body) as Record<string, unknown>).catch(() => undefined);
      const [sent] = mock.requests;
      expect(sent?.url).toBe(v.uri);
      expect(sent?.body.toString('base64')).toBe(v.bodyBase64);
      expect(sent?.headers['request-time']).toBe(v.time);
      expect(sent?.headers['client-id']).toBe(v.clientId);
      expect(sent?.headers['signature']).toBe(v.signatureHeader);
    });
  }
});

describe('response vector rsp-pay-in-process', () => {
  const rsp = vector('rsp-pay-in-process');
  const serveVector = () =>
    mock.script((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', ...rsp.headers });
      response.end(Buffer.from(rsp.bodyBase64, 'base64'));
    });
  const client = () =>
    new AntomClient({
      clientId: rsp.clientId,
      privateKey: KEYS.merchant_v1.privateKeyPkcs8Base64,
      antomPublicKey: rsp.publicKeyBase64,
      baseUrl: mock.baseUrl,
      maxRetries: 0,
    });

  it('is accepted as the answer to pay', async () => {
    serveVector();
    const answer = await client().pay({} as never);
    expect(answer.signature).toBe('verified');
    expect(answer.resultStatus).toBe('U');
    expect(answer.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect(answer.exchange.response.headers.get('response-time')).toBe(rsp.time);
  });

  it('is refused as the answer to any other path', async () => {
    serveVector();
    const error = await client().inquiryPayment({ paymentId: 'x' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SignatureVerificationError);
    expect((error as SignatureVerificationError).reason).toBe('MISMATCH');
  });
});
