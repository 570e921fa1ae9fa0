import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { importPrivateKey, importPublicKey, signHeader, verifyHeader } from '@amsgate/protocol';
import { run } from './helpers.js';

const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/amsgate.cjs', import.meta.url));

interface VectorFile {
  vectors: Array<{
    id: string;
    uri: string;
    clientId: string;
    time: string;
    bodyBase64: string;
    keyVersion: string;
    signatureHeader: string;
    privateKeyPkcs8Base64: string;
    publicKeyBase64: string;
    contentToBeSigned: string;
  }>;
  keys: Record<string, { publicKeyBase64: string }>;
}
const vectors = (JSON.parse(
  readFileSync(new URL('../../protocol/test/fixtures/signature-vectors.json', import.meta.url), 'utf8'),
) as VectorFile).vectors;

function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'amsgate-cli-'));
}

function files(v: VectorFile['vectors'][number]) {
  const dir = workDir();
  const body = join(dir, 'body');
  const key = join(dir, 'key');
  const pub = join(dir, 'pub');
  writeFileSync(body, Buffer.from(v.bodyBase64, 'base64'));
  writeFileSync(key, v.privateKeyPkcs8Base64);
  writeFileSync(pub, v.publicKeyBase64);
  return { dir, body, key, pub };
}

