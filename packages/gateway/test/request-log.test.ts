/**
 * The sandbox request log (`/sandbox/requests`): every AMS answer recorded
 * in a bounded ring buffer, with a diagnosis for header and signature
 * failures. The log lives in the gateway process, so SQLite is enough here.
 */
import { constants, createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentToSign, exportPrivateKeyBase64, formatSignatureHeader, importPrivateKey, signHeader } from '@amsgate/protocol';
import { RequestLog, type RequestDetail, type RequestSummary } from '../src/sandbox/request-log/request-log.js';
import type { ResolvedClient } from '../src/auth/client-registry.js';
import type { AnsweredRequest } from '../src/edge/ams-pipeline.js';
import { cashierPay, startTestGateway, uniqueId, type TestGateway } from './harness.js';

/** The control API's JSON is the request log's own types. */
type Summary = RequestSummary;
type Detail = RequestDetail;

async function control(t: TestGateway, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await fetch(`${t.baseUrl}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, text, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

async function latest(t: TestGateway): Promise<Detail> {
  const list = await control(t, '/sandbox/requests?limit=1');
  expect(list.status).toBe(200);
  const [summary] = list.json.requests as Summary[];
  const detail = await control(t, `/sandbox/requests/${summary!.id}`);
  expect(detail.status).toBe(200);
  return detail.json.request as Detail;
}

function newKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: exportPrivateKeyBase64(privateKey), publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('request log (sandbox mode)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway('sqlite');
  });
  afterAll(async () => t?.close());

  it('records a good request with its result, small fields only, no diagnosis', async () => {
    const body = cashierPay();
    const time = String(Date.now());
    const answer = await t.call('payments/pay', body, { time });
    expect(answer.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const entry = await latest(t);
    expect(entry).toMatchObject({
      clientId: t.client.client.clientId,
      method: 'POST',
      path: '/ams/api/v1/payments/pay',
      endpoint: 'payments/pay',
      resultCode: 'PAYMENT_IN_PROCESS',
      resultStatus: 'U',
      requestTime: time,
      keyVersion: '1',
      failure: null,
      diagnosis: null,
    });
    expect(entry.id).toMatch(/^REQ\d{6,}$/);
    expect(entry.durationMs).toBeGreaterThan(0);
    expect(entry.request.body).toEqual({ text: JSON.stringify(body), bytes: Buffer.byteLength(JSON.stringify(body)), truncated: false });
    expect(entry.response.body.text).toBe(answer.text);
    // A signature prefix only.
    expect(entry.request.signature).toMatch(/^.{8}…$/);
  });

  it('a wrong key: MISMATCH with the exact content verified, its SHA-256 and length', async () => {
    const other = newKeyPair();
    const body = cashierPay();
    const time = String(Date.now());
    const answer = await t.call('payments/pay', body, { time, privateKey: other.privateKey });
    expect(answer.body.result.resultCode).toBe('INVALID_SIGNATURE');
    const entry = await latest(t);
    expect(entry.failure).toBe('MISMATCH');
    const content = contentToSign({ uri: '/ams/api/v1/payments/pay', clientId: t.client.client.clientId, time, body: JSON.stringify(body) });
    expect(entry.diagnosis).toMatchObject({ stage: 'signature', reason: 'MISMATCH', headerKeyVersion: 1, keyVersionUsed: 1, liveKeyVersions: [1] });
    expect(entry.diagnosis!.content).toEqual({ escaped: JSON.stringify(content.toString('utf8')), bytes: content.length, sha256: sha256(content), truncated: false });
    expect(entry.diagnosis!.content!.escaped).toContain('\\n');
    expect(entry.diagnosis!.checked).toEqual([
      'POST /ams/api/v1/payments/pay with keyVersion 1: does not verify',
      'POST /ams/sandbox/api/v1/payments/pay with keyVersion 1: does not verify',
    ]);
    expect(entry.diagnosis!.hints).toHaveLength(1);
    expect(entry.diagnosis!.hints[0]).toContain('none of the 2 combinations checked verifies');
  });

  it('signed over /ams/api/… but sent to /ams/sandbox/api/…: the path hint', async () => {
    const body = JSON.stringify(cashierPay());
    const time = String(Date.now());
    const clientId = t.client.client.clientId;
    const signature = signHeader({ uri: '/ams/api/v1/payments/pay', clientId, time, body }, importPrivateKey(t.client.merchantPrivateKey as string), 1);
    const answer = await t.call('payments/pay', null, { path: '/ams/sandbox/api/v1/payments/pay', rawBody: body, time, unsigned: true, headers: { signature } });
    expect(answer.body.result.resultCode).toBe('INVALID_SIGNATURE');
    const entry = await latest(t);
    expect(entry.path).toBe('/ams/sandbox/api/v1/payments/pay');
    expect(entry.diagnosis!.reason).toBe('MISMATCH');
    const content = contentToSign({ uri: '/ams/sandbox/api/v1/payments/pay', clientId, time, body });
    expect(entry.diagnosis!.content!.sha256).toBe(sha256(content));
    expect(entry.diagnosis!.hints).toEqual([
      'the signature verifies over `/ams/api/v1/payments/pay` but the request came to `/ams/sandbox/api/v1/payments/pay`: sign the path the request is sent to',
    ]);
  });

  it('signed with key version 1, header says 2 (the client has both): the key-version hint; an unknown version: the live ones', async () => {
    const clientId = t.client.client.clientId;
    await t.gateway.clients.addKey(clientId, newKeyPair().publicKey);
    const answer = await t.call('payments/pay', cashierPay(), { keyVersion: 2 });
    expect(answer.body.result.resultCode).toBe('INVALID_SIGNATURE');
    const entry = await latest(t);
    expect(entry.keyVersion).toBe('2');
    expect(entry.diagnosis).toMatchObject({ reason: 'MISMATCH', headerKeyVersion: 2, keyVersionUsed: 2, liveKeyVersions: [1, 2] });
    expect(entry.diagnosis!.checked).toContain('POST /ams/api/v1/payments/pay with keyVersion 1: verifies');
    expect(entry.diagnosis!.hints).toEqual(['the signature verifies with key version 1, not 2 as the header says: send keyVersion=1']);

    const unknown = await t.call('payments/pay', cashierPay(), { keyVersion: 7 });
    expect(unknown.body.result.resultCode).toBe('KEY_NOT_FOUND');
    const missing = await latest(t);
    expect(missing.diagnosis).toMatchObject({ stage: 'key', reason: 'KEY_NOT_FOUND', headerKeyVersion: 7, liveKeyVersions: [1, 2] });
    expect(missing.diagnosis!.hints).toEqual([
      `client ${clientId} has live key versions 1, 2; the header names 7`,
      'the signature verifies with key version 1: send keyVersion=1 in the signature header',
    ]);
    await t.gateway.clients.revokeKey(clientId, 2);
  });

  it('a malformed or badly encoded header: a diagnosis without content guesses', async () => {
    const malformed = await t.call('payments/pay', cashierPay(), { unsigned: true, headers: { signature: 'not a signature header' } });
    expect(malformed.body.result.resultCode).toBe('PARAM_ILLEGAL');
    const entry = await latest(t);
    expect(entry.failure).toBe('MALFORMED_HEADER');
    expect(entry.diagnosis).toMatchObject({ stage: 'signature-header', reason: 'MALFORMED_HEADER', checked: [] });
    expect(entry.diagnosis!.content).toBeUndefined();
    expect(entry.diagnosis!.hints.join(' ')).toContain('nothing was verified');

    await t.call('payments/pay', cashierPay(), { unsigned: true, headers: { signature: 'algorithm=RSA256,keyVersion=1,signature=@@@@' } });
    const encoded = await latest(t);
    expect(encoded.diagnosis).toMatchObject({ stage: 'signature-header', reason: 'BAD_ENCODING' });
    expect(encoded.diagnosis!.content).toBeUndefined();

    await t.call('payments/pay', cashierPay(), { unsigned: true });
    expect((await latest(t)).diagnosis).toMatchObject({ stage: 'signature-header', reason: 'MISSING_HEADER' });
    await t.call('payments/pay', cashierPay(), { clientId: 'NOBODY_HERE' });
    expect((await latest(t)).diagnosis).toMatchObject({ stage: 'client', reason: 'UNKNOWN_CLIENT' });
  });

  it('masks agent tokens, good or bad', async () => {
    const token = await t.gateway.clients.issueAgentToken(t.client.client.clientId);
    const good = await t.call('payments/pay', cashierPay(), { headers: { 'agent-token': token } });
    expect(good.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const entry = await latest(t);
    expect(entry.request.agentToken).toMatch(/^.{0,4}… \(\d+ characters, masked\)$/);
    const bad = `${token.slice(0, -4)}zzzz`;
    await t.call('payments/pay', cashierPay(), { headers: { 'agent-token': bad } });
    const refused = await latest(t);
    expect(refused.resultCode).toBe('INVALID_AGENT_TOKEN');
    expect(refused.diagnosis).toMatchObject({ stage: 'agent-token', reason: 'BAD_AGENT_TOKEN', keyVersionUsed: 1 });
    const everything = (await control(t, '/sandbox/requests?limit=1000')).text + (await control(t, `/sandbox/requests/${entry.id}`)).text + (await control(t, `/sandbox/requests/${refused.id}`)).text;
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(bad);
    expect(everything).not.toContain(token.slice(0, 12));
  });

  it('masks card numbers and CVVs in kept bodies, even when the signature is bad', async () => {
    const card = { cardNo: '4054 6957 2310 0768', expiryMonth: '12', expiryYear: '2035', cvv: '123' };
    expect((await t.call('vaults/fetchNonce', { card })).body.result.resultCode).toBe('SUCCESS');
    const entry = await latest(t);
    expect(entry.request.body.text).toContain('"cardNo":"405469******0768"');
    expect(entry.request.body.text).toContain('"cvv":"***"');
    // A number sent as a JSON number, on a request whose signature does not verify.
    await t.call('payments/getCardInfo', {}, { rawBody: '{"cardNo":4054695723100768}', headers: { signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA' } });
    const refused = await latest(t);
    expect(refused.resultCode).toBe('INVALID_SIGNATURE');
    const everything = (await control(t, '/sandbox/requests?limit=1000')).text + JSON.stringify(entry) + JSON.stringify(refused);
    expect(everything).not.toContain('4054695723100768');
    expect(everything).not.toContain('4054 6957 2310 0768');
  });

  it('masks card data spelled with JSON escapes, OTPs, and the content a mis-signed card request was signed over', async () => {
    const escaped = '{"card":{"card\\u004eo":"4054695723100768","expiryMonth":"12","expiryYear":"2035","cvv":"12\\u0033"}}';
    expect((await t.call('vaults/fetchNonce', null, { rawBody: escaped })).body.result.resultCode).toBe('SUCCESS');
    const escapedEntry = await latest(t);
    expect(escapedEntry.request.body.text).toContain('405469******0768');
    expect(escapedEntry.request.body.text).not.toMatch(/12\\u0033|"123"/);

    await t.call('payments/verifyAndCompletePayment', { paymentId: 'PAY-none', verifyRequestId: uniqueId('verify'), verifyMethod: { verifyMethodType: 'SMS_OTP', otpValue: '654321' } });
    expect((await latest(t)).request.body.text).toContain('"otpValue":"***"');

    // Signed over /ams/api/… but sent to the sandbox path: the diagnosis shows the content that was signed.
    const body = JSON.stringify({ card: { cardNo: '5162774114974622', expiryMonth: '11', expiryYear: '2031', cvv: '987' } });
    const time = String(Date.now());
    const clientId = t.client.client.clientId;
    const signature = signHeader({ uri: '/ams/api/v1/vaults/fetchNonce', clientId, time, body }, importPrivateKey(t.client.merchantPrivateKey as string), 1);
    const answer = await t.call('vaults/fetchNonce', null, { path: '/ams/sandbox/api/v1/vaults/fetchNonce', rawBody: body, time, unsigned: true, headers: { signature } });
    expect(answer.body.result.resultCode).toBe('INVALID_SIGNATURE');
    const entry = await latest(t);
    expect(entry.diagnosis!.reason).toBe('MISMATCH');
    const detail = JSON.stringify(entry) + (await control(t, `/sandbox/requests/${entry.id}`)).text;
    expect(detail).toContain('516277******4622');
    expect(detail).not.toContain('5162774114974622');
    expect(detail).not.toContain('987');
    // A digest of the content would give the number away: none is shown.
    expect(entry.diagnosis!.content!.sha256).toBeNull();
  });

  it('filters by client, endpoint and status (another client’s entries are listed too); 400 and 404', async () => {
    await t.call('payments/inquiryPayment', { paymentRequestId: 'nothing-here' });
    const byEndpoint = (await control(t, '/sandbox/requests?endpoint=payments/inquiryPayment')).json.requests as Summary[];
    expect(byEndpoint.length).toBeGreaterThan(0);
    expect(byEndpoint.every((r) => r.endpoint === 'payments/inquiryPayment')).toBe(true);
    const byPath = (await control(t, '/sandbox/requests?endpoint=/ams/api/v1/payments/inquiryPayment')).json.requests as Summary[];
    expect(byPath.map((r) => r.id)).toEqual(byEndpoint.map((r) => r.id));
    const all = (await control(t, '/sandbox/requests?limit=1000')).json.requests as Summary[];
    expect(all.some((r) => r.clientId === 'NOBODY_HERE')).toBe(true);
    const ids = all.map((r) => Number(r.id.slice(3)));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids); // newest first
    const mine = (await control(t, `/sandbox/requests?clientId=${t.client.client.clientId}&limit=1000`)).json.requests as Summary[];
    expect(mine.length).toBe(all.length - all.filter((r) => r.clientId !== t.client.client.clientId).length);
    const failed = (await control(t, '/sandbox/requests?status=f&limit=1000')).json.requests as Summary[];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.resultStatus === 'F')).toBe(true);
    const after = (await control(t, `/sandbox/requests?after=${all[1]!.id}`)).json.requests as Summary[];
    expect(after.map((r) => r.id)).toEqual([all[0]!.id]);
    expect((await control(t, '/sandbox/requests?status=X')).status).toBe(400);
    expect((await control(t, '/sandbox/requests?limit=0')).status).toBe(400);
    expect((await control(t, '/sandbox/requests/REQ999999999')).status).toBe(404);
    expect((await control(t, '/sandbox/requests/nope')).status).toBe(404);
  });
});

describe('request log bounds', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway('sqlite', { requestLog: { capacity: 3, maxBodyBytes: 64 } });
  });
  afterAll(async () => t?.close());

  it('truncates bodies and keeps only the last N entries', async () => {
    const body = cashierPay();
    const text = JSON.stringify(body);
    await t.call('payments/pay', body);
    const entry = await latest(t);
    expect(entry.request.body).toEqual({ text: text.slice(0, 64), bytes: Buffer.byteLength(text), truncated: true });
    expect(entry.response.body.truncated).toBe(true);
    expect(entry.response.body.text.length).toBe(64);

    for (let i = 0; i < 4; i++) await t.call('payments/inquiryPayment', { paymentRequestId: `none-${i}` });
    const list = (await control(t, '/sandbox/requests?limit=3')).json;
    expect(list.capacity).toBe(3);
    const requests = list.requests as Summary[];
    expect(requests).toHaveLength(3);
    expect(requests.every((r) => r.endpoint === 'payments/inquiryPayment')).toBe(true);
    expect((await control(t, `/sandbox/requests/${entry.id}`)).status).toBe(404);
    expect((await control(t, '/sandbox/requests?limit=4')).status).toBe(400);
  });

  it('a long body: the content shown is bounded, its length and SHA-256 are of the whole', async () => {
    const body = JSON.stringify(cashierPay());
    const time = String(Date.now());
    await t.call('payments/pay', null, { rawBody: body, time, privateKey: newKeyPair().privateKey });
    const entry = await latest(t);
    const content = contentToSign({ uri: '/ams/api/v1/payments/pay', clientId: t.client.client.clientId, time, body });
    expect(entry.diagnosis!.content).toMatchObject({ bytes: content.length, sha256: sha256(content), truncated: true });
    expect(JSON.parse(entry.diagnosis!.content!.escaped) as string).toBe(content.subarray(0, content.length - Buffer.byteLength(body) + 64).toString('utf8'));
  });
});

describe('request log in gateway mode', () => {
  it('records nothing: the routes are absent', async () => {
    const t = await startTestGateway('sqlite', { mode: 'gateway', adminToken: 'secret-admin' });
    try {
      await t.call('payments/inquiryPayment', { paymentRequestId: 'x' });
      const auth = { authorization: 'Bearer secret-admin' };
      expect((await control(t, '/sandbox/requests', auth)).status).toBe(404);
      expect((await control(t, '/sandbox/requests/REQ000001', auth)).status).toBe(404);
      expect((await control(t, '/admin/notifications', auth)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('request log: what a failed signature proves (causes)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite');
  });
  afterAll(async () => t?.close());

  const clientId = () => t.client.client.clientId;
  const merchantKey = () => importPrivateKey(t.client.merchantPrivateKey as string);
  const causesOf = async () => (await latest(t)).diagnosis!.causes;

  it('the body re-serialised after signing: the variant signed, and its content', async () => {
    const body = cashierPay();
    const time = String(Date.now());
    const signature = signHeader({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body: JSON.stringify(body) }, merchantKey(), 1);
    const sent = JSON.stringify(body, null, 2);
    const answer = await t.call('payments/pay', null, { rawBody: sent, time, unsigned: true, headers: { signature } });
    expect(answer.body.result.resultCode).toBe('INVALID_SIGNATURE');
    const [cause, ...others] = await causesOf();
    expect(others).toEqual([]);
    expect(cause).toMatchObject({ code: 'BODY_RESERIALISED' });
    expect(cause!.summary).toContain('as compact JSON');
    expect(JSON.parse(cause!.signedContent!) as string).toBe(contentToSign({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body: JSON.stringify(body) }).toString('utf8'));
  });

  it('the request-time changed between signing and sending (a second clock read)', async () => {
    const body = JSON.stringify(cashierPay());
    const signedTime = Date.now();
    const signature = signHeader({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time: String(signedTime), body }, merchantKey(), 1);
    await t.call('payments/pay', null, { rawBody: body, time: String(signedTime + 7), unsigned: true, headers: { signature } });
    const [cause] = await causesOf();
    expect(cause).toMatchObject({ code: 'TIME_ALTERED' });
    expect(cause!.summary).toBe(`The client signed request-time "${signedTime}" but sent request-time "${signedTime + 7}" (7 ms apart).`);
  });

  it('signed over /ams/api/… but sent to /ams/sandbox/api/…: WRONG_PATH', async () => {
    const body = JSON.stringify(cashierPay());
    const time = String(Date.now());
    const signature = signHeader({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body }, merchantKey(), 1);
    await t.call('payments/pay', null, { path: '/ams/sandbox/api/v1/payments/pay', rawBody: body, time, unsigned: true, headers: { signature } });
    const [cause] = await causesOf();
    expect(cause).toMatchObject({ code: 'WRONG_PATH', summary: 'The client signed POST /ams/api/v1/payments/pay but sent the request to /ams/sandbox/api/v1/payments/pay.' });
  });

  it('signed over /ams/api/v1/… but sent to the SDKs\' /ams/api//v1/… (or back): WRONG_PATH naming both', async () => {
    const body = JSON.stringify({ paymentRequestId: 'pay-1' });
    for (const [signed, sent] of [
      ['/ams/api/v1/payments/retrievePaymentSession', '/ams/api//v1/payments/retrievePaymentSession'],
      ['/ams/api//v1/payments/retrievePaymentSession', '/ams/api/v1/payments/retrievePaymentSession'],
    ] as const) {
      const time = String(Date.now());
      const signature = signHeader({ uri: signed, clientId: clientId(), time, body }, merchantKey(), 1);
      await t.call('payments/retrievePaymentSession', null, { path: sent, rawBody: body, time, unsigned: true, headers: { signature } });
      const [cause] = await causesOf();
      expect(cause).toMatchObject({ code: 'WRONG_PATH', summary: `The client signed POST ${signed} but sent the request to ${sent}.` });
    }
  });

  it('signed with another client’s key (a client this gateway has seen): CLIENT_ID', async () => {
    const other = await t.gateway.clients.create({ sandbox: true, name: 'other merchant' });
    const otherCall = { clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string };
    expect((await t.call('payments/inquiryPayment', { paymentRequestId: 'none' }, otherCall)).body.result.resultCode).toBe('ORDER_NOT_EXIST');
    await t.call('payments/pay', cashierPay(), { privateKey: other.merchantPrivateKey as string });
    const [cause, ...rest] = await causesOf();
    expect(rest).toEqual([]);
    expect(cause).toMatchObject({ code: 'CLIENT_ID' });
    expect(cause!.summary).toContain(`private key of client ${other.client.clientId} (key version 1)`);
  });

  it('a key of no registered pair: WRONG_KEY_PAIR, naming a gateway key registered by mistake', async () => {
    await t.call('payments/pay', cashierPay(), { privateKey: newKeyPair().privateKey });
    const [cause] = await causesOf();
    expect(cause).toMatchObject({ code: 'WRONG_KEY_PAIR' });
    expect(cause!.summary).toContain(`any public key registered for ${clientId()} (live key versions: 1)`);
    expect(cause!.fix).toContain('PKCS#8');

    const { keyVersion: version } = await t.gateway.clients.addKey(clientId(), t.client.client.gatewayPublicKey);
    try {
      await t.call('payments/pay', cashierPay(), { privateKey: newKeyPair().privateKey, keyVersion: version });
      expect((await causesOf())[0]!.summary).toContain(`Key version ${version} registered for this client is the gateway's ("Antom") public key`);
    } finally {
      await t.gateway.clients.revokeKey(clientId(), version);
    }
  });

  it('a header naming the wrong key version: KEY_VERSION with the version that signed', async () => {
    await t.call('payments/pay', cashierPay(), { keyVersion: 9 });
    const diagnosis = (await latest(t)).diagnosis!;
    expect(diagnosis.reason).toBe('KEY_NOT_FOUND');
    expect(diagnosis.causes.map((c) => c.code)).toEqual(['KEY_VERSION']);
    expect(diagnosis.causes[0]!.fix).toContain('keyVersion=1');
  });

  it('signed with SHA-1: DIGEST_ALGORITHM', async () => {
    const body = JSON.stringify(cashierPay());
    const time = String(Date.now());
    const content = contentToSign({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body });
    const sha1 = sign('sha1', content, merchantKey()).toString('base64');
    await t.call('payments/pay', null, { rawBody: body, time, unsigned: true, headers: { signature: formatSignatureHeader(1, sha1) } });
    expect(await causesOf()).toEqual([expect.objectContaining({ code: 'DIGEST_ALGORITHM', summary: 'The signature is over a SHA-1 digest; AMS signatures are SHA256withRSA.' })]);
  });

  it('signed with RSA-PSS padding: PSS_PADDING, not a wrong key pair', async () => {
    const body = JSON.stringify(cashierPay());
    const time = String(Date.now());
    const content = contentToSign({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body });
    const pss = sign('sha256', content, { key: merchantKey(), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64');
    await t.call('payments/pay', null, { rawBody: body, time, unsigned: true, headers: { signature: formatSignatureHeader(1, pss) } });
    expect((await causesOf()).map((c) => c.code)).toEqual(['PSS_PADDING']);
  });

  it('other content with the right key: OTHER_CONTENT with the digest the client signed', async () => {
    const time = String(Date.now());
    const signedBody = JSON.stringify(cashierPay());
    const signature = signHeader({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body: signedBody }, merchantKey(), 1);
    await t.call('payments/pay', null, { rawBody: JSON.stringify(cashierPay()), time, unsigned: true, headers: { signature } });
    const [cause] = await causesOf();
    expect(cause).toMatchObject({ code: 'OTHER_CONTENT' });
    expect(cause!.summary).toContain(sha256(contentToSign({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body: signedBody })));
  });

  it('a "+" sent unencoded and decoded as a space: SIGNATURE_ENCODING, confirmed by restoring it', async () => {
    let body = '';
    let time = '';
    let base64 = '';
    for (let i = 0; !base64.includes('+'); i++) {
      body = JSON.stringify(cashierPay());
      time = String(Date.now() + i);
      base64 = sign('sha256', contentToSign({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body }), merchantKey()).toString('base64');
    }
    const header = `algorithm=RSA256,keyVersion=1,signature=${base64.replace(/\+/g, ' ')}`;
    await t.call('payments/pay', null, { rawBody: body, time, unsigned: true, headers: { signature: header } });
    const diagnosis = (await latest(t)).diagnosis!;
    expect(diagnosis).toMatchObject({ stage: 'signature-header', reason: 'BAD_ENCODING' });
    expect(diagnosis.causes).toEqual([expect.objectContaining({ code: 'SIGNATURE_ENCODING' })]);
    expect(diagnosis.causes[0]!.summary).toContain('with "+" restored it verifies');
  });

  it('a value with a raw "=" (never URL-encoded, no "+" in it): refused, SIGNATURE_ENCODING, confirmed by encoding it', async () => {
    let body = '';
    let time = '';
    let base64 = '+';
    for (let i = 0; base64.includes('+'); i++) {
      body = JSON.stringify(cashierPay());
      time = String(Date.now() + i);
      base64 = sign('sha256', contentToSign({ uri: '/ams/api/v1/payments/pay', clientId: clientId(), time, body }), merchantKey()).toString('base64');
    }
    const answer = await t.call('payments/pay', null, { rawBody: body, time, unsigned: true, headers: { signature: `algorithm=RSA256,keyVersion=1,signature=${base64}` } });
    expect(answer.body.result.resultCode).toBe('INVALID_SIGNATURE');
    const diagnosis = (await latest(t)).diagnosis!;
    expect(diagnosis).toMatchObject({ stage: 'signature-header', reason: 'BAD_ENCODING' });
    expect(diagnosis.causes).toEqual([expect.objectContaining({ code: 'SIGNATURE_ENCODING' })]);
    expect(diagnosis.causes[0]!.summary).toContain('raw "/" or "="');
    expect(diagnosis.causes[0]!.summary).toContain('(encoded, it verifies)');
  });

  it('keeps the answer headers, the signature header cut and the user agent; lists failures only', async () => {
    const answer = await t.call('payments/pay', cashierPay(), { headers: { 'user-agent': 'test-sdk/1.0' } });
    const entry = await latest(t);
    expect(entry.request.userAgent).toBe('test-sdk/1.0');
    expect(entry.request.signatureHeader).toMatch(/^algorithm=RSA256,keyVersion=1,signature=.{8}… \(\d+ characters\)$/);
    expect(entry.response.headers).toMatchObject({ 'client-id': clientId(), 'response-time': answer.headers.get('response-time') });
    expect(entry.response.headers.signature).toMatch(/^algorithm=RSA256,keyVersion=1,signature=.{8}… \(\d+ characters\)$/);
    const failures = (await control(t, '/sandbox/requests?failures=1&limit=1000')).json.requests as Summary[];
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((r) => r.failure !== null)).toBe(true);
  });
});

