/**
 * `amsgate proxy` against a real sandbox gateway on port 0, the proxy on
 * port 0 in-process: plain JSON in, a signed request out (sandbox path,
 * exact body bytes), the answer verified and passed through; a fake target
 * that answers with a wrong signature or none; an unreachable target;
 * credentials from the environment; another client-id refused; the
 * command itself run as a process and stopped with SIGTERM.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPrivateKey, importPublicKey, publicKeyOf, signHeader, verifyHeader } from '@amsgate/protocol';
import { PROXY_HEADER, startProxy, type ProxyOptions, type RunningProxy } from '../src/commands/proxy.js';
import { readAll } from '../src/local-server.js';
import { run, startSandbox, type Sandbox } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/amsgate.cjs', import.meta.url));

function payBody(paymentRequestId: string): Record<string, unknown> {
  const amount = { currency: 'USD', value: '1000' };
  return {
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId,
    paymentAmount: amount,
    order: { referenceOrderId: `order-${paymentRequestId}`, orderDescription: 'Proxy order', orderAmount: amount },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    env: { terminalType: 'WEB' },
  };
}

interface Answer {
  result: { resultStatus: string; resultCode: string };
  paymentId?: string;
  paymentRequestId?: string;
  paymentStatus?: string;
}

/** A plain POST, as curl or Postman would send it: no signature headers. */
function post(proxy: RunningProxy, path: string, body: string | Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** A tiny target answering every request with `answer`, recording what it received. */
async function fakeTarget(answer: (received: { headers: IncomingMessage['headers']; path: string; body: Buffer }) => { headers: Record<string, string>; body: string }) {
  const received: Array<{ headers: IncomingMessage['headers']; path: string; body: Buffer }> = [];
  const server = createServer((req, res) => {
    void readAll(req).then((body) => {
      const request = { headers: req.headers, path: req.url ?? '/', body };
      received.push(request);
      const { headers, body: text } = answer(request);
      res.writeHead(200, headers);
      res.end(text);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A POST with a Host header of our choosing (fetch will not send one). */
function rawPost(base: string, path: string, body: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path, method: 'POST', headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('amsgate proxy', () => {
  let sandbox: Sandbox;
  let proxy: RunningProxy;
  const log: string[] = [];
  const io = { out: (line: string) => log.push(line), err: (line: string) => log.push(line) };
  const options = (overrides: Partial<ProxyOptions> = {}): ProxyOptions => ({ host: '127.0.0.1', port: '0', dataDir: sandbox.dataDir, ...overrides });
  const toClose: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    sandbox = await startSandbox('amsgate-proxy-');
    // An empty environment: the sandbox credentials file in the data directory is the default.
    proxy = await startProxy(options(), io, {});
  });
  afterAll(async () => {
    for (const close of toClose) await close();
    await proxy.close();
    await sandbox.server.stop();
  });

  it('signs plain JSON, forwards it to the sandbox path, and verifies the answers of a pay -> inquiryPayment round trip', async () => {
    expect(proxy.clientId).toBe(sandbox.credentials.clientId);
    expect(proxy.clientId.startsWith('SANDBOX_')).toBe(true);
    expect(proxy.sandboxPaths).toBe(true);
    expect(proxy.target).toBe(sandbox.credentials.baseUrl);

    const paid = await post(proxy, '/ams/api/v1/payments/pay', payBody('proxy-pay-1'));
    expect(paid.status).toBe(200);
    expect(paid.headers.get(PROXY_HEADER.verified)).toBe('true');
    expect(paid.headers.get(PROXY_HEADER.reason)).toBeNull();
    expect(paid.headers.get(PROXY_HEADER.url)).toBe(`${sandbox.credentials.baseUrl}/ams/sandbox/api/v1/payments/pay`);
    const payAnswer = (await paid.json()) as Answer;
    expect(payAnswer.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });

    const inquired = await post(proxy, '/ams/api/v1/payments/inquiryPayment', { paymentRequestId: 'proxy-pay-1' });
    expect(inquired.headers.get(PROXY_HEADER.verified)).toBe('true');
    // The answer's own signature headers come through, and they verify over the path the proxy called.
    const signature = inquired.headers.get('signature');
    const responseTime = inquired.headers.get('response-time');
    expect(inquired.headers.get('client-id')).toBe(sandbox.credentials.clientId);
    expect(signature).toMatch(/^algorithm=RSA256,keyVersion=\d+,signature=/);
    const raw = Buffer.from(await inquired.arrayBuffer());
    const verdict = verifyHeader(
      { uri: '/ams/sandbox/api/v1/payments/inquiryPayment', clientId: sandbox.credentials.clientId, time: responseTime ?? '', body: raw },
      signature,
      importPublicKey(sandbox.credentials.antomPublicKey),
    );
    expect(verdict.ok).toBe(true);
    const inquiry = JSON.parse(raw.toString('utf8')) as Answer;
    expect(inquiry.result.resultStatus).toBe('S');
    expect(inquiry).toMatchObject({ paymentId: payAnswer.paymentId, paymentRequestId: 'proxy-pay-1', paymentStatus: 'PROCESSING' });

    // One line per request on standard error, never the key.
    const lines = log.filter((line) => line.includes('/ams/api/v1/payments/'));
    expect(lines.some((line) => /POST \/ams\/api\/v1\/payments\/pay -> \/ams\/sandbox\/api\/v1\/payments\/pay {2}HTTP 200 {2}U PAYMENT_IN_PROCESS {2}verified$/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('inquiryPayment') && line.includes('S SUCCESS') && line.endsWith('verified'))).toBe(true);
    expect(log.join('\n')).not.toContain(sandbox.credentials.merchantPrivateKey.slice(20, 60));
  });

  it('forwards a body that is not JSON, byte for byte: the gateway answers a signed PARAM_ILLEGAL', async () => {
    const answered = await post(proxy, '/ams/api/v1/payments/pay', 'not json {');
    expect(answered.status).toBe(200);
    expect(answered.headers.get(PROXY_HEADER.verified)).toBe('true');
    expect(((await answered.json()) as Answer).result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
  });

  it('signs the exact body bytes at the sandbox path with the credentials, and passes an agent-token on', async () => {
    const target = await fakeTarget(() => ({ headers: { 'content-type': 'application/json' }, body: '{"result":{"resultStatus":"S","resultCode":"SUCCESS"}}' }));
    toClose.push(() => closeServer(target.server));
    const viaFake = await startProxy(options({ target: target.url }), io, {});
    toClose.push(viaFake.close);
    const body = '{ "paymentRequestId" : "odd spacing",\n "note": "caf\u00e9" }';
    await post(viaFake, '/ams/api/v1/payments/inquiryPayment', body, { 'agent-token': 'agent-1', signature: 'algorithm=RSA256,keyVersion=1,signature=theirs' });
    await post(viaFake, '/ams/sandbox/api/v1/payments/inquiryPayment', body);

    const [first, second] = target.received;
    expect(first?.path).toBe('/ams/sandbox/api/v1/payments/inquiryPayment');
    expect(second?.path).toBe('/ams/sandbox/api/v1/payments/inquiryPayment');
    expect(first?.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(first?.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(first?.headers['client-id']).toBe(sandbox.credentials.clientId);
    expect(first?.headers['agent-token']).toBe('agent-1');
    expect(first?.headers['request-time']).toMatch(/^\d{13}$/);
    const merchantPublicKey = publicKeyOf(importPrivateKey(sandbox.credentials.merchantPrivateKey));
    const signed = verifyHeader(
      { uri: first?.path ?? '', clientId: sandbox.credentials.clientId, time: String(first?.headers['request-time']), body: first?.body ?? Buffer.alloc(0) },
      String(first?.headers.signature),
      merchantPublicKey,
    );
    expect(signed).toMatchObject({ ok: true, keyVersion: sandbox.credentials.keyVersion });
  });

  it('says false, with the reason, for an answer with a wrong signature or none, and passes it through unchanged', async () => {
    const answerBody = '{"result":{"resultStatus":"S","resultCode":"SUCCESS","resultMessage":"success"},"paymentStatus":"SUCCESS"}';
    // Signed, but with the merchant key instead of Antom's: a forgery as far as the proxy can tell.
    const forger = importPrivateKey(sandbox.credentials.merchantPrivateKey);
    const tampered = await fakeTarget(({ path }) => {
      const time = '2026-01-01T00:00:00+00:00';
      return {
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'client-id': sandbox.credentials.clientId,
          'response-time': time,
          signature: signHeader({ uri: path, clientId: sandbox.credentials.clientId, time, body: answerBody }, forger, 1),
        },
        body: answerBody,
      };
    });
    const unsigned = await fakeTarget(() => ({ headers: { 'content-type': 'application/json' }, body: answerBody }));
    toClose.push(() => closeServer(tampered.server), () => closeServer(unsigned.server));
    const viaTampered = await startProxy(options({ target: tampered.url }), io, {});
    const viaUnsigned = await startProxy(options({ target: unsigned.url }), io, {});
    toClose.push(viaTampered.close, viaUnsigned.close);

    const forged = await post(viaTampered, '/ams/api/v1/payments/inquiryPayment', { paymentRequestId: 'x' });
    expect(forged.status).toBe(200);
    expect(forged.headers.get(PROXY_HEADER.verified)).toBe('false');
    expect(forged.headers.get(PROXY_HEADER.reason)).toMatch(/^bad signature: MISMATCH/);
    expect(forged.headers.get('signature')).toMatch(/^algorithm=RSA256/);
    expect(await forged.text()).toBe(answerBody);

    const bare = await post(viaUnsigned, '/ams/api/v1/payments/inquiryPayment', { paymentRequestId: 'x' });
    expect(bare.headers.get(PROXY_HEADER.verified)).toBe('false');
    expect(bare.headers.get(PROXY_HEADER.reason)).toMatch(/^unsigned answer/);
    expect(await bare.text()).toBe(answerBody);
    expect(log.some((line) => line.includes('NOT verified (bad signature: MISMATCH'))).toBe(true);
  });

  it('answers 502 with the reason when the target is unreachable', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await closeServer(closed);
    const nowhere = await startProxy(options({ target: `http://127.0.0.1:${port}` }), io, {});
    toClose.push(nowhere.close);

    const answered = await post(nowhere, '/ams/api/v1/payments/inquiryPayment', { paymentRequestId: 'x' });
    expect(answered.status).toBe(502);
    expect(answered.headers.get(PROXY_HEADER.verified)).toBe('false');
    const body = (await answered.json()) as { error: string; message: string };
    expect(body.error).toBe('TARGET_UNREACHABLE');
    expect(body.message).toContain(`http://127.0.0.1:${port}/ams/sandbox/api/v1/payments/inquiryPayment`);
    expect(body.message).toContain('ECONNREFUSED');
  });

  it('takes the credentials from AMSGATE_* environment variables', async () => {
    const env = {
      AMSGATE_CLIENT_ID: sandbox.credentials.clientId,
      AMSGATE_PRIVATE_KEY: sandbox.credentials.merchantPrivateKey,
      AMSGATE_ANTOM_PUBLIC_KEY: sandbox.credentials.antomPublicKey,
      AMSGATE_KEY_VERSION: String(sandbox.credentials.keyVersion),
      AMSGATE_BASE_URL: sandbox.credentials.baseUrl,
    };
    const fromEnv = await startProxy(options({ dataDir: join(sandbox.dataDir, 'no-such-dir') }), io, env);
    toClose.push(fromEnv.close);
    const paid = await post(fromEnv, '/ams/api/v1/payments/pay', payBody('proxy-env-1'));
    expect(paid.headers.get(PROXY_HEADER.verified)).toBe('true');
    expect(((await paid.json()) as Answer).result.resultCode).toBe('PAYMENT_IN_PROCESS');
  });

  it('refuses a request naming another client-id (400), accepts its own; 405 for other methods, 404 for other paths', async () => {
    const other = await post(proxy, '/ams/api/v1/payments/inquiryPayment', { paymentRequestId: 'x' }, { 'client-id': 'SANDBOX_SOMEONE_ELSE' });
    expect(other.status).toBe(400);
    expect(other.headers.get('content-type')).toContain('application/json');
    expect(await other.json()).toMatchObject({ error: 'CLIENT_ID_MISMATCH', message: expect.stringContaining('SANDBOX_SOMEONE_ELSE') as unknown });

    const own = await post(proxy, '/ams/api/v1/payments/inquiryPayment', { paymentRequestId: 'x' }, { 'client-id': sandbox.credentials.clientId });
    expect(own.status).toBe(200);
    expect(own.headers.get(PROXY_HEADER.verified)).toBe('true');

    const get = await fetch(`${proxy.url}/ams/api/v1/payments/inquiryPayment`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({ error: 'METHOD_NOT_ALLOWED' });

    const elsewhere = await post(proxy, '/dashboard', {});
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ error: 'NOT_AN_AMS_PATH' });
  });

  it('refuses what a web page can send: an Origin, a cross-site Sec-Fetch-Site, a Host that is not a loopback name (DNS rebinding)', async () => {
    // How many AMS requests the gateway has seen (its request log, newest 1000).
    const seen = async () => ((await (await fetch(`${sandbox.credentials.baseUrl}/sandbox/requests?limit=1000`)).json()) as { requests: unknown[] }).requests.length;
    const before = await seen();
    const pageHeaders: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-origin' }];
    for (const headers of pageHeaders) {
      const refused = await post(proxy, '/ams/api/v1/payments/inquiryPayment', { paymentRequestId: 'x' }, headers);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: 'BROWSER_REQUEST' });
    }
    const rebound = await rawPost(proxy.url, '/ams/api/v1/payments/inquiryPayment', '{"paymentRequestId":"x"}', 'evil.example:8081');
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('NOT_A_LOOPBACK_HOST');
    // Nothing was signed or forwarded for them.
    expect(await seen()).toBe(before);
    // A tool's request (no Origin, Sec-Fetch-Site none or absent, Host 127.0.0.1) goes through.
    expect((await post(proxy, '/ams/api/v1/payments/inquiryPayment', { paymentRequestId: 'x' }, { 'sec-fetch-site': 'none' })).status).toBe(200);
  });

  it('refuses a target with a path, and no credentials, with a usage error', async () => {
    const withPath = await run(['proxy', '--data-dir', sandbox.dataDir, '--target', 'https://open-sea-global.alipay.com/ams']);
    expect(withPath.code).toBe(2);
    expect(withPath.text).toContain('--target must be an origin without a path');
    const none = await run(['proxy', '--data-dir', join(sandbox.dataDir, 'no-such-dir')]);
    expect(none.code).toBe(2);
    expect(none.text).toContain('No credentials');
  });

  it('runs as a command: a JSON banner, one line per request on standard error, stops on SIGTERM', async () => {
    const credentialsFile = join(sandbox.dataDir, '..', 'proxy-credentials.json');
    writeFileSync(credentialsFile, JSON.stringify(sandbox.credentials));
    const child = spawn(process.execPath, [BIN, 'proxy', '--port', '0', '--json', '--credentials', credentialsFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
    const [bannerLine] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const banner = JSON.parse(bannerLine) as { url: string; target: string; clientId: string; sandboxPaths: boolean };
    expect(banner).toMatchObject({ target: sandbox.credentials.baseUrl, clientId: sandbox.credentials.clientId, sandboxPaths: true });

    const answered = await fetch(`${banner.url}/ams/api/v1/payments/inquiryPayment`, { method: 'POST', body: '{"paymentRequestId":"proxy-pay-1"}' });
    expect(answered.headers.get(PROXY_HEADER.verified)).toBe('true');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr.some((line) => line.includes('POST /ams/api/v1/payments/inquiryPayment -> /ams/sandbox/api/v1/payments/inquiryPayment  HTTP 200  S SUCCESS  verified'))).toBe(true);
    expect(stderr.join('\n')).not.toContain(sandbox.credentials.merchantPrivateKey.slice(20, 60));
  });
});