describe('amsgate sign', () => {
  for (const v of vectors) {
    it(`reproduces the header of vector ${v.id}`, async () => {
      const f = files(v);
      const { code, out } = await run([
        'sign', '--client-id', v.clientId, '--time', v.time, '--uri', v.uri, '--key', f.key,
        '--key-version', v.keyVersion, '--body', f.body,
      ]);
      expect(code).toBe(0);
      expect(out.at(-1)).toBe(v.signatureHeader);
    });
  }

  it('--explain prints the exact content with escapes, the header still alone on the last line', async () => {
    const v = vectors.find((x) => x.id === 'req-crlf-tabs-trailing-newline') ?? vectors[0]!;
    const f = files(v);
    const { code, out } = await run([
      'sign', '--client-id', v.clientId, '--time', v.time, '--uri', v.uri, '--key', f.key,
      '--key-version', v.keyVersion, '--body', f.body, '--explain',
    ]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(JSON.stringify(v.contentToBeSigned));
    expect(text).toMatch(/Content signed \(\d+ bytes, sha256 [0-9a-f]{64}\)/);
    expect(out.at(-1)).toBe(v.signatureHeader);
  });

  it('says what is wrong with a public key given to sign, a missing file and a bad key version', async () => {
    const v = vectors[0]!;
    const f = files(v);
    const base = ['sign', '--client-id', 'C', '--time', '1', '--uri', '/x', '--body', f.body];
    const wrongKey = await run([...base, '--key', f.pub]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.err.join('\n')).toContain('This is a public key; a private key is needed to sign');
    const missing = await run([...base, '--key', join(f.dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('no such file');
    const badVersion = await run([...base, '--key', f.key, '--key-version', 'two']);
    expect(badVersion.code).toBe(2);
    expect(badVersion.err.join('\n')).toContain('--key-version must be a positive integer');
    const badUri = await run(['sign', '--client-id', 'C', '--time', '1', '--uri', 'https://x/y', '--body', f.body, '--key', f.key]);
    expect(badUri.code).toBe(2);
    expect(badUri.err.join('\n')).toContain('--uri must be the path as requested');
    const missingOption = await run(['sign', '--client-id', 'C', '--time', '1', '--uri', '/x']);
    expect(missingOption.code).toBe(2);
    expect(missingOption.err.join('\n')).toContain("required option '--key <file>' not specified");
  });
});

describe('amsgate verify', () => {
  const v = vectors[0]!;

  it('prints valid and exits 0 for a good signature', async () => {
    const f = files(v);
    const { code, out } = await run([
      'verify', '--client-id', v.clientId, '--time', v.time, '--uri', v.uri, '--public-key', f.pub,
      '--signature', v.signatureHeader, '--body', f.body,
    ]);
    expect(code).toBe(0);
    expect(out).toEqual(['valid']);
  });

  it('exits 1 and says why for a changed time, a malformed header or bad encoding', async () => {
    const f = files(v);
    const base = ['verify', '--client-id', v.clientId, '--uri', v.uri, '--public-key', f.pub, '--body', f.body];
    const changed = await run([...base, '--time', String(Number(v.time) + 1), '--signature', v.signatureHeader]);
    expect(changed.code).toBe(1);
    expect(changed.out.join('\n')).toMatch(/^invalid: MISMATCH: /);
    const malformed = await run([...base, '--time', v.time, '--signature', 'nonsense']);
    expect(malformed.code).toBe(1);
    expect(malformed.out.join('\n')).toMatch(/^invalid: MALFORMED_HEADER: /);
    const encoding = await run([...base, '--time', v.time, '--signature', 'algorithm=RSA256,signature=%%%']);
    expect(encoding.code).toBe(1);
    expect(encoding.out.join('\n')).toMatch(/^invalid: BAD_ENCODING: /);
  });

  it('refuses a private key where the public key belongs (exit 2)', async () => {
    const f = files(v);
    const { code, err } = await run([
      'verify', '--client-id', v.clientId, '--time', v.time, '--uri', v.uri, '--public-key', f.key,
      '--signature', v.signatureHeader, '--body', f.body,
    ]);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('This is a private key; the public key is needed to verify');
  });
});

describe('amsgate keygen', () => {
  it('writes key files, private ones readable by the owner only, and refuses to overwrite', async () => {
    const dir = join(workDir(), 'keys');
    const first = await run(['keygen', '--out', dir, '--json']);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.out.join('\n')) as { files: Record<string, string>; publicKey: string };
    expect(statSync(report.files.privateKeyPem!).mode & 0o777).toBe(0o600);
    expect(statSync(report.files.privateKeyBase64!).mode & 0o777).toBe(0o600);
    expect(statSync(report.files.publicKeyBase64!).mode & 0o777).toBe(0o644);
    expect(JSON.stringify(report)).not.toContain('PRIVATE KEY');

    const privateKey = importPrivateKey(readFileSync(report.files.privateKeyBase64!, 'utf8'));
    const pkcs1 = importPrivateKey(readFileSync(report.files.privateKeyPkcs1Base64!, 'utf8'));
    const publicKey = importPublicKey(readFileSync(report.files.publicKeyPem!));
    const parts = { uri: '/ams/api/v1/payments/pay', clientId: 'C', time: '1', body: '{}' };
    expect(signHeader(parts, pkcs1, 1)).toBe(signHeader(parts, privateKey, 1));
    expect(verifyHeader(parts, signHeader(parts, privateKey, 1), publicKey).ok).toBe(true);
    expect(readFileSync(report.files.publicKeyBase64!, 'utf8').trim()).toBe(report.publicKey);

    const second = await run(['keygen', '--out', dir]);
    expect(second.code).toBe(2);
    expect(second.err.join('\n')).toContain('Refusing to overwrite existing key files');
  });

  it('prints the base64 forms and the PEM blocks without --out or --json, as the help and README say', async () => {
    const { code, out } = await run(['keygen']);
    expect(code).toBe(0);
    const text = out.join('\n');
    const privatePem = /-----BEGIN PRIVATE KEY-----\n[\s\S]+?\n-----END PRIVATE KEY-----/.exec(text)?.[0];
    const publicPem = /-----BEGIN PUBLIC KEY-----\n[\s\S]+?\n-----END PUBLIC KEY-----/.exec(text)?.[0];
    expect(privatePem).toBeDefined();
    expect(publicPem).toBeDefined();
    const base64Public = out[out.indexOf('# Public key, base64 SPKI: register this one with the gateway.') + 1]!;
    const base64Private = out[out.indexOf('# Private key, base64 PKCS#8 (Java, Go, .NET, PHP SDKs). Keep it secret.') + 1]!;
    const parts = { uri: '/x', clientId: 'C', time: '1', body: '' };
    // Both forms are the same pair.
    expect(verifyHeader(parts, signHeader(parts, importPrivateKey(privatePem!), 1), importPublicKey(base64Public)).ok).toBe(true);
    expect(verifyHeader(parts, signHeader(parts, importPrivateKey(base64Private), 1), importPublicKey(publicPem!)).ok).toBe(true);
  });

  it('--out naming an existing file, or a path through one, is a usage error (exit 2), not a stack trace', async () => {
    const file = join(workDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const onFile = await run(['keygen', '--out', file]);
    expect(onFile.code).toBe(2);
    expect(onFile.err).toEqual([`amsgate: --out must be a directory, but ${file} is a file`]);
    const through = await run(['keygen', '--out', join(file, 'keys')]);
    expect(through.code).toBe(2);
    expect(through.err).toEqual([`amsgate: Cannot write the key files into ${join(file, 'keys')}: a part of the path is a file, not a directory`]);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('prints a usable pair as JSON without --out', async () => {
    const { code, out } = await run(['keygen', '--json']);
    expect(code).toBe(0);
    const pair = JSON.parse(out.join('\n')) as Record<string, string>;
    const parts = { uri: '/x', clientId: 'C', time: '1', body: '' };
    expect(verifyHeader(parts, signHeader(parts, importPrivateKey(pair.privateKey!), 1), importPublicKey(pair.publicKey!)).ok).toBe(true);
  });
});

describe('the installed command', () => {
  it('signs a body from standard input and verifies it, as a separate process', async () => {
    const v = vectors[0]!;
    const f = files(v);
    const signed = execFileAsync(process.execPath, [
      BIN, 'sign', '--client-id', v.clientId, '--time', v.time, '--uri', v.uri, '--key', f.key,
    ]);
    signed.child.stdin!.end(Buffer.from(v.bodyBase64, 'base64'));
    const { stdout } = await signed;
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(v.signatureHeader);

    await expect(
      execFileAsync(process.execPath, [
        BIN, 'verify', '--client-id', v.clientId, '--time', '1', '--uri', v.uri, '--public-key', f.pub,
        '--signature', v.signatureHeader, '--body', f.body,
      ]),
    ).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/^invalid: MISMATCH/) });
  });

  it('prints help', async () => {
    const { stdout } = await execFileAsync(process.execPath, [BIN, '--help']);
    expect(stdout).toContain('keygen');
    expect(stdout).toContain('sign');
    expect(stdout).toContain('verify');
  });
});

describe('amsgate openapi', () => {
  it('prints the OpenAPI document naming the given server; refuses a server that is not an http(s) URL', async () => {
    const { code, out } = await run(['openapi', '--server', 'http://127.0.0.1:9090/ignored/path']);
    expect(code).toBe(0);
    const document = JSON.parse(out.join('\n')) as { openapi: string; servers: unknown; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:9090' }]);
    expect(Object.keys(document.paths)).toContain('/ams/api/v1/payments/pay');
    const refused = await run(['openapi', '--server', '127.0.0.1:9090']);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toContain('--server');
  });
});
