import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPublicKey, verifyHeader } from '@amsgate/protocol';
import { serve, startServer, type RunningServer } from '../src/commands/serve.js';
import { run, serveOptions, signedPost, startSandbox, type SandboxCredentials } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/amsgate.cjs', import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

describe('amsgate serve', () => {
  let dataDir: string;
  let server: RunningServer;
  const first = capture();
  let credentials: SandboxCredentials;

  async function call(endpoint: string, body: unknown): Promise<Record<string, unknown> & { result: { resultStatus: string; resultCode: string } }> {
    const uri = `/ams/api/v1/payments/${endpoint}`;
    const response = await signedPost(server.started.httpUrl, credentials, uri, body);
    const answer = await response.text();
    const parts = { uri, clientId: response.headers.get('client-id') ?? '', time: response.headers.get('response-time') ?? '', body: answer };
    expect(verifyHeader(parts, response.headers.get('signature'), importPublicKey(credentials.antomPublicKey)).ok).toBe(true);
    return JSON.parse(answer) as Record<string, unknown> & { result: { resultStatus: string; resultCode: string } };
  }

  let counter = 0;
  async function pay(): Promise<string> {
    counter += 1;
    const answer = await call('pay', {
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: `cli-pay-${Date.now()}-${counter}`,
      paymentAmount: { currency: 'USD', value: '1000' },
      order: { referenceOrderId: `order-${counter}`, orderDescription: 'Test order', orderAmount: { currency: 'USD', value: '1000' } },
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      paymentRedirectUrl: 'https://merchant.example/return',
      env: { terminalType: 'WEB' },
    });
    expect(answer.result.resultStatus).toBe('U');
    return answer.paymentId as string;
  }

  beforeAll(async () => {
    ({ dataDir, server, credentials } = await startSandbox('amsgate-serve-', { https: true }, first.io));
  });
  afterAll(async () => server?.stop());

  it('answers /healthz and /readyz over HTTP and HTTPS', async () => {
    expect(server.started.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.started.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${server.started.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect(server.started.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpsGet(`${server.started.httpsUrl}/readyz`)).status).toBe(200);
  });

  it('prints the banner on stderr: addresses, database, mode, the new sandbox client and its credentials file, no private key', () => {
    const banner = first.err.join('\n');
    expect(first.out).toEqual([]);
    expect(banner).toContain(`HTTP:     ${server.started.httpUrl}`);
    expect(banner).toContain(`HTTPS:    ${server.started.httpsUrl}`);
    expect(banner).toContain(`Database: SQLite ${join(dataDir, 'amsgate.sqlite')}`);
    expect(banner).toContain('Mode:     sandbox');
    expect(banner).toContain(`Sandbox client created: ${credentials.clientId}`);
    expect(banner).toContain(join(dataDir, 'sandbox-credentials.json'));
    expect(banner).not.toContain(credentials.merchantPrivateKey);
  });

  it('writes the credentials file readable by the owner only, with everything an SDK needs', () => {
    expect(statSync(join(dataDir, 'sandbox-credentials.json')).mode & 0o777).toBe(0o600);
    expect(credentials.clientId).toMatch(/^SANDBOX_/);
    expect(credentials.baseUrl).toBe(server.started.httpUrl);
    expect(importPublicKey(credentials.merchantPublicKey).asymmetricKeyType).toBe('rsa');
  });

  it('sandbox complete moves a payment made over HTTP to SUCCESS while the server runs; a second complete exits 1', async () => {
    const paymentId = await pay();
    const done = await run(['sandbox', 'complete', paymentId, '--data-dir', dataDir]);
    expect(done.code, done.text).toBe(0);
    expect(done.out.join('\n')).toContain(`Payment ${paymentId} is now SUCCESS`);

    const inquiry = await call('inquiryPayment', { paymentId });
    expect(inquiry.paymentStatus).toBe('SUCCESS');

    const again = await run(['sandbox', 'complete', paymentId, '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toContain(`ORDER_STATUS_INVALID: Payment ${paymentId} is SUCCESS`);
  });

  it('sandbox complete --outcome fail, --json; unknown payments and bad codes exit 2', async () => {
    const paymentId = await pay();
    const badCode = await run(['sandbox', 'complete', paymentId, '--outcome', 'fail', '--result-code', 'SUCCESS', '--data-dir', dataDir]);
    expect(badCode.code).toBe(2);
    expect(badCode.err.join('\n')).toContain('PARAM_ILLEGAL: resultCode');

    const failed = await run(['sandbox', 'complete', paymentId, '--outcome', 'fail', '--message', 'No money', '--json', '--data-dir', dataDir]);
    expect(failed.code, failed.text).toBe(0);
    expect(JSON.parse(failed.out.join('\n'))).toMatchObject({
      paymentId, clientId: credentials.clientId, paymentStatus: 'FAIL', resultCode: 'USER_BALANCE_NOT_ENOUGH', resultMessage: 'No money',
    });
    expect((await call('inquiryPayment', { paymentId })).paymentStatus).toBe('FAIL');

    const unknown = await run(['sandbox', 'complete', 'PAY_NO_SUCH_PAYMENT', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toBe('amsgate: ORDER_NOT_EXIST: No payment PAY_NO_SUCH_PAYMENT');
  });

  it('validates options before starting anything (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', '70000'], /--port must be a port number/],
      [['--https-port', 'abc'], /--https-port must be a port number/],
      [['--mode', 'production'], /argument 'production' is invalid/],
      [['--tls-cert', '/nonexistent/cert.pem'], /--tls-cert needs --tls-key/],
      [['--tls-key', '/nonexistent/key.pem'], /--tls-key needs --tls-cert/],
      [['--tls-cert', 'a', '--tls-key', 'b', '--no-https'], /--no-https/],
      [['--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'], /Cannot read the TLS certificate file/],
      [['--database', 'mysql://root:pw@db/amsgate'], /Unsupported database URL "mysql:\/\/root:\*\*\*@db\/amsgate"/],
      [['--rate-limit', '-1'], /--rate-limit must be a whole number/],
      [['--max-clock-skew', '0'], /--max-clock-skew must be a number of seconds greater than 0/],
      [['--public-base-url', 'sandbox.example.com'], /--public-base-url must be an absolute http\(s\) URL/],
      [['--durability', 'off'], /argument 'off' is invalid/],
    ];
    const emptyDir = join(mkdtempSync(join(tmpdir(), 'amsgate-serve-bad-')), 'data');
    for (const [args, message] of cases) {
      const result = await run(['serve', '--data-dir', emptyDir, '--port', '0', '--https-port', '0', '--log-level', 'silent', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.join('\n'), args.join(' ')).toMatch(message);
    }
  });

  it('a second start on the same data directory creates no client, names the existing one, and stops on SIGTERM', async () => {
    await server.stop();
    const second = capture();
    const signals = new EventEmitter();
    const serving = serve(serveOptions(dataDir, { https: false }), second.io, signals);
    // Wait for the banner, then stop it as a signal would.
    while (!second.err.some((line) => line.includes('Sandbox clients:'))) await new Promise((r) => setTimeout(r, 10));
    const banner = second.err.join('\n');
    expect(banner).toContain(`Sandbox clients: ${credentials.clientId}`);
    expect(banner).toContain(`Credentials file: ${join(dataDir, 'sandbox-credentials.json')}`);
    expect(banner).toContain('HTTPS:    off');
    expect(banner).not.toContain('created');
    const url = /HTTP: +(\S+)/.exec(banner)?.[1] as string;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    signals.emit('SIGTERM', 'SIGTERM');
    await serving;
    expect(second.err.at(-1)).toBe('amsgate: stopped');
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    const listed = await run(['clients', 'list', '--json', '--data-dir', dataDir]);
    expect((JSON.parse(listed.out.join('\n')) as unknown[]).length).toBe(1);
  });

  it('the installed command logs JSON lines on stdout and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0', '--no-https', '--json', '--log-level', 'info'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const started = new Promise<{ httpUrl: string }>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const line = stdout.split('\n').find((l) => l.includes('"amsgate started"'));
        if (line) resolve(JSON.parse(line) as { httpUrl: string });
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
    });
    const banner = await started;
    expect(banner).toMatchObject({ mode: 'sandbox', httpsUrl: null, sandboxClientIds: [credentials.clientId], createdSandboxClientId: null });
    expect((await fetch(`${banner.httpUrl}/healthz`)).status).toBe(200);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.some((line) => line.includes('Server listening at'))).toBe(true);
  });
});

