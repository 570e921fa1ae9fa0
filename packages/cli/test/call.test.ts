/**
 * `amsgate call` against a real gateway started in sandbox mode on port 0:
 * the sandbox credentials file found by default, --credentials, the
 * environment, --json, --explain, --curl (run with the real curl), and the
 * failures (F answer, forged answer, bad input).
 */
import { execFile, spawn } from 'node:child_process';
import { verify as cryptoVerify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '@amsgate/gateway';
import { generateKeyPair, importPublicKey, parseSignatureHeader, verifyHeader } from '@amsgate/protocol';
import { call } from '../src/commands/call.js';
import { run, sandboxCredentials, type SandboxCredentials } from './helpers.js';

const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/amsgate.cjs', import.meta.url));

interface JsonOutput {
  url: string;
  httpStatus: number;
  signature: string;
  attempts: number;
  resultStatus: string;
  response: { result: { resultCode: string; resultStatus: string }; paymentId?: string; paymentStatus?: string };
}

let counter = 0;
function payBody(): Record<string, unknown> {
  counter += 1;
  const amount = { currency: 'USD', value: '1000' };
  return {
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: `cli-call-${Date.now()}-${counter}`,
    paymentAmount: amount,
    order: { referenceOrderId: `order-${counter}`, orderDescription: 'CLI order', orderAmount: amount },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    env: { terminalType: 'WEB' },
  };
}

describe('amsgate call', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amsgate-call-'));
  const dataDir = join(dir, 'data');
  const dd = ['--data-dir', dataDir];
  let gateway: Gateway;
  let credentials: SandboxCredentials;

  const writeJson = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };

  async function paymentsFor(paymentRequestId: string): Promise<number> {
    const rows = await gateway.database.db.selectFrom('payments').select('payment_id').where('payment_request_id', '=', paymentRequestId).execute();
    return rows.length;
  }

  async function pay(): Promise<string> {
    const result = await run(['call', 'payments/pay', '--data', writeJson(`pay-${counter}.json`, payBody()), '--json', ...dd]);
    expect(result.code, result.text).toBe(0);
    const paymentId = (JSON.parse(result.out.join('\n')) as JsonOutput).response.paymentId;
    if (paymentId === undefined) throw new Error('no paymentId');
    return paymentId;
  }

  beforeAll(async () => {
    gateway = await Gateway.open({ dataDir, port: 0, httpsPort: null, logger: false, sweepIntervalMs: 0, mode: 'sandbox' });
    await gateway.start();
    credentials = sandboxCredentials(dataDir);
  });
  afterAll(() => gateway.close());

  it('finds the sandbox credentials in the data dir, pays, and prints the verified answer with its result', async () => {
    const body = payBody();
    const result = await run(['call', 'payments/pay', '--data', writeJson('pay.json', body), ...dd]);
    expect(result.code, result.text).toBe(0);
    expect(result.out[0]).toBe(`POST ${credentials.baseUrl}/ams/sandbox/api/v1/payments/pay`);
    expect(result.out[1]).toBe('HTTP 200, signature verified, 1 attempt');
    expect(result.out[2]).toMatch(/^result: U PAYMENT_IN_PROCESS/);
    const response = JSON.parse(result.out.slice(3).join('\n')) as { paymentId: string; normalUrl: string };
    expect(response.paymentId).toMatch(/^PAY/);
    expect(response.normalUrl).toContain('/checkout/');
    expect(await paymentsFor(body['paymentRequestId'] as string)).toBe(1);
  });

  it('takes SDK method names and inline JSON; --json prints machine-readable output', async () => {
    const paymentId = await pay();
    const result = await run(['call', 'inquiryPayment', '--data', JSON.stringify({ paymentId }), '--json', ...dd]);
    expect(result.code, result.text).toBe(0);
    const output = JSON.parse(result.out.join('\n')) as JsonOutput;
    expect(output).toMatchObject({
      url: `${credentials.baseUrl}/ams/sandbox/api/v1/payments/inquiryPayment`,
      httpStatus: 200,
      signature: 'verified',
      attempts: 1,
      resultStatus: 'S',
      response: { paymentId, paymentStatus: 'PROCESSING' },
    });
  });

  it('exits 1 on an F answer, still printing it', async () => {
    const result = await run(['call', 'payments/inquiryPayment', '--data', '{"paymentId":"PAY_NONE"}', ...dd]);
    expect(result.code).toBe(1);
    expect(result.out[2]).toMatch(/^result: F ORDER_NOT_EXIST/);
  });

  it('--explain prints the content signed and the content verified, which verifies with the Antom key', async () => {
    const paymentId = await pay();
    const result = await run(['call', 'inquiryPayment', '--data', JSON.stringify({ paymentId }), '--explain', ...dd]);
    expect(result.code, result.text).toBe(0);
    const lines = result.out.join('\n').split('\n');
    const signedAt = lines.findIndex((line) => line.startsWith('Content signed ('));
    const verifiedAt = lines.findIndex((line) => line.startsWith('Content verified ('));
    expect(signedAt).toBeGreaterThanOrEqual(0);
    expect(verifiedAt).toBeGreaterThan(signedAt);
    const signed = JSON.parse(lines[signedAt + 1] ?? '""') as string;
    expect(signed).toMatch(new RegExp(`^POST /ams/sandbox/api/v1/payments/inquiryPayment\\n${credentials.clientId}\\.\\d{13}\\.\\{"paymentId":"${paymentId}"\\}$`));
    const verified = JSON.parse(lines[verifiedAt + 1] ?? '""') as string;
    expect(verified.startsWith(`POST /ams/sandbox/api/v1/payments/inquiryPayment\n${credentials.clientId}.`)).toBe(true);
    expect(verified).toContain('"paymentStatus":"PROCESSING"');
    const signature = lines[verifiedAt + 2]?.replace(/^signature: /, '') ?? '';
    const parsed = parseSignatureHeader(signature);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(cryptoVerify('sha256', Buffer.from(verified, 'utf8'), importPublicKey(credentials.antomPublicKey), parsed.header.signature)).toBe(true);
    expect(result.err.join('\n')).toContain(`Credentials: ${join(dataDir, 'sandbox-credentials.json')}`);
  });

  it('--curl prints a signed curl command without sending; run by curl, the gateway accepts it', async () => {
    const body = payBody();
    const result = await run(['call', 'pay', '--data', writeJson('curl-pay.json', body), '--curl', ...dd]);
    expect(result.code, result.text).toBe(0);
    const command = result.out.join('\n');
    expect(command).toMatch(/^curl -sS -X POST '.*\/ams\/sandbox\/api\/v1\/payments\/pay' \\\n/);
    expect(command).toContain("-H 'signature: algorithm=RSA256,keyVersion=1,signature=");
    expect(await paymentsFor(body['paymentRequestId'] as string)).toBe(0);

    const { stdout } = await execFileAsync('sh', ['-c', `${command} -D -`]);
    const [head = '', answer = ''] = stdout.split(/\r\n\r\n/);
    expect(JSON.parse(answer)).toMatchObject({ result: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' } });
    const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
    const check = verifyHeader(
      { uri: '/ams/sandbox/api/v1/payments/pay', clientId: credentials.clientId, time: header('response-time'), body: answer },
      header('signature'),
      importPublicKey(credentials.antomPublicKey),
    );
    expect(check.ok).toBe(true);
    expect(await paymentsFor(body['paymentRequestId'] as string)).toBe(1);
  });

  it('--credentials takes the `clients create --json` shape; without a baseUrl it needs --base-url', async () => {
    const { baseUrl: _omitted, ...created } = credentials;
    const file = writeJson('created.json', created);
    const missing = await run(['call', 'inquiryPayment', '--data', '{"paymentId":"PAY_X"}', '--credentials', file]);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('No base URL');
    const given = await run(['call', 'inquiryPayment', '--data', '{"paymentId":"PAY_X"}', '--credentials', file, '--base-url', credentials.baseUrl]);
    expect(given.code).toBe(1);
    expect(given.out[2]).toMatch(/^result: F ORDER_NOT_EXIST/);
  });

  it('reads credentials from AMSGATE_* environment variables', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await call('inquiryPayment', { data: '{"paymentId":"PAY_X"}', dataDir: join(dir, 'nowhere'), json: true }, { out: (l) => out.push(l), err: (l) => err.push(l) }, {
      AMSGATE_CLIENT_ID: credentials.clientId,
      AMSGATE_PRIVATE_KEY: credentials.merchantPrivateKey,
      AMSGATE_ANTOM_PUBLIC_KEY: credentials.antomPublicKey,
      AMSGATE_BASE_URL: credentials.baseUrl,
    });
    expect(code, err.join('\n')).toBe(1);
    expect((JSON.parse(out.join('\n')) as JsonOutput).response.result.resultCode).toBe('ORDER_NOT_EXIST');
    await expect(call('inquiryPayment', { data: '{}', dataDir: dir }, { out: () => undefined, err: () => undefined }, { AMSGATE_CLIENT_ID: 'X' }))
      .rejects.toThrow(/AMSGATE_PRIVATE_KEY and AMSGATE_ANTOM_PUBLIC_KEY are not/);
  });

  it('refuses an answer that does not verify with the configured Antom key: exit 1, reason printed', async () => {
    const stranger = await generateKeyPair();
    const file = writeJson('wrong-antom-key.json', { ...credentials, antomPublicKey: stranger.publicKeyBase64 });
    const result = await run(['call', 'inquiryPayment', '--data', '{"paymentId":"PAY_X"}', '--credentials', file, '--explain']);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toContain('refused (MISMATCH)');
    expect(result.out.some((line) => line.startsWith('Content verified (did not verify)'))).toBe(true);
  });

  it('reports an unreachable gateway as a failure after the retries', async () => {
    const result = await run(['call', 'inquiryPayment', '--data', '{"paymentId":"PAY_X"}', '--base-url', 'http://127.0.0.1:9', ...dd]);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toMatch(/no usable answer after 3 attempts/);
  });

  it('usage errors exit 2: no credentials, no body, a body that is not a JSON object, a bad endpoint', async () => {
    const empty = ['--data-dir', join(dir, 'empty')];
    expect((await run(['call', 'inquiryPayment', '--data', '{}', ...empty])).err.join('\n')).toContain('No credentials');
    const cases = [
      ['call', 'inquiryPayment', ...dd],
      ['call', 'inquiryPayment', '--data', writeJson('bad.json', '{not json'), ...dd],
      ['call', 'inquiryPayment', '--data', '["a"]', ...dd],
      ['call', 'inquiryPayment', '--data', join(dir, 'missing.json'), ...dd],
      ['call', 'pay me', '--data', '{}', ...dd],
      ['call', 'inquiryPayment', '--data', '{}', ...empty],
    ];
    for (const args of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.length, args.join(' ')).toBe(1);
    }
  });

  it('reads the body from standard input with --data - (through the installed bin)', async () => {
    const paymentId = await pay();
    const child = spawn(process.execPath, [BIN, 'call', 'inquiryPayment', '--data', '-', '--json', ...dd], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.end(JSON.stringify({ paymentId }));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as JsonOutput).response.paymentStatus).toBe('PROCESSING');
  });
});
