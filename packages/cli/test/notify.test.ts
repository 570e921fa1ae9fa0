/**
 * `amsgate notify list | show | resend | listen`, `sandbox clock` and
 * `clients notify-url`, against a real gateway serving on port 0.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListener } from '../src/commands/notify.js';
import type { RunningServer } from '../src/commands/serve.js';
import { run, signedPost, startSandbox, waitFor, type SandboxCredentials } from './helpers.js';

describe('notify commands', () => {
  let dataDir: string;
  let server: RunningServer;
  let credentials: SandboxCredentials;

  beforeAll(async () => {
    ({ dataDir, server, credentials } = await startSandbox('amsgate-notify-cli-'));
  });
  afterAll(async () => server?.stop());

  async function pay(notifyUrl: string | undefined): Promise<string> {
    const body = JSON.stringify({
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: `cli-${Date.now()}-${Math.random()}`,
      paymentAmount: { currency: 'USD', value: '1250' },
      order: { referenceOrderId: 'o-1', orderDescription: 'CLI order', orderAmount: { currency: 'USD', value: '1250' } },
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      paymentRedirectUrl: 'https://merchant.example/return',
      ...(notifyUrl ? { paymentNotifyUrl: notifyUrl } : {}),
      env: { terminalType: 'WEB' },
    });
    const response = await signedPost(credentials.baseUrl, credentials, '/ams/api/v1/payments/pay', body);
    const paymentId = ((await response.json()) as { paymentId: string }).paymentId;
    expect((await run(['sandbox', 'complete', paymentId, '--data-dir', dataDir])).code).toBe(0);
    return paymentId;
  }

  it('listen verifies, prints and acknowledges notifications, and forwards them to your endpoint', async () => {
    const forwarded: string[] = [];
    const merchant = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        forwarded.push(`${req.url} ${String(req.headers.signature).slice(0, 20)} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}');
      });
    });
    await new Promise<void>((r) => merchant.listen(0, '127.0.0.1', r));
    const merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/antom/notify`;
    const lines: string[] = [];
    const listener = await startListener({ host: '127.0.0.1', port: '0', dataDir, forward: merchantUrl }, { out: (l) => lines.push(l), err: () => undefined });
    try {
      const paymentId = await pay(`${listener.url}/antom/notify`);
      await waitFor(() => lines.length > 0);
      expect(lines[0]).toContain('PAYMENT_RESULT');
      expect(lines[0]).toContain(`paymentId=${paymentId}`);
      expect(lines[0]).toContain('12.50 USD');
      expect(lines[0]).toContain('result S SUCCESS');
      expect(lines[0]).toContain('signature valid');
      expect(lines[0]).toContain('HTTP 200 (acknowledged)');
      expect(forwarded).toHaveLength(1);
      expect(forwarded[0]).toContain(`"paymentId":"${paymentId}"`);

      // The gateway recorded the delivery; the CLI reads it through the control API. The listener prints
      // before its acknowledgement reaches the gateway, so the record may lag the line by a moment.
      const mineNow = async () => {
        const list = await run(['notify', 'list', '--data-dir', dataDir, '--json']);
        expect(list.code).toBe(0);
        const notifications = JSON.parse(list.out.join('\n')) as Array<{ notificationId: string; resourceId: string; status: string }>;
        return notifications.find((n) => n.resourceId === paymentId)!;
      };
      let mine = await mineNow();
      for (const until = Date.now() + 5_000; mine.status !== 'DELIVERED' && Date.now() < until; mine = await mineNow()) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(mine.status).toBe('DELIVERED');
      const shown = await run(['notify', 'show', mine.notificationId, '--data-dir', dataDir]);
      expect(shown.text).toContain('DELIVERED');
      expect(shown.text).toMatch(/#1 .* delivered {2}HTTP 200/);
      const resent = await run(['notify', 'resend', mine.notificationId, '--data-dir', dataDir]);
      expect(resent.code).toBe(0);
      expect(resent.text).toContain('Attempt #2: delivered (HTTP 200)');
      await waitFor(() => lines.length === 2);
    } finally {
      await listener.close();
      merchant.closeAllConnections();
      await new Promise<void>((r) => merchant.close(() => r()));
    }
  });

  it('listen flags a notification whose signature does not verify', async () => {
    const lines: string[] = [];
    const listener = await startListener({ host: '127.0.0.1', port: '0', dataDir }, { out: (l) => lines.push(l), err: () => undefined });
    try {
      const response = await fetch(`${listener.url}/n`, {
        method: 'POST',
        headers: { 'client-id': credentials.clientId, 'request-time': '1', signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA' },
        body: '{"notifyType":"PAYMENT_RESULT","result":{"resultStatus":"S","resultCode":"SUCCESS"}}',
      });
      expect(response.status).toBe(200);
      expect(lines[0]).toContain('signature INVALID (MISMATCH');
    } finally {
      await listener.close();
    }
  });

  it('lists failed notifications and walks the retry schedule with the sandbox clock', async () => {
    const paymentId = await pay('http://127.0.0.1:1/unreachable');
    const listed = async (status?: string) => {
      const r = await run(['notify', 'list', '--data-dir', dataDir, '--json', '--payment', paymentId, ...(status ? ['--status', status] : [])]);
      expect(r.code).toBe(0);
      return JSON.parse(r.out.join('\n')) as Array<{ resourceId: string; attempts: number; status: string }>;
    };
    const attemptsSoFar = async () => (await listed())[0]?.attempts ?? 0;
    const until = async (attempts: number) => {
      const deadline = Date.now() + 5_000;
      while ((await attemptsSoFar()) < attempts && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await attemptsSoFar()).toBe(attempts);
    };
    await until(1);
    expect((await listed())[0]!.status).toBe('PENDING');
    const steps = ['2m', '10m', '10m', '1h', '2h', '6h', '15h'];
    for (const [i, step] of steps.entries()) {
      const advanced = await run(['sandbox', 'clock', 'advance', step, '--data-dir', dataDir]);
      expect(advanced.code).toBe(0);
      expect(advanced.text).toContain('Sandbox time is now');
      await until(i + 2);
    }
    expect(await listed('failed')).toEqual([expect.objectContaining({ resourceId: paymentId, status: 'FAILED', attempts: 8 })]);
    const clock = await run(['sandbox', 'clock', 'show', '--data-dir', dataDir]);
    expect(clock.text).toMatch(/s ahead of real time/);
    const bad = await run(['sandbox', 'clock', 'advance', 'soon', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.text).toContain('not a duration');
  });

  it('clients notify-url sets the default URL used when a request names none', async () => {
    const lines: string[] = [];
    const listener = await startListener({ host: '127.0.0.1', port: '0', dataDir }, { out: (l) => lines.push(l), err: () => undefined });
    try {
      const set = await run(['clients', 'notify-url', credentials.clientId, '--type', 'PAYMENT_RESULT', '--url', `${listener.url}/default`, '--data-dir', dataDir]);
      expect(set.code).toBe(0);
      const paymentId = await pay(undefined);
      await waitFor(() => lines.some((l) => l.includes(paymentId)));
      expect((await run(['clients', 'notify-url', 'SANDBOX_NOBODY', '--type', 'PAYMENT_RESULT', '--url', 'http://x/y', '--data-dir', dataDir])).code).toBe(2);
    } finally {
      await listener.close();
    }
  });

  it('says clearly when no gateway is reachable', async () => {
    const r = await run(['notify', 'list', '--base-url', 'http://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.text).toContain('cannot reach the gateway at http://127.0.0.1:1');
  });

  it('listen refuses a --forward that is not an absolute http(s) URL (exit 2), before listening', async () => {
    for (const forward of ['localhost:3000/notify', '127.0.0.1:3000/notify', '/notify', 'ftp://example.com/notify']) {
      const result = await run(['notify', 'listen', '--port', '0', '--forward', forward, '--data-dir', dataDir]);
      expect(result.code, forward).toBe(2);
      expect(result.err, forward).toEqual([`amsgate: --forward must be an absolute http(s) URL such as http://localhost:3000/notify, got "${forward}"`]);
    }
  });
});
