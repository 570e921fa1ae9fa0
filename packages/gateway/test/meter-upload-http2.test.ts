/**
 * `meter/uploadEvent` as the official SDKs send it: over HTTP/2 (ALPN h2 on
 * the HTTPS listener), unsigned, with only `X-Session-Id` from
 * `meter/createSession` to say who sends it. The session names the client;
 * an unknown, expired or missing session is refused; the events count
 * for the session's client only; HTTP/1.1 on the same listener still works.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, constants } from 'node:http2';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { Gateway, type StartedGateway } from '../src/index.js';
import { meteredUsage } from '../src/products/metering/usage.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';

interface Credentials {
  clientId: string;
  merchantPrivateKey: string;
}

const UPLOAD = '/ams/api/v1/meter/uploadEvent';

describe('meter/uploadEvent over HTTP/2 with an upload session', () => {
  let gateway: Gateway;
  let started: StartedGateway;
  let credentials: Credentials;
  let ca: string;
  let clock: SandboxClock;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-h2-'));
    clock = new SandboxClock({ now: () => Date.now() });
    gateway = await Gateway.open({ dataDir, port: 0, httpsPort: 0, logger: false, sweepIntervalMs: 0, clock });
    started = await gateway.start();
    credentials = JSON.parse(readFileSync(started.credentialsFile!, 'utf8')) as Credentials;
    ca = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8');
  });
  afterAll(async () => {
    await gateway.close();
  });

  /** A signed HTTP/1.1 call (createSession, meter/create go the usual way). */
  async function signed(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const uri = `/ams/api/v1/${path}`;
    const text = JSON.stringify(body);
    const time = String(Date.now());
    const signature = signHeader({ uri, clientId: credentials.clientId, time, body: text }, importPrivateKey(credentials.merchantPrivateKey), 1);
    const port = new URL(started.httpsUrl!).port;
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: uri, method: 'POST', ca, headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': credentials.clientId, 'request-time': time, signature } },
        (res) => {
          let out = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (out += chunk));
          res.on('end', () => resolve(JSON.parse(out) as Record<string, unknown>));
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  /** The SDKs' upload: HTTP/2, `X-Session-Id`, Accept, a JSON body, nothing else. */
  async function uploadOverHttp2(sessionId: string | undefined, body: unknown): Promise<{ status: number; protocol: string; headers: Record<string, unknown>; json: Record<string, unknown> }> {
    const session = connect(started.httpsUrl!, { ca, servername: undefined });
    try {
      const protocol = await new Promise<string>((resolve, reject) => {
        session.once('connect', () => resolve(session.alpnProtocol ?? ''));
        session.once('error', reject);
      });
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: UPLOAD,
        'content-type': 'application/json; charset=UTF-8',
        accept: 'application/json',
        ...(sessionId === undefined ? {} : { 'x-session-id': sessionId }),
      });
      stream.end(JSON.stringify(body));
      const headers = await new Promise<Record<string, unknown>>((resolve) => stream.once('response', (h) => resolve(h as Record<string, unknown>)));
      let text = '';
      stream.setEncoding('utf8');
      for await (const chunk of stream) text += chunk as string;
      return { status: Number(headers[constants.HTTP2_HEADER_STATUS]), protocol, headers, json: JSON.parse(text) as Record<string, unknown> };
    } finally {
      session.close();
    }
  }

  it('counts events sent unsigned over HTTP/2 for the session\'s client, answers unsigned, and refuses a missing or expired session', async () => {
    const eventName = `api_calls_${Date.now()}`;
    const meter = await signed('meter/create', { meterName: 'API calls', eventName, aggregationMethod: 'SUM' });
    expect(meter.result).toMatchObject({ resultStatus: 'S' });
    const meterId = (meter.meter as { meterId: string }).meterId;
    const created = await signed('meter/createSession', { requestId: `session-${Date.now()}` });
    expect(created.result).toMatchObject({ resultCode: 'SUCCESS' });
    const sessionId = created.sessionId as string;

    const at = Date.now();
    const events = { meters: [{ eventName, events: [{ idempotencyKey: 'e1', eventTimestamp: String(at), payload: { value: '7', customerId: 'cus_h2' } }, { idempotencyKey: 'e2', eventTimestamp: String(at), payload: { value: '5', customerId: 'cus_h2' } }] }] };
    const uploaded = await uploadOverHttp2(sessionId, events);
    expect(uploaded.protocol).toBe('h2');
    expect(uploaded.status).toBe(200);
    expect(uploaded.json.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
    expect(uploaded.headers.signature).toBeUndefined();
    const usage = await meteredUsage(gateway.database.db, credentials.clientId, { customerId: 'cus_h2', meterId, from: at - 1, to: at + 1 });
    expect(usage.quantity).toBe(12n);

    const missing = await uploadOverHttp2(undefined, events);
    expect(missing.json.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
    const unknown = await uploadOverHttp2('MSN0000000000000000000000000', events);
    expect(unknown.json.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('x-session-id') });

    clock.advance(16 * 60_000);
    const expired = await uploadOverHttp2(sessionId, { meters: [{ eventName, events: [{ idempotencyKey: 'e3', payload: { value: '100', customerId: 'cus_h2' } }] }] });
    expect(expired.json.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
    // Nothing of the refused uploads was counted.
    expect((await meteredUsage(gateway.database.db, credentials.clientId, { customerId: 'cus_h2', meterId, from: 0, to: clock.now() + 1 })).quantity).toBe(12n);
  });
});
