import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '@amsgate/protocol';

const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/amsgate.cjs', import.meta.url));
const RECORDER = fileURLToPath(new URL('./fixtures/record-imports.mjs', import.meta.url));

/** What a command that neither serves nor opens a database must not load: the server, the store and their drivers, the loggers, TypeBox's runtime. */
const HEAVY = /\/node_modules\/(fastify|kysely|better-sqlite3|pg|prom-client|typebox|pino|pino-pretty)\/|\/packages\/gateway\/(dist|src)\/(index|gateway)\.js$/;

async function modulesLoadedBy(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'amsgate-light-'));
  const log = join(dir, 'imports.log');
  writeFileSync(log, '');
  await execFileAsync(process.execPath, ['--import', RECORDER, BIN, ...args], { cwd: dir, env: { ...process.env, ...env, AMSGATE_IMPORT_LOG: log }, maxBuffer: 64 * 1024 * 1024 });
  return readFileSync(log, 'utf8').split('\n').filter((line) => line !== '');
}

describe('commands that neither serve nor open a database start light', () => {
  const keys = { dir: mkdtempSync(join(tmpdir(), 'amsgate-light-keys-')), privateKey: '', publicKey: '' };
  beforeAll(async () => {
    const pair = await generateKeyPair();
    keys.privateKey = pair.privateKeyBase64;
    keys.publicKey = pair.publicKeyBase64;
    writeFileSync(join(keys.dir, 'key'), keys.privateKey);
    writeFileSync(join(keys.dir, 'body'), '{}');
  });
  const message = ['--client-id', 'c', '--time', '1', '--uri', '/ams/api/v1/payments/pay', '--body', join(keys.dir, 'body')];
  const cases: Array<[string, string[]]> = [
    ['--version', ['--version']],
    ['keygen', ['keygen', '--json']],
    ['sign', ['sign', ...message, '--key', join(keys.dir, 'key')]],
    ['call --curl', ['call', 'payments/inquiryPayment', '--data', '{"paymentId":"p-1"}', '--curl']],
    ['openapi', ['openapi']],
  ];
  for (const [name, args] of cases) {
    it(`${name} loads no server, store or driver module`, async () => {
      const env = { AMSGATE_CLIENT_ID: 'SANDBOX_1', AMSGATE_PRIVATE_KEY: keys.privateKey, AMSGATE_ANTOM_PUBLIC_KEY: keys.publicKey, AMSGATE_BASE_URL: 'http://127.0.0.1:1' };
      const loaded = await modulesLoadedBy(args, env);
      // The recorder works: the command's own modules are in the log.
      expect(loaded.some((url) => url.endsWith('/packages/cli/dist/main.js'))).toBe(true);
      expect(loaded.filter((url) => HEAVY.test(url))).toEqual([]);
    });
  }

  it('the recorder sees the heavy modules when a command needs them (clients create opens the database)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amsgate-light-db-'));
    const loaded = await modulesLoadedBy(['clients', 'create', '--data-dir', dir, '--json']);
    expect(loaded.some((url) => HEAVY.test(url))).toBe(true);
  });
});