describe('request log: a diagnosis that throws', () => {
  const uri = '/ams/api/v1/payments/pay';
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

  function client(merchantKeys: ReadonlyMap<number, KeyObject>, signingKey: KeyObject = merchant.privateKey): ResolvedClient {
    return { clientId: 'SANDBOX_UNIT', status: 'ACTIVE', signingKey, signingKeyVersion: 1, merchantKeys };
  }

  /** A payment request refused as INVALID_SIGNATURE, signed with `privateKey`. */
  function refused(resolved: ResolvedClient, privateKey: KeyObject): AnsweredRequest {
    const body = JSON.stringify(cashierPay());
    const time = String(Date.now());
    const signature = signHeader({ uri, clientId: resolved.clientId, time, body }, privateKey, 1);
    return {
      request: { method: 'POST', uri, headers: { 'client-id': resolved.clientId, 'request-time': time, signature }, body: Buffer.from(body) },
      client: resolved,
      response: {
        headers: {}, body: Buffer.from('{}'), clientId: resolved.clientId, endpoint: 'payments/pay',
        result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'The signature does not match' },
      },
      durationMs: 1,
    };
  }

  it('a check that throws when recorded: the entry is kept, its diagnosis says it failed, ids stay in step', () => {
    class UnreadableKeys extends Map<number, KeyObject> {
      override keys(): MapIterator<number> {
        throw new Error('key store unreadable');
      }
    }
    const log = new RequestLog({ now: () => Date.now() });
    log.record(refused(client(new UnreadableKeys([[1, merchant.publicKey]])), stranger.privateKey));
    expect(log.size).toBe(1);
    const [summary] = log.list();
    expect(summary).toMatchObject({ id: 'REQ000001', resultCode: 'INVALID_SIGNATURE', failure: 'MISMATCH' });
    const entry = log.get('REQ000001')!;
    expect(entry.diagnosis).toMatchObject({ stage: 'signature', reason: 'MISMATCH', checked: [], causes: [] });
    expect(entry.diagnosis!.hints).toEqual(['diagnosis failed: key store unreadable']);

    log.record(refused(client(new Map([[1, merchant.publicKey]])), merchant.privateKey));
    expect(log.list().map((r) => r.id)).toEqual(['REQ000002', 'REQ000001']);
    expect(log.get('REQ000002')).toBeDefined();
  });

  it('the cause analysis runs on first read, once, and a failure of it is shown with the checks kept', () => {
    let reads = 0;
    const broken = client(new Map([[1, merchant.publicKey]]));
    Object.defineProperty(broken, 'signingKey', {
      get: () => {
        reads++;
        throw new Error('gateway key unavailable');
      },
    });
    const log = new RequestLog({ now: () => Date.now() });
    // A key of no registered pair: the cause analysis reads the gateway's key for this client (is it registered by mistake?).
    log.record(refused(broken, stranger.privateKey));
    expect(log.list()[0]!.failure).toBe('MISMATCH');
    expect(reads).toBe(0);
    const entry = log.get('REQ000001')!;
    expect(reads).toBe(1);
    expect(entry.diagnosis!.checked).toEqual([
      'POST /ams/api/v1/payments/pay with keyVersion 1: does not verify',
      'POST /ams/sandbox/api/v1/payments/pay with keyVersion 1: does not verify',
    ]);
    expect(entry.diagnosis!.content).toBeDefined();
    expect(entry.diagnosis!.causes).toEqual([]);
    expect(entry.diagnosis!.hints.at(-1)).toBe('diagnosis failed: gateway key unavailable');
    expect(log.get('REQ000001')!.diagnosis).toEqual(entry.diagnosis);
    expect(reads).toBe(1);
  });
});