describe('amsgate serve --mode gateway: the admin token', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'amsgate-serve-gw-')), 'data');

  it('creates an admin token on the first start, shows it once, keeps it (mode 600) and guards the dashboard and control API with it', async () => {
    const first = capture();
    const server = await startServer(serveOptions(dataDir, { mode: 'gateway', https: false }), first.io);
    try {
      const tokenFile = join(dataDir, 'admin-token');
      const token = readFileSync(tokenFile, 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const banner = first.err.join('\n');
      expect(banner).toContain(`Dashboard: ${server.started.httpUrl}/dashboard (admin token, shown once: ${token}; kept in ${tokenFile})`);
      expect(server.banner).toMatchObject({ adminTokenFile: tokenFile, adminTokenRequired: true });
      expect(JSON.stringify(server.banner)).not.toContain(token);

      const dashboard = await fetch(`${server.started.httpUrl}/dashboard`, { redirect: 'manual' });
      expect(dashboard.status).toBe(303);
      expect((await fetch(`${server.started.httpUrl}/admin/notifications`)).status).toBe(401);
      const withToken = await fetch(`${server.started.httpUrl}/admin/notifications`, { headers: { authorization: `Bearer ${token}` } });
      expect(withToken.status).toBe(200);
      // The control-API commands find the token in the data directory.
      const listed = await run(['notify', 'list', '--json', '--data-dir', dataDir, '--base-url', server.started.httpUrl]);
      expect(listed.code, listed.text).toBe(0);
    } finally {
      await server.stop();
    }

    const second = capture();
    const again = await startServer(serveOptions(dataDir, { mode: 'gateway', https: false }), second.io);
    try {
      const banner = second.err.join('\n');
      expect(banner).toContain(`(admin token in ${join(dataDir, 'admin-token')})`);
      expect(banner).not.toContain(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim());
    } finally {
      await again.stop();
    }
  });
});

describe('amsgate serve: an admin token file written by hand', () => {
  it('refuses one shorter than 16 characters (exit 2) and leaves the file as it is', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-serve-short-token-'));
    const tokenFile = join(dataDir, 'admin-token');
    writeFileSync(tokenFile, 'short-token\n');
    const result = await run(['serve', '--mode', 'gateway', '--port', '0', '--no-https', '--log-level', 'silent', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([
      `amsgate: ${tokenFile} holds an admin token shorter than 16 characters (11); write a longer one into it, or delete the file and \`serve\` creates a new one`,
    ]);
    expect(readFileSync(tokenFile, 'utf8')).toBe('short-token\n');
  });
});
