import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPublicKeyBase64, importPrivateKey, importPublicKey, KeyFormatError, signHeader, verifyHeader } from '@amsgate/protocol';
import { run } from './helpers.js';

interface FixtureKeys {
  keys: Record<'merchant_v1' | 'merchant_v2', { privateKeyPkcs8Base64: string; publicKeyBase64: string }>;
}
const fixtureKeys = (JSON.parse(
  readFileSync(new URL('../../protocol/test/fixtures/signature-vectors.json', import.meta.url), 'utf8'),
) as FixtureKeys).keys;

interface Credentials {
  clientId: string;
  keyVersion: number;
  merchantPrivateKey?: string;
  merchantPublicKey: string;
  antomPublicKey: string;
}

interface ShownClient {
  clientId: string;
  name: string;
  status: string;
  sandbox: boolean;
  antomPublicKey: string;
  keys: Array<{ keyVersion: number; publicKey: string; revoked: boolean; revokedAt: string | null }>;
}

describe('amsgate clients', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amsgate-clients-'));
  const dataDir = join(dir, 'data');
  const db = ['--data-dir', dataDir];
  const v2PublicFile = join(dir, 'v2.pub');
  const v1PublicPemFile = join(dir, 'v1.pem');
  const privateFile = join(dir, 'private.b64');
  writeFileSync(v2PublicFile, fixtureKeys.merchant_v2.publicKeyBase64);
  writeFileSync(v1PublicPemFile, importPublicKey(fixtureKeys.merchant_v1.publicKeyBase64).export({ format: 'pem', type: 'spki' }).toString());
  writeFileSync(privateFile, fixtureKeys.merchant_v1.privateKeyPkcs8Base64);
  let credentials: Credentials;

  const show = async (clientId: string): Promise<ShownClient> => {
    const shown = await run(['clients', 'show', clientId, '--json', ...db]);
    expect(shown.code, shown.text).toBe(0);
    return JSON.parse(shown.out.join('\n')) as ShownClient;
  };

  beforeAll(async () => {
    const created = await run(['clients', 'create', '--json', '--name', 'Test shop', ...db]);
    expect(created.code, created.text).toBe(0);
    credentials = JSON.parse(created.out.join('\n')) as Credentials;
  });

  it('create --json prints exactly the credentials, which sign requests the stored key verifies', async () => {
    expect(Object.keys(credentials).sort()).toEqual(['antomPublicKey', 'clientId', 'keyVersion', 'merchantPrivateKey', 'merchantPublicKey']);
    expect(credentials.clientId).toMatch(/^SANDBOX_[0-9A-Z]{14}$/);
    expect(credentials.keyVersion).toBe(1);
    const parts = { uri: '/ams/api/v1/payments/pay', clientId: credentials.clientId, time: '2024-01-01T00:00:00Z', body: '{"a":1}' };
    const header = signHeader(parts, importPrivateKey(credentials.merchantPrivateKey as string), credentials.keyVersion);

    const stored = await show(credentials.clientId);
    const storedKey = stored.keys.find((k) => k.keyVersion === 1);
    expect(storedKey?.publicKey).toBe(credentials.merchantPublicKey);
    expect(verifyHeader(parts, header, importPublicKey(storedKey?.publicKey as string))).toMatchObject({ ok: true, keyVersion: 1 });
    expect(stored.antomPublicKey).toBe(credentials.antomPublicKey);
  });

  it('list shows the client, as a table and as JSON', async () => {
    const table = await run(['clients', 'list', ...db]);
    expect(table.code).toBe(0);
    expect(table.out[0]).toMatch(/^CLIENT ID\s+NAME/);
    expect(table.text).toContain(credentials.clientId);
    expect(table.text).toContain('Test shop');

    const json = await run(['clients', 'list', '--json', ...db]);
    const rows = JSON.parse(json.out.join('\n')) as Array<{ clientId: string; name: string; sandbox: boolean; liveKeyVersions: number[] }>;
    expect(rows.find((r) => r.clientId === credentials.clientId)).toMatchObject({ name: 'Test shop', sandbox: true, liveKeyVersions: [1] });
  });

  it('show names the keys and the Antom public key, never a private key', async () => {
    const shown = await run(['clients', 'show', credentials.clientId, ...db]);
    expect(shown.code).toBe(0);
    expect(shown.text).toContain('keyVersion 1  live');
    expect(shown.text).toContain(credentials.antomPublicKey);
    expect(shown.text).not.toContain(credentials.merchantPrivateKey as string);
    const json = await run(['clients', 'show', credentials.clientId, '--json', ...db]);
    expect(json.text).not.toMatch(/private/i);
  });

  it('add-key registers version 2, show lists both, revoke-key revokes one', async () => {
    const added = await run(['clients', 'add-key', credentials.clientId, '--public-key', v2PublicFile, '--json', ...db]);
    expect(added.code, added.text).toBe(0);
    expect(JSON.parse(added.out.join('\n'))).toEqual({ clientId: credentials.clientId, keyVersion: 2, publicKey: fixtureKeys.merchant_v2.publicKeyBase64 });

    let shown = await show(credentials.clientId);
    expect(shown.keys.map((k) => [k.keyVersion, k.revoked])).toEqual([[1, false], [2, false]]);

    const revoked = await run(['clients', 'revoke-key', credentials.clientId, '--key-version', '1', ...db]);
    expect(revoked.code, revoked.text).toBe(0);
    expect(revoked.text).toContain('Live key versions: 2');
    shown = await show(credentials.clientId);
    expect(shown.keys.map((k) => [k.keyVersion, k.revoked])).toEqual([[1, true], [2, false]]);
    expect(shown.keys[0]?.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const again = await run(['clients', 'revoke-key', credentials.clientId, '--key-version', '1', ...db]);
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toContain('already revoked');
    const missing = await run(['clients', 'revoke-key', credentials.clientId, '--key-version', '9', ...db]);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('has no key version 9 (it has 1, 2)');
    const badVersion = await run(['clients', 'revoke-key', credentials.clientId, '--key-version', 'x', ...db]);
    expect(badVersion.code).toBe(2);
  });

  it('add-key refuses a private key with the KeyFormatError message, changing nothing', async () => {
    let expected = '';
    try {
      importPublicKey(readFileSync(privateFile));
    } catch (error) {
      expect(error).toBeInstanceOf(KeyFormatError);
      expected = (error as Error).message;
    }
    const result = await run(['clients', 'add-key', credentials.clientId, '--public-key', privateFile, ...db]);
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toBe(`amsgate: ${privateFile}: ${expected}`);
    expect((await show(credentials.clientId)).keys).toHaveLength(2);
  });

  it('agent-token prints a 48-character token once', async () => {
    const plain = await run(['clients', 'agent-token', credentials.clientId, ...db]);
    expect(plain.code).toBe(0);
    expect(plain.out.at(-1)).toMatch(/^[0-9A-Z]{48}$/);
    const json = await run(['clients', 'agent-token', credentials.clientId, '--json', ...db]);
    const parsed = JSON.parse(json.out.join('\n')) as { clientId: string; agentToken: string };
    expect(parsed.clientId).toBe(credentials.clientId);
    expect(parsed.agentToken).toMatch(/^[0-9A-Z]{48}$/);
    expect(parsed.agentToken).not.toBe(plain.out.at(-1));
  });

  it('an unknown client id is a usage error (exit 2) for every command', async () => {
    for (const args of [
      ['show', 'NO_SUCH_CLIENT'],
      ['add-key', 'NO_SUCH_CLIENT', '--public-key', v2PublicFile],
      ['revoke-key', 'NO_SUCH_CLIENT', '--key-version', '1'],
      ['agent-token', 'NO_SUCH_CLIENT'],
    ]) {
      const result = await run(['clients', ...args, ...db]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.join('\n')).toContain('No client NO_SUCH_CLIENT');
    }
  });

  it('create --mode gateway --public-key registers the given key under a non-sandbox id, no private key', async () => {
    const created = await run(['clients', 'create', '--mode', 'gateway', '--public-key', v1PublicPemFile, '--json', ...db]);
    expect(created.code, created.text).toBe(0);
    const c = JSON.parse(created.out.join('\n')) as Credentials;
    expect(Object.keys(c).sort()).toEqual(['antomPublicKey', 'clientId', 'keyVersion', 'merchantPublicKey']);
    expect(c.clientId).toMatch(/^[0-9A-Z]{14}$/);
    expect(c.merchantPublicKey).toBe(exportPublicKeyBase64(importPublicKey(fixtureKeys.merchant_v1.publicKeyBase64)));
    const shown = await show(c.clientId);
    expect(shown).toMatchObject({ sandbox: false, name: 'Client' });
  });

  it('create refuses a private key file and a bad --mode before touching the database', async () => {
    const before = await run(['clients', 'list', '--json', ...db]);
    const withPrivate = await run(['clients', 'create', '--public-key', privateFile, ...db]);
    expect(withPrivate.code).toBe(2);
    expect(withPrivate.err.join('\n')).toMatch(/private key/);
    const badMode = await run(['clients', 'create', '--mode', 'production', ...db]);
    expect(badMode.code).toBe(2);
    const after = await run(['clients', 'list', '--json', ...db]);
    expect(after.out).toEqual(before.out);
  });

  it('refuses a data directory without a database and an unsupported database URL', async () => {
    const missing = await run(['clients', 'list', '--data-dir', join(dir, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('No amsgate database at');
    const mysql = await run(['clients', 'list', '--database', 'mysql://user:secret@host/db']);
    expect(mysql.code).toBe(2);
    expect(mysql.err.join('\n')).toContain('Unsupported database URL "mysql://user:***@host/db"');
  });
});
