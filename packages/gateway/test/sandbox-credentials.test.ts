/** The sandbox credentials file a start writes: made even when production clients came first, and its baseUrl kept current. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE, Gateway } from '../src/index.js';

const options = (dataDir: string) => ({ dataDir, port: 0, httpsPort: null, logger: false as const, sweepIntervalMs: 0, notifyDispatch: false, mode: 'sandbox' as const });

describe('the sandbox credentials file', () => {
  it('is written at the first sandbox start even when a production client was created before it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-creds-'));
    const first = await Gateway.open(options(dataDir));
    const production = await first.clients.create({ sandbox: false, name: 'production' });
    const started = await first.start();
    await first.close();
    expect(started.createdSandboxClient?.clientId).toMatch(/^SANDBOX_/);
    const file = join(dataDir, CREDENTIALS_FILE);
    expect(existsSync(file)).toBe(true);
    const credentials = JSON.parse(readFileSync(file, 'utf8')) as { clientId: string; baseUrl: string };
    expect(credentials.clientId).toBe(started.createdSandboxClient?.clientId);
    expect(credentials.clientId).not.toBe(production.client.clientId);
  });

  it('follows the gateway to its new address on the next start, keeping the keys; one sandbox client in all', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-creds-'));
    const file = join(dataDir, CREDENTIALS_FILE);
    const first = await Gateway.open(options(dataDir));
    const firstStart = await first.start();
    await first.close();
    const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(before.baseUrl).toBe(firstStart.httpUrl);

    const second = await Gateway.open(options(dataDir));
    try {
      const secondStart = await second.start();
      expect(secondStart.createdSandboxClient).toBeUndefined();
      expect(secondStart.httpUrl).not.toBe(firstStart.httpUrl);
      const after = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(after).toEqual({ ...before, baseUrl: secondStart.httpUrl });
      expect(await second.clients.list()).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
