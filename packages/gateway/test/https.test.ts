/** The HTTPS listener with its self-signed certificate, as the Java and Python SDKs need it. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPrivateKey, importPublicKey, signHeader, verifyHeader } from '@amsgate/protocol';
import { Gateway } from '../src/index.js';

describe('HTTPS', () => {
  it('serves signed AMS answers over TLS for localhost and 127.0.0.1, with the certificate kept in the data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-https-'));
    const gateway = await Gateway.open({ dataDir, port: 0, httpsPort: 0, logger: false, sweepIntervalMs: 0 });
    try {
      const started = await gateway.start();
      expect(started.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // First sandbox start: one client, its credentials in a private file.
      expect(started.createdSandboxClient?.clientId).toMatch(/^SANDBOX_[0-9A-Z]{14}$/);
      const credentials = JSON.parse(readFileSync(started.credentialsFile!, 'utf8')) as Record<string, string>;
      expect(credentials.clientId).toBe(started.createdSandboxClient?.clientId);
      const ca = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8');

      const uri = '/ams/api/v1/payments/inquiryPayment';
      const body = '{"paymentId":"NONE"}';
      const time = '2026-11-26T01:02:03.1234567Z';
      const signature = signHeader({ uri, clientId: credentials.clientId!, time, body }, importPrivateKey(credentials.merchantPrivateKey!), 1);
      const port = new URL(started.httpsUrl!).port;
      for (const host of ['localhost', '127.0.0.1']) {
        const answer = await new Promise<{ headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
          const req = request(
            { host, port, path: uri, method: 'POST', ca, servername: host === 'localhost' ? 'localhost' : undefined, headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': credentials.clientId, 'request-time': time, signature } },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (c: string) => (text += c));
              res.on('end', () => resolve({ headers: res.headers, text }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
        expect(JSON.parse(answer.text).result.resultCode).toBe('ORDER_NOT_EXIST');
        const verified = verifyHeader(
          { uri, clientId: String(answer.headers['client-id']), time: String(answer.headers['response-time']), body: answer.text },
          String(answer.headers.signature),
          importPublicKey(credentials.antomPublicKey!),
        );
        expect(verified.ok).toBe(true);
      }
    } finally {
      await gateway.close();
    }

    // A second start on the same data dir keeps the client and the certificate.
    const again = await Gateway.open({ dataDir, port: 0, httpsPort: 0, logger: false, sweepIntervalMs: 0 });
    try {
      const started = await again.start();
      expect(started.createdSandboxClient).toBeUndefined();
      expect((await again.clients.list()).length).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('gives the dashboard on HTTPS its own Secure cookie, and a session from either listener works on both', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-https-'));
    const gateway = await Gateway.open({ dataDir, port: 0, httpsPort: 0, logger: false, sweepIntervalMs: 0 });
    try {
      const started = await gateway.start();
      const ca = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8');
      const get = (path: string, cookie?: string) =>
        new Promise<{ status: number; setCookie: string | undefined }>((resolve, reject) => {
          const url = new URL(`${started.httpsUrl!}${path}`);
          const req = request({ host: url.hostname, port: url.port, path, ca, headers: cookie ? { cookie } : {} }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie']?.[0] }));
          });
          req.on('error', reject);
          req.end();
        });
      const overHttps = await get('/dashboard');
      expect(overHttps.status).toBe(200);
      expect(overHttps.setCookie).toMatch(/^__Secure-amsgate_dashboard=[^;]+; Path=\/dashboard; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$/);

      const plain = await fetch(`${started.httpUrl}/dashboard`);
      const plainCookie = (plain.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(plainCookie).toMatch(/^amsgate_dashboard=/);
      // The HTTP session, sent to HTTPS under the HTTPS name, is accepted there: one key serves both listeners.
      const carried = await get('/dashboard', `__Secure-${plainCookie}`);
      expect(carried.status).toBe(200);
      expect(carried.setCookie).toBeUndefined();
    } finally {
      await gateway.close();
    }
  });
});
