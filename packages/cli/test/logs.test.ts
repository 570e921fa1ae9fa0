/**
 * `amsgate logs tail | show` against a real sandbox gateway serving on port 0.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/commands/serve.js';
import { tailLogs } from '../src/commands/logs.js';
import { run, signedPost, startSandbox, type SandboxCredentials } from './helpers.js';

describe('logs commands', () => {
  let dataDir: string;
  let server: RunningServer;
  let credentials: SandboxCredentials;

  beforeAll(async () => {
    ({ dataDir, server, credentials } = await startSandbox('amsgate-logs-cli-'));
  });
  afterAll(async () => server?.stop());

  async function inquire(options: { wrongKey?: boolean; clientId?: string } = {}): Promise<string> {
    const body = JSON.stringify({ paymentRequestId: `cli-${Date.now()}` });
    const response = await signedPost(credentials.baseUrl, credentials, '/ams/api/v1/payments/inquiryPayment', body, {
      clientId: options.clientId,
      privateKey: options.wrongKey ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : undefined,
    });
    return ((await response.json()) as { result: { resultCode: string } }).result.resultCode;
  }

  it('tail prints recent requests one line each, oldest first; --client filters; --json', async () => {
    const empty = await run(['logs', 'tail', '--data-dir', dataDir]);
    expect(empty.code, empty.text).toBe(0);
    expect(empty.text).toBe('No requests logged yet.');
    expect(await inquire()).toBe('ORDER_NOT_EXIST');
    expect(await inquire({ wrongKey: true })).toBe('INVALID_SIGNATURE');
    expect(await inquire({ clientId: 'SOMEONE_ELSE' })).toBe('INVALID_CLIENT');

    const tail = await run(['logs', 'tail', '--data-dir', dataDir]);
    expect(tail.code, tail.text).toBe(0);
    expect(tail.out).toHaveLength(3);
    expect(tail.out[0]).toMatch(new RegExp(`^\\S+Z  REQ\\d+  ${credentials.clientId}  POST /ams/api/v1/payments/inquiryPayment  F ORDER_NOT_EXIST  \\d+\\.\\dms$`));
    expect(tail.out[1]).toContain('F INVALID_SIGNATURE [MISMATCH]');
    expect(tail.out[2]).toContain('SOMEONE_ELSE');

    const mine = await run(['logs', 'tail', '--client', credentials.clientId, '--limit', '1', '--data-dir', dataDir]);
    expect(mine.out).toHaveLength(1);
    expect(mine.out[0]).toContain('INVALID_SIGNATURE');

    const json = await run(['logs', 'tail', '--json', '--data-dir', dataDir]);
    const entries = json.out.map((line) => JSON.parse(line) as { id: string; resultCode: string; failure: string | null });
    expect(entries.map((e) => e.resultCode)).toEqual(['ORDER_NOT_EXIST', 'INVALID_SIGNATURE', 'INVALID_CLIENT']);
  });

  it('show prints the entry with the diagnosis, the escaped content and the hints', async () => {
    expect(await inquire({ wrongKey: true })).toBe('INVALID_SIGNATURE');
    const id = (JSON.parse((await run(['logs', 'tail', '--json', '--limit', '1', '--data-dir', dataDir])).out[0]!) as { id: string }).id;
    const shown = await run(['logs', 'show', id, '--data-dir', dataDir]);
    expect(shown.code, shown.text).toBe(0);
    expect(shown.text).toContain(`${id}  `);
    expect(shown.text).toContain('Diagnosis: MISMATCH at signature');
    expect(shown.text).toMatch(/Content verified \(\d+ bytes, sha256 [0-9a-f]{64}\), as a JSON string:\n {2}"POST \/ams\/api\/v1\/payments\/inquiryPayment\\n/);
    expect(shown.text).toContain('Checked:\n    - POST /ams/api/v1/payments/inquiryPayment with keyVersion 1: does not verify');
    expect(shown.text).toContain('Hints:\n    - none of the 2 combinations checked verifies');
    expect(shown.text).toContain('Request body (');

    const json = await run(['logs', 'show', id, '--json', '--data-dir', dataDir]);
    expect((JSON.parse(json.out.join('\n')) as { diagnosis: { reason: string } }).diagnosis.reason).toBe('MISMATCH');

    const missing = await run(['logs', 'show', 'REQ999999', '--data-dir', dataDir]);
    expect(missing.code).toBe(2);
    expect(missing.text).toContain('HTTP 404');
  });

  it('--follow prints new requests until aborted', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const following = tailLogs({ dataDir, limit: '1', follow: true }, { out: (l) => lines.push(l), err: () => undefined }, controller.signal, 20);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = lines.length;
    expect(before).toBe(1);
    await inquire();
    await inquire({ clientId: 'FOLLOWED_ELSEWHERE' });
    for (let i = 0; i < 100 && lines.length < before + 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await following;
    expect(lines.slice(before)).toHaveLength(2);
    expect(lines[before]).toContain('ORDER_NOT_EXIST');
    expect(lines[before + 1]).toContain('FOLLOWED_ELSEWHERE');
  });
});
