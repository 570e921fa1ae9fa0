import { connect } from 'node:net';
/**
 * The request pipeline through real HTTP, signed as the SDKs sign, on SQLite
 * and PostgreSQL: every step's failure answers HTTP 200 with its result
 * code, signed whenever the client is known.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsError, generateKeyPair, importPrivateKey, signHeader } from '@amsgate/protocol';
import { AmsPipeline } from '../src/edge/ams-pipeline.js';
import { RateLimiter } from '../src/edge/rate-limiter.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';
import { rawRequest } from './raw-http.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('pipeline on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { clientCacheTtlMs: 0, bodyLimitBytes: 64 * 1024 });
    });
    afterAll(async () => t?.close());

    const inquiry = { paymentId: 'PAY-NOT-THERE' };

    it('answers a good request, signed over the path as requested', async () => {
      const r = await t.call('payments/inquiryPayment', inquiry);
      expect(r.status).toBe(200);
      expect(r.body.result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F' });
      expect(r.signatureValid).toBe(true);
      expect(r.headers.get('client-id')).toBe(t.client.client.clientId);
      expect(r.headers.get('response-time')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    });

    it('serves the sandbox path and a query string, each signed over exactly that URI', async () => {
      const sandbox = await t.call('', inquiry, { path: '/ams/sandbox/api/v1/payments/inquiryPayment' });
      expect(sandbox.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect(sandbox.signatureValid).toBe(true);
      const query = await t.call('', inquiry, { path: '/ams/api/v1/payments/inquiryPayment?trace=1&x=%2F' });
      expect(query.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect(query.signatureValid).toBe(true);
    });

    it('NO_INTERFACE_DEF for an unknown endpoint or version, signed', async () => {
      for (const path of ['/ams/api/v1/payments/nothing', '/ams/api/v2/payments/pay', '/ams/api/v1/']) {
        const r = await t.call('', inquiry, { path });
        expect(r.status).toBe(200);
        expect(r.body.result).toMatchObject({ resultCode: 'NO_INTERFACE_DEF', resultStatus: 'F' });
        expect(r.signatureValid).toBe(true);
      }
    });

    it('METHOD_NOT_SUPPORTED for GET', async () => {
      const r = await t.call('payments/inquiryPayment', inquiry, { method: 'GET' });
      expect(r.status).toBe(200);
      expect(r.body.result.resultCode).toBe('METHOD_NOT_SUPPORTED');
    });

    it('MEDIA_TYPE_NOT_ACCEPTABLE for non-JSON or a charset other than UTF-8', async () => {
      const text = await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': 'text/plain' } });
      expect(text.body.result.resultCode).toBe('MEDIA_TYPE_NOT_ACCEPTABLE');
      const latin = await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': 'application/json; charset=ISO-8859-1' } });
      expect(latin.body.result.resultCode).toBe('MEDIA_TYPE_NOT_ACCEPTABLE');
      expect(latin.body.result.resultMessage).toContain('iso-8859-1');
      // Not a media type at all: still HTTP 200 with the code (Fastify answered 415, which no SDK reads).
      const notAMediaType = await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': 'json' } });
      expect(notAMediaType.status).toBe(200);
      expect(notAMediaType.body.result).toMatchObject({ resultCode: 'MEDIA_TYPE_NOT_ACCEPTABLE', resultStatus: 'F' });
      expect(notAMediaType.body.result.resultMessage).toContain('"json"');
      // Empty: as if absent, which is tolerated.
      const empty = await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': '' } });
      expect(empty.status).toBe(200);
      expect(empty.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it.each([
      ['client-id missing', { 'client-id': '\u0000' }, 'client-id header is missing'],
      ['client-id malformed', { 'client-id': 'bad id!' }, 'client-id header is malformed'],
      ['request-time missing', { 'request-time': '\u0000' }, 'request-time header is missing'],
      ['request-time malformed', { 'request-time': 'yesterday' }, 'request-time header is malformed'],
      ['signature missing', { signature: '\u0000' }, 'signature header is missing'],
      ['signature malformed', { signature: 'algorithm=RSA256,keyVersion=1' }, 'signature header is malformed'],
      ['signature with an unknown algorithm', { signature: 'algorithm=RSA512,keyVersion=1,signature=AAAA' }, 'not supported'],
    ])('PARAM_ILLEGAL naming the header: %s', async (_label, headers, message) => {
      const r = await t.call('payments/inquiryPayment', inquiry, { headers });
      expect(r.status).toBe(200);
      expect(r.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(r.body.result.resultMessage).toContain(message);
    });

    it('signs errors when the client is known, not when it is not', async () => {
      const known = await t.call('payments/inquiryPayment', inquiry, { headers: { signature: '\u0000' } });
      expect(known.signatureValid).toBe(true);
      const unknown = await t.call('payments/inquiryPayment', inquiry, { clientId: 'SANDBOX_NOBODY' });
      expect(unknown.body.result).toMatchObject({ resultCode: 'INVALID_CLIENT', resultStatus: 'F' });
      expect(unknown.signatureValid).toBeNull();
      expect(unknown.headers.get('response-time')).toBeNull();
    });

    it('KEY_NOT_FOUND for an unknown key version, INVALID_SIGNATURE for a wrong key or a changed body', async () => {
      const version = await t.call('payments/inquiryPayment', inquiry, { keyVersion: 7 });
      expect(version.body.result.resultCode).toBe('KEY_NOT_FOUND');
      expect(version.body.result.resultMessage).toContain('keyVersion 7');
      const other = await generateKeyPair();
      const wrong = await t.call('payments/inquiryPayment', inquiry, { privateKey: other.privateKeyBase64 });
      expect(wrong.body.result).toMatchObject({ resultCode: 'INVALID_SIGNATURE', resultStatus: 'F' });
      expect(wrong.signatureValid).toBe(true);

      const time = String(Date.now());
      const clientId = t.client.client.clientId;
      const signed = '{"paymentId":"A"}';
      const signature = signHeader({ uri: '/ams/api/v1/payments/inquiryPayment', clientId, time, body: signed }, importPrivateKey(t.client.merchantPrivateKey!), 1);
      const tampered = await t.call('payments/inquiryPayment', null, { rawBody: '{"paymentId":"B"}', time, headers: { signature } });
      expect(tampered.body.result.resultCode).toBe('INVALID_SIGNATURE');
    });

    it('refuses a signature sent without URL-encoding as Antom does (its "+" form-decodes to a space): INVALID_SIGNATURE, signed', async () => {
      const clientId = t.client.client.clientId;
      const body = JSON.stringify(inquiry);
      const uri = '/ams/api/v1/payments/inquiryPayment';
      const key = importPrivateKey(t.client.merchantPrivateKey!);
      // A signature whose base64 has a "+" (about 99.6 % of 2048-bit signatures do).
      let time = '';
      let header = '';
      for (let i = 0; !decodeURIComponent(header).includes('+'); i++) {
        time = String(Date.now() + i);
        header = signHeader({ uri, clientId, time, body }, key, 1);
      }
      const raw = header.replace(/signature=(.*)$/, (_m, value: string) => `signature=${decodeURIComponent(value)}`);
      const refused = await t.call('payments/inquiryPayment', null, { rawBody: body, time, unsigned: true, headers: { signature: raw } });
      expect(refused.body.result).toMatchObject({ resultCode: 'INVALID_SIGNATURE', resultStatus: 'F' });
      expect(refused.body.result.resultMessage).toContain('URL-encode');
      expect(refused.body.result.resultMessage).toMatch(/^signature header is not URL-encoded: the value has a raw "\+".*reads a "\+" as a space/);
      expect(refused.signatureValid).toBe(true);
      // The same signature URL-encoded verifies; with only its "+" encoded, its raw "=" (no SDK sends one) is refused the same way.
      expect((await t.call('payments/inquiryPayment', null, { rawBody: body, time, unsigned: true, headers: { signature: header } })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const onlyPlusEncoded = raw.replace(/\+/g, '%2B');
      const rawEquals = await t.call('payments/inquiryPayment', null, { rawBody: body, time, unsigned: true, headers: { signature: onlyPlusEncoded } });
      expect(rawEquals.body.result).toMatchObject({ resultCode: 'INVALID_SIGNATURE', resultStatus: 'F' });
      expect(rawEquals.body.result.resultMessage).toMatch(/raw ("\/" and )?"="/);
    });

    it('verifies with the latest key when keyVersion is absent, and honours rotation and revocation', async () => {
      const clientId = t.client.client.clientId;
      const time = String(Date.now());
      const body = JSON.stringify(inquiry);
      const uri = '/ams/api/v1/payments/inquiryPayment';
      const v1 = importPrivateKey(t.client.merchantPrivateKey!);
      const noVersion = signHeader({ uri, clientId, time, body }, v1, 1).replace('keyVersion=1,', '');
      expect((await t.call('payments/inquiryPayment', inquiry, { time, headers: { signature: noVersion } })).body.result.resultCode).toBe('ORDER_NOT_EXIST');

      const rotated = await generateKeyPair();
      const added = await t.gateway.clients.addKey(clientId, rotated.publicKeyBase64);
      expect(added.keyVersion).toBe(2);
      expect((await t.call('payments/inquiryPayment', inquiry, { privateKey: rotated.privateKeyBase64, keyVersion: 2 })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      // The old version stays valid until revoked; "latest" now means version 2.
      expect((await t.call('payments/inquiryPayment', inquiry, { keyVersion: 1 })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect((await t.call('payments/inquiryPayment', inquiry, { time, headers: { signature: noVersion } })).body.result.resultCode).toBe('INVALID_SIGNATURE');

      expect(await t.gateway.clients.revokeKey(clientId, 1)).toBe(true);
      expect((await t.call('payments/inquiryPayment', inquiry, { keyVersion: 1 })).body.result.resultCode).toBe('KEY_NOT_FOUND');
      // Put things back for the other tests: version 3 is the v1 key again.
      await t.gateway.clients.addKey(clientId, t.client.merchantPublicKey);
      expect((await t.call('payments/inquiryPayment', inquiry, { keyVersion: 3 })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('PARAM_ILLEGAL for a body that is not JSON, not UTF-8, or fails its schema, naming the field', async () => {
      const keyVersion = 3;
      const notJson = await t.call('payments/inquiryPayment', null, { rawBody: '{"paymentId":', keyVersion });
      expect(notJson.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(notJson.body.result.resultMessage).toContain('(body): is not valid JSON');
      const notUtf8 = await t.call('payments/inquiryPayment', null, { rawBody: Buffer.from([0x7b, 0xff, 0x7d]), keyVersion });
      expect(notUtf8.body.result.resultMessage).toContain('not valid UTF-8');
      const badAmount = await t.call('payments/pay', cashierPay({ paymentAmount: { currency: 'USD', value: '1.50' } }), { keyVersion });
      expect(badAmount.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(badAmount.body.result.resultMessage).toMatch(/^paymentAmount\.value: /);
      const missing = await t.call('payments/pay', { ...cashierPay(), order: undefined }, { keyVersion });
      expect(missing.body.result.resultMessage).toMatch(/^order: /);
      const neither = await t.call('payments/inquiryPayment', {}, { keyVersion });
      expect(neither.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(neither.signatureValid).toBe(true);
    });

    it('tolerates what real SDKs send: empty agent-token, indented bodies with \\u escapes, explicit nulls, repeated Content-Type', async () => {
      const keyVersion = 3;
      const emptyToken = await t.call('payments/inquiryPayment', inquiry, { keyVersion, headers: { 'agent-token': '' } });
      expect(emptyToken.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const pretty = '{\n   "paymentId": "PAY\\u002DNOT\\u002DTHERE",\n   "paymentRequestId": null,\n   "merchantAccountId": null\n}';
      const indented = await t.call('payments/inquiryPayment', null, { rawBody: pretty, keyVersion });
      expect(indented.body.result.resultCode).toBe('ORDER_NOT_EXIST');

      const clientId = t.client.client.clientId;
      const time = String(Date.now());
      const body = JSON.stringify(inquiry);
      const uri = '/ams/api/v1/payments/inquiryPayment';
      const signature = signHeader({ uri, clientId, time, body }, importPrivateKey(t.client.merchantPrivateKey!), keyVersion);
      const repeated = await rawRequest(t.baseUrl, {
        path: uri,
        headers: { 'Content-Type': ['application/json;charset=UTF-8', 'application/json; charset=UTF-8'], 'client-id': clientId, 'Request-Time': time, Signature: signature },
        body,
      });
      expect(JSON.parse(repeated.body).result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('accepts an absolute-form request target (the Python SDK), signed over the path', async () => {
      const clientId = t.client.client.clientId;
      const time = '2026-11-26T01:02:03+00:00';
      const body = JSON.stringify(inquiry);
      const uri = '/ams/api/v1/payments/inquiryPayment';
      const signature = signHeader({ uri, clientId, time, body }, importPrivateKey(t.client.merchantPrivateKey!), 3);
      const r = await rawRequest(t.baseUrl, {
        path: `${t.baseUrl}${uri}`,
        headers: { 'content-type': 'application/json', 'client-id': clientId, 'request-time': time, signature },
        body,
      });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('emits client-id, response-time and signature once each, lower case, and no other header mentioning them', async () => {
      const clientId = t.client.client.clientId;
      const time = String(Date.now());
      const body = JSON.stringify(inquiry);
      const uri = '/ams/api/v1/payments/inquiryPayment';
      const signature = signHeader({ uri, clientId, time, body }, importPrivateKey(t.client.merchantPrivateKey!), 3);
      const r = await rawRequest(t.baseUrl, { path: uri, headers: { 'content-type': 'application/json', 'client-id': clientId, 'request-time': time, signature }, body });
      const names = r.rawHeaders.filter((_, i) => i % 2 === 0);
      const lines = names.map((name, i) => `${name}: ${r.rawHeaders[i * 2 + 1]}`);
      expect(names.filter((n) => n === 'signature')).toHaveLength(1);
      expect(names.filter((n) => n === 'response-time')).toHaveLength(1);
      expect(names.filter((n) => n === 'client-id')).toHaveLength(1);
      expect(lines.filter((l) => l.toLowerCase().includes('signature'))).toHaveLength(1);
      expect(lines.filter((l) => l.toLowerCase().includes('response-time'))).toHaveLength(1);
      const value = r.rawHeaders[names.indexOf('signature') * 2 + 1]!;
      expect(value).toMatch(/^algorithm=RSA256,keyVersion=1,signature=[A-Za-z0-9%]+$/);
    });

    it('agent tokens: accepted for their client, refused when unknown or issued for another client', async () => {
      const token = await t.gateway.clients.issueAgentToken(t.client.client.clientId);
      expect(token).toHaveLength(48);
      const ok = await t.call('payments/inquiryPayment', inquiry, { keyVersion: 3, headers: { 'agent-token': token } });
      expect(ok.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const unknown = await t.call('payments/inquiryPayment', inquiry, { keyVersion: 3, headers: { 'agent-token': 'X'.repeat(48) } });
      expect(unknown.body.result).toMatchObject({ resultCode: 'INVALID_AGENT_TOKEN', resultStatus: 'F' });
      const other = await t.gateway.clients.create({ sandbox: true });
      const foreign = await t.gateway.clients.issueAgentToken(other.client.clientId);
      const refused = await t.call('payments/inquiryPayment', inquiry, { keyVersion: 3, headers: { 'agent-token': foreign } });
      expect(refused.body.result.resultCode).toBe('INVALID_AGENT_TOKEN');
      expect(refused.body.result.resultMessage).toContain('not issued for client');
    });

    it('signs the AmsError a handler refuses with (INVALID_API here), naming what it says', async () => {
      // Every endpoint has a module (a missing one does not compile): a handler's own refusal is answered like any result.
      const run = (path: string) => Promise.reject(new AmsError('INVALID_API', `${path} is not active for this client`));
      const pipeline = new AmsPipeline({ clock: t.gateway.clock, registry: t.gateway.registry, rateLimiter: new RateLimiter(0), run });
      const uri = '/ams/api/v1/payments/consult';
      const body = Buffer.from(JSON.stringify({ productCode: 'CASHIER_PAYMENT', paymentAmount: { currency: 'USD', value: '1' }, env: { terminalType: 'WEB' } }));
      const clientId = t.client.client.clientId;
      const time = String(Date.now());
      const signature = signHeader({ uri, clientId, time, body }, importPrivateKey(t.client.merchantPrivateKey!), 3);
      const answer = await pipeline.handle({ method: 'POST', uri, headers: { 'client-id': clientId, 'request-time': time, signature }, body });
      expect(answer.result).toMatchObject({ resultCode: 'INVALID_API', resultStatus: 'F' });
      expect(answer.result.resultMessage).toContain('payments/consult');
      expect(answer.headers.signature).toMatch(/^algorithm=RSA256,keyVersion=1,signature=/);
    });

    it('a path with a doubled slash that names no endpoint gets a signed NO_INTERFACE_DEF on HTTP 200, never the framework\'s 404', async () => {
      for (const path of ['/ams/api//v1/payments/inquiryPayment', '//ams/api/v1/payments/inquiryPayment', '/ams//sandbox/api/v1/payments/inquiryPayment']) {
        const r = await t.call('payments/inquiryPayment', { paymentId: 'PAY-1' }, { path, keyVersion: 3 });
        expect(r.status, path).toBe(200);
        expect(r.body.result, path).toMatchObject({ resultCode: 'NO_INTERFACE_DEF', resultStatus: 'F' });
        expect(r.body.result.resultMessage, path).toContain(path);
        expect(r.signatureValid, path).toBe(true);
      }
    });

    it('refuses a body over the size limit with PARAM_ILLEGAL, on HTTP 200 (the SDKs read a result only from a 200)', async () => {
      const r = await t.call('payments/inquiryPayment', null, { rawBody: `{"paymentId":"${'x'.repeat(70 * 1024)}"}`, keyVersion: 3 });
      expect(r.status).toBe(200);
      expect(r.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
      expect(r.body.result.resultMessage).toContain('larger than');
      // Signed for the registered client, as every other refusal is; an unknown client-id gets it unsigned.
      expect(r.signatureValid).toBe(true);
      expect(r.headers.get('client-id')).toBe(t.client.client.clientId);
      const stranger = await t.call('payments/inquiryPayment', null, { rawBody: `{"paymentId":"${'x'.repeat(70 * 1024)}"}`, clientId: 'SANDBOX_NOBODY' });
      expect(stranger.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(stranger.signatureValid).toBeNull();
    });

    it('never shows one client another client\u2019s payment', async () => {
      const pay = await t.call('payments/pay', cashierPay(), { keyVersion: 3 });
      const paymentId = pay.body.paymentId as string;
      const other = await t.gateway.clients.create({ sandbox: true });
      const otherKey = other.merchantPrivateKey!;
      for (const endpoint of ['payments/inquiryPayment', 'payments/cancel']) {
        const r = await t.call(endpoint, { paymentId }, { clientId: other.client.clientId, privateKey: otherKey });
        expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      }
      const still = await t.call('payments/inquiryPayment', { paymentId }, { keyVersion: 3 });
      expect(still.body.paymentStatus).toBe('PROCESSING');
    });
  });
});

describe('pipeline options (SQLite)', () => {
  it('enforces a request-time window when configured', async () => {
    const t = await startTestGateway('sqlite', { maxClockSkewMs: 60_000 });
    try {
      const old = await t.call('payments/inquiryPayment', { paymentId: 'X' }, { time: String(Date.now() - 3_600_000) });
      expect(old.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(old.body.result.resultMessage).toContain('request-time header is out of range');
      const fresh = await t.call('payments/inquiryPayment', { paymentId: 'X' }, { time: new Date().toISOString().replace('Z', '+00:00') });
      expect(fresh.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    } finally {
      await t.close();
    }
  });

  it('a key or agent token changed through the gateway takes effect at once, however long clients are cached', async () => {
    const t = await startTestGateway('sqlite', { clientCacheTtlMs: 3_600_000 });
    try {
      const clientId = t.client.client.clientId;
      const inquiry = { paymentId: 'X' };
      const token = await t.gateway.clients.issueAgentToken(clientId);
      // Both cached: the client with key version 1 only, the token as valid.
      expect((await t.call('payments/inquiryPayment', inquiry, { headers: { 'agent-token': token } })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const rotated = await generateKeyPair();
      const { keyVersion } = await t.gateway.clients.addKey(clientId, rotated.publicKeyBase64);
      expect((await t.call('payments/inquiryPayment', inquiry, { privateKey: rotated.privateKeyBase64, keyVersion })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect(await t.gateway.clients.revokeKey(clientId, 1)).toBe(true);
      expect((await t.call('payments/inquiryPayment', inquiry, { keyVersion: 1 })).body.result.resultCode).toBe('KEY_NOT_FOUND');

      const [issued] = await t.gateway.clients.agentTokens(clientId);
      expect(await t.gateway.clients.revokeAgentToken(clientId, issued!.tokenHash)).toBe(true);
      const refused = await t.call('payments/inquiryPayment', inquiry, { privateKey: rotated.privateKeyBase64, keyVersion, headers: { 'agent-token': token } });
      expect(refused.body.result.resultCode).toBe('INVALID_AGENT_TOKEN');
    } finally {
      await t.close();
    }
  });

  it('closing lets a request in flight finish, then drops its keep-alive connection instead of waiting out the 65 s keep-alive', async () => {
    const t = await startTestGateway('sqlite');
    const { port } = new URL(t.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const body = '{"paymentId":"X"}';
    // Headers and half the body before the close: the request is in flight when it starts.
    socket.write(`POST /ams/api/v1/payments/inquiryPayment HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\nclient-id: ${t.client.client.clientId}\r\nrequest-time: ${Date.now()}\r\nsignature: algorithm=RSA256,keyVersion=1,signature=AAAA\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const closing = t.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write(body.slice(5));
    await closing;
    await ended;
    expect(Date.now() - started).toBeLessThan(5_000);
    // It was answered (a signed refusal of the made-up signature), not cut off.
    expect(Buffer.concat(received).toString('utf8')).toMatch(/^HTTP\/1\.1 200 [\s\S]*INVALID_SIGNATURE/);
  });

  it('signs at most its budget of answers to unverified requests per client; past it they go unsigned, verified ones stay signed', async () => {
    // A frozen clock: the budget (100 at once, 50 a second after) does not refill during the test.
    const t = await startTestGateway('sqlite', { clock: new SandboxClock({ now: () => 1_790_000_000_000 }) });
    try {
      const forged = (await generateKeyPair()).privateKeyBase64;
      const signedCount = async (n: number) => {
        let signed = 0;
        for (let i = 0; i < n; i++) {
          const answer = await t.call('payments/inquiryPayment', { paymentId: 'X' }, { privateKey: forged });
          expect(answer.body.result.resultCode).toBe('INVALID_SIGNATURE');
          if (answer.headers.get('signature') !== null) signed++;
        }
        return signed;
      };
      expect(await signedCount(100)).toBe(100);
      expect(await signedCount(5)).toBe(0);
      const genuine = await t.call('payments/inquiryPayment', { paymentId: 'X' });
      expect(genuine.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect(genuine.signatureValid).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('answers REQUEST_TRAFFIC_EXCEED_LIMIT (U) over the per-client rate limit', async () => {
    const t = await startTestGateway('sqlite', { rateLimitPerSecond: 1 });
    try {
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) codes.push((await t.call('payments/inquiryPayment', { paymentId: 'X' })).body.result.resultCode);
      expect(codes.slice(0, 2)).toEqual(['ORDER_NOT_EXIST', 'ORDER_NOT_EXIST']);
      expect(codes).toContain('REQUEST_TRAFFIC_EXCEED_LIMIT');
      const limited = await t.call('payments/inquiryPayment', { paymentId: 'X' });
      expect(limited.body.result).toMatchObject({ resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', resultStatus: 'U' });
    } finally {
      await t.close();
    }
  });
});
