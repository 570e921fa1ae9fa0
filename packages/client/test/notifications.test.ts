/**
 * Notification verification against the shared vector `ntf-payment-result`
 * and notifications signed here with the protocol package as Antom signs
 * them (kinds and failures a gateway does not produce on demand), including
 * a delivery over HTTP to a Node `http` handler. Notifications a real
 * gateway sent: gateway-notifications.test.ts.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { AntomClient, NotificationVerifier, notificationAck, type NotificationInput } from '../src/index.js';
import { KEYS, vector } from './fixtures.js';

const ntf = vector('ntf-payment-result');
const ANTOM_KEY = importPrivateKey(KEYS.server_v1.privateKeyPkcs8Base64);
const verifier = new NotificationVerifier({ clientId: ntf.clientId, antomPublicKey: KEYS.server_v1.publicKeyBase64 });

function vectorInput(overrides: Partial<NotificationInput> = {}): NotificationInput {
  return { method: 'POST', path: ntf.uri, headers: { ...ntf.headers }, rawBody: Buffer.from(ntf.bodyBase64, 'base64'), ...overrides };
}

/** A notification signed as Antom signs one: over the notify path, client-id, request-time and the exact body. */
function signed(body: unknown, options: { path?: string; time?: string; key?: typeof ANTOM_KEY } = {}): NotificationInput {
  const path = options.path ?? '/antom/notify';
  const time = options.time ?? '2026-03-01T12:00:05+08:00';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = signHeader({ uri: path, clientId: ntf.clientId, time, body: text }, options.key ?? ANTOM_KEY, 1);
  return {
    method: 'POST',
    path,
    headers: { 'client-id': ntf.clientId, 'request-time': time, signature, 'content-type': 'application/json; charset=UTF-8' },
    rawBody: Buffer.from(text, 'utf8'),
  };
}

const success = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };
const amount = { currency: 'USD', value: '1000' };

describe('the shared vector ntf-payment-result', () => {
  it('verifies, typed as notifyPayment', () => {
    const verified = verifier.verify(vectorInput());
    if (!verified.ok) throw new Error(verified.message);
    expect(verified.kind).toBe('notifyPayment');
    expect(verified.clientId).toBe(ntf.clientId);
    expect(verified.requestTime).toBe(ntf.time);
    if (verified.kind !== 'notifyPayment') throw new Error('kind');
    expect(verified.notification.notifyType).toBe('PAYMENT_RESULT');
    expect(verified.notification.paymentId).toBe('20231114194010800100188000000001');
    expect(verified.notification.paymentAmount).toEqual({ currency: 'USD', value: '1000' });
    expect(verified.notification.result.resultStatus).toBe('S');
  });

  it('verifies through the client, with headers as a fetch Headers object or with other letter case', () => {
    const client = new AntomClient({
      clientId: ntf.clientId,
      privateKey: KEYS.merchant_v1.privateKeyPkcs8Base64,
      antomPublicKey: KEYS.server_v1.publicKeyBase64,
      region: 'asia',
    });
    expect(client.verifyNotification(vectorInput({ headers: new Headers(ntf.headers) })).ok).toBe(true);
    const upper = Object.fromEntries(Object.entries(ntf.headers).map(([name, value]) => [name.toUpperCase(), value]));
    expect(client.verifyNotification(vectorInput({ headers: upper })).ok).toBe(true);
    expect(client.verifyNotification(vectorInput({ rawBody: ntf.body })).ok).toBe(true);
    expect(client.notificationAck()).toBe(notificationAck());
  });

  const refusals: Array<[string, Partial<NotificationInput>, string]> = [
    ['a body with a trailing newline', { rawBody: Buffer.concat([Buffer.from(ntf.bodyBase64, 'base64'), Buffer.from('\n')]) }, 'MISMATCH'],
    ['another path', { path: `${ntf.uri}/` }, 'MISMATCH'],
    ['the body parsed by a JSON body parser', { rawBody: JSON.parse(ntf.body) as never }, 'RAW_BODY_REQUIRED'],
    ['no body at all', { rawBody: undefined as never }, 'RAW_BODY_REQUIRED'],
    ['a GET', { method: 'GET' }, 'METHOD_NOT_POST'],
    ['the full URL as path', { path: `https://merchant.example${ntf.uri}` }, 'BAD_PATH'],
    ['a changed request-time', { headers: { ...ntf.headers, 'request-time': '2023-11-14T22:14:06+08:00' } }, 'MISMATCH'],
    ['another client id', { headers: { ...ntf.headers, 'client-id': 'SOMEONE_ELSE' } }, 'CLIENT_ID_MISMATCH'],
    ['a mangled signature', { headers: { ...ntf.headers, signature: 'algorithm=RSA256,keyVersion=1,signature=abc' } }, 'BAD_ENCODING'],
  ];
  for (const [name, overrides, reason] of refusals) {
    it(`refuses ${name}: ${reason}`, () => {
      const verified = verifier.verify(vectorInput(overrides));
      expect(verified.ok).toBe(false);
      if (!verified.ok) {
        expect(verified.reason).toBe(reason);
        expect(verified.verifiedBody).toBeUndefined();
      }
    });
  }

  it('names the missing header, and treats a repeated one as missing', () => {
    const { signature: _dropped, ...withoutSignature } = ntf.headers;
    const missing = verifier.verify(vectorInput({ headers: withoutSignature }));
    expect(missing).toMatchObject({ ok: false, reason: 'MISSING_HEADER' });
    if (!missing.ok) expect(missing.message).toContain('signature');
    const repeated = verifier.verify(vectorInput({ headers: { ...ntf.headers, 'request-time': [ntf.time, ntf.time] } }));
    expect(repeated).toMatchObject({ ok: false, reason: 'MISSING_HEADER' });
    if (!repeated.ok) expect(repeated.message).toContain('request-time');
  });

  it('explains a raw-body mistake precisely', () => {
    const verified = verifier.verify(vectorInput({ rawBody: JSON.parse(ntf.body) as never }));
    if (verified.ok) throw new Error('expected a failure');
    expect(verified.message).toContain('JSON body parser');
    expect(verified.message).toContain('express.raw');
  });

  it('leaves a query string out of the signed path, as the docs sample and amsgate do', () => {
    expect(verifier.verify(vectorInput({ path: `${ntf.uri}?source=antom` })).ok).toBe(true);
    const wrongPath = verifier.verify(vectorInput({ path: `${ntf.uri}x?source=antom` }));
    if (wrongPath.ok) throw new Error('expected a failure');
    expect(wrongPath.reason).toBe('MISMATCH');
    expect(wrongPath.message).toContain('query string was left out');
  });
});

