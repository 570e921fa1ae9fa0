/**
 * `amsgate trigger EVENT` and `notify listen --register`, against a real
 * sandbox gateway on port 0: each event's notifications reach a listener
 * that registered itself as the client's default notify URL, signed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerListener, startListener } from '../src/commands/notify.js';
import type { RunningServer } from '../src/commands/serve.js';
import { run, startSandbox, waitFor, type SandboxCredentials } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/amsgate.cjs', import.meta.url));

describe('amsgate trigger', () => {
  let dataDir: string;
  let server: RunningServer;
  let credentials: SandboxCredentials;
  const lines: string[] = [];
  let listener: Awaited<ReturnType<typeof startListener>>;
  let restore: () => Promise<void>;
  const registerMessages: string[] = [];

  const notifyUrls = async () =>
    ((await (await fetch(`${credentials.baseUrl}/admin/clients/${credentials.clientId}`)).json()) as { notifyUrls: Record<string, string> }).notifyUrls;

  beforeAll(async () => {
    ({ dataDir, server, credentials } = await startSandbox('amsgate-trigger-'));
    await fetch(`${credentials.baseUrl}/admin/clients/${credentials.clientId}/notify-urls/REFUND_RESULT`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'http://127.0.0.1:9/before' }),
    });
    listener = await startListener({ host: '127.0.0.1', port: '0', dataDir, json: true }, { out: (l) => lines.push(l), err: () => undefined });
    restore = await registerListener({ host: '127.0.0.1', port: '0', dataDir }, `${listener.url}/notify`, { out: () => undefined, err: (l) => registerMessages.push(l) });
  });
  afterAll(async () => {
    await listener?.close();
    await server?.stop();
  });

  /** The notifications the listener printed (as JSON lines) whose body mentions `id`. */
  const received = (id: string) =>
    lines.map((l) => JSON.parse(l) as { signature: string; notification: Record<string, unknown> }).filter((n) => JSON.stringify(n.notification).includes(id));

  async function triggered(args: string[]): Promise<Record<string, string>> {
    const r = await run(['trigger', ...args, '--data-dir', dataDir, '--json']);
    expect(r.code, r.text).toBe(0);
    return JSON.parse(r.out.at(-1) as string) as Record<string, string>;
  }

  it('--register points every notification type of the client at the listener', async () => {
    expect(registerMessages.join('\n')).toContain(`${listener.url}/notify`);
    expect(await notifyUrls()).toEqual({
      PAYMENT_RESULT: `${listener.url}/notify`, REFUND_RESULT: `${listener.url}/notify`, CAPTURE_RESULT: `${listener.url}/notify`, AUTHORIZATION: `${listener.url}/notify`, VAULTING_RESULT: `${listener.url}/notify`,
      DISPUTE: `${listener.url}/notify`, SUBSCRIPTION_RESULT: `${listener.url}/notify`, SUBSCRIPTION_PAYMENT_RESULT: `${listener.url}/notify`,
      REGISTRATION_RESULT: `${listener.url}/notify`, REGISTRATION_STATUS: `${listener.url}/notify`,
      INVOICE: `${listener.url}/notify`, CREDIT_NOTE: `${listener.url}/notify`, BILLING_SUBSCRIPTION: `${listener.url}/notify`, METER_EVENT: `${listener.url}/notify`,
      DIRECT_PAYMENT_RESULT: `${listener.url}/notify`, DIRECT_REFUND_RESULT: `${listener.url}/notify`, ABA_TRANSFER: `${listener.url}/notify`, CARD_BILL: `${listener.url}/notify`, CARD_STATUS: `${listener.url}/notify`,
    });
  });

  it('payment.succeeded: a paid payment, notified', async () => {
    const made = await triggered(['payment.succeeded', '--amount', '2500']);
    await waitFor(() => received(made.paymentId!).length === 1);
    const [n] = received(made.paymentId!);
    expect(n!.signature).toBe('valid');
    expect(n!.notification).toMatchObject({ notifyType: 'PAYMENT_RESULT', result: { resultStatus: 'S' }, paymentAmount: { currency: 'USD', value: '2500' } });
  });

  it('payment.failed with a chosen code', async () => {
    const made = await triggered(['payment.failed', '--result-code', 'RISK_REJECT']);
    await waitFor(() => received(made.paymentId!).length === 1);
    expect(received(made.paymentId!)[0]!.notification).toMatchObject({ notifyType: 'PAYMENT_RESULT', result: { resultStatus: 'F', resultCode: 'RISK_REJECT' } });
  });

  it('refund.succeeded and capture.succeeded: the payment, then the refund or capture', async () => {
    const refund = await triggered(['refund.succeeded']);
    // notifyRefund names the refund, not the payment.
    await waitFor(() => received(refund.paymentId!).length === 1 && received(refund.refundId!).length === 1);
    expect(received(refund.paymentId!)[0]!.notification).toMatchObject({ notifyType: 'PAYMENT_RESULT' });
    expect(received(refund.refundId!)[0]!.notification).toMatchObject({ notifyType: 'REFUND_RESULT', refundStatus: 'SUCCESS', refundAmount: { currency: 'USD', value: '1000' } });
    const capture = await triggered(['capture.succeeded']);
    await waitFor(() => received(capture.paymentId!).length === 2);
    expect(received(capture.paymentId!).map((n) => n.notification.notifyType).sort()).toEqual(['CAPTURE_RESULT', 'PAYMENT_RESULT']);
  });

  it('authorization.created and authorization.revoked: Auto Debit notifications', async () => {
    const created = await triggered(['authorization.created']);
    await waitFor(() => received(created.authCode!).length === 1);
    expect(received(created.authCode!)[0]!.notification).toMatchObject({ authorizationNotifyType: 'AUTHCODE_CREATED' });
    const revoked = await triggered(['authorization.revoked']);
    await waitFor(() => received(revoked.accessToken!).length === 1);
    expect(received(revoked.accessToken!)[0]!.notification).toMatchObject({ authorizationNotifyType: 'TOKEN_CANCELED' });
  });

  it('--notify-url sends the notifications there instead', async () => {
    const other: string[] = [];
    const direct = await startListener({ host: '127.0.0.1', port: '0', dataDir }, { out: (l) => other.push(l), err: () => undefined });
    try {
      const made = await triggered(['payment.succeeded', '--notify-url', `${direct.url}/direct`]);
      await waitFor(() => other.some((l) => l.includes(made.paymentId!)));
      expect(received(made.paymentId!)).toEqual([]);
    } finally {
      await direct.close();
    }
  });

  it('refuses an unknown event and bad options, naming them (exit 2)', async () => {
    const unknown = await run(['trigger', 'payment.exploded', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.text).toContain('one of payment.succeeded');
    const amount = await run(['trigger', 'payment.succeeded', '--amount', '10.50', '--data-dir', dataDir]);
    expect(amount.code).toBe(2);
    expect(amount.text).toContain('--amount must be minor units');
    expect((await run(['trigger', 'refund.succeeded', '--result-code', 'RISK_REJECT', '--data-dir', dataDir])).code).toBe(2);
  });

  it('stopping the registered listener puts the previous notify URLs back', async () => {
    await restore();
    expect(await notifyUrls()).toEqual({ REFUND_RESULT: 'http://127.0.0.1:9/before' });
  });

  it('notify listen --register as a command: registers at start, puts back on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'notify', 'listen', '--port', '0', '--register', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => stderr.includes('Listening for notifications'));
      const registered = /Registered (http:\/\/127\.0\.0\.1:\d+\/notify)/.exec(stderr)?.[1];
      expect(registered).toBeDefined();
      expect((await notifyUrls()).PAYMENT_RESULT).toBe(registered);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('Put back');
    expect(await notifyUrls()).toEqual({ REFUND_RESULT: 'http://127.0.0.1:9/before' });
  });
});