describe('notifications signed with the protocol package', () => {
  it('notifyRefund, notifyCapture, notifyAuthorization and PAYMENT_PENDING verify and are typed by their event type', () => {
    const refund = verifier.verify(signed({
      notifyType: 'REFUND_RESULT', result: success, refundStatus: 'SUCCESS', refundRequestId: 'RR-1', refundId: 'RF-1', refundAmount: amount,
      refundTime: '2026-03-01T12:00:00+08:00',
    }));
    expect(refund).toMatchObject({ ok: true, kind: 'notifyRefund', notification: { refundId: 'RF-1', refundStatus: 'SUCCESS' } });

    const capture = verifier.verify(signed({
      notifyType: 'CAPTURE_RESULT', result: success, captureRequestId: 'CR-1', paymentId: 'PAY-1', captureId: 'CP-1', captureAmount: amount,
    }, { time: '1772337605000' }));
    expect(capture).toMatchObject({ ok: true, kind: 'notifyCapture', notification: { captureId: 'CP-1' } });

    const authorization = verifier.verify(signed({ authorizationNotifyType: 'TOKEN_CANCELED', accessToken: 'tok', result: success }));
    expect(authorization).toMatchObject({ ok: true, kind: 'notifyAuthorization', notification: { authorizationNotifyType: 'TOKEN_CANCELED' } });

    const pending = verifier.verify(signed({
      notifyType: 'PAYMENT_PENDING', result: success, paymentRequestId: 'PR-1', paymentId: 'PAY-1', paymentAmount: amount,
      paymentCreateTime: '2026-03-01T12:00:00+08:00',
    }));
    expect(pending).toMatchObject({ ok: true, kind: 'notifyPayment', notification: { notifyType: 'PAYMENT_PENDING' } });
  });

  it('refuses one signed with another key', () => {
    const forged = verifier.verify(signed({ notifyType: 'REFUND_RESULT' }, { key: importPrivateKey(KEYS.merchant_v2.privateKeyPkcs8Base64) }));
    expect(forged).toMatchObject({ ok: false, reason: 'MISMATCH' });
  });

  it('an authentic body that is not JSON: NOT_JSON', () => {
    expect(verifier.verify(signed('not json'))).toMatchObject({ ok: false, reason: 'NOT_JSON' });
  });

  it('an authentic body of a kind the SDK does not model: UNKNOWN_NOTIFICATION, with the verified body', () => {
    const body = { notifyType: 'DISPUTE_CREATED', result: success, disputeId: 'D-1' };
    expect(verifier.verify(signed(body))).toEqual({
      ok: false,
      reason: 'UNKNOWN_NOTIFICATION',
      message: expect.any(String) as string,
      verifiedBody: body,
    });
  });

  it('an authentic notifyPayment missing a required field: INVALID_BODY naming it, with the verified body', () => {
    const body = { notifyType: 'PAYMENT_RESULT', result: success, paymentRequestId: 'PR-1', paymentAmount: amount, paymentCreateTime: '2026-03-01T12:00:00+08:00' };
    const verified = verifier.verify(signed(body));
    expect(verified).toMatchObject({ ok: false, reason: 'INVALID_BODY', field: 'paymentId', verifiedBody: body });
  });
});

describe('a Node http notify endpoint, as in the README', () => {
  it('acknowledges a genuine notification delivered over HTTP and refuses a tampered one', async () => {
    const received: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const verified = verifier.verify({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks) });
        if (!verified.ok) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end(verified.reason);
          return;
        }
        if (verified.kind === 'notifyPayment') received.push(verified.notification.paymentId);
        res.writeHead(200, { 'content-type': 'application/json' }).end(notificationAck());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ntf.uri}`;
    try {
      const body = Buffer.from(ntf.bodyBase64, 'base64');
      const genuine = await fetch(url, { method: 'POST', headers: ntf.headers, body });
      expect(genuine.status).toBe(200);
      expect(await genuine.text()).toBe('{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}');
      const tampered = await fetch(url, { method: 'POST', headers: ntf.headers, body: ntf.body.replace('"1000"', '"1"') });
      expect(tampered.status).toBe(400);
      expect(await tampered.text()).toBe('MISMATCH');
      expect(received).toEqual(['20231114194010800100188000000001']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
