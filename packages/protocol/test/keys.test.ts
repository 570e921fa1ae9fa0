import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  exportPrivateKeyBase64,
  exportPrivateKeyPkcs1Base64,
  exportPrivateKeyPkcs1Pem,
  exportPublicKeyBase64,
  generateKeyPair,
  importPrivateKey,
  importPublicKey,
  KeyFormatError,
  publicKeyOf,
  signHeader,
  verifyHeader,
} from '../src/index.js';
import { vectorFile } from './vectors.js';

const merchant = vectorFile.keys.merchant_v1!;

function pem(label: string, base64: string): string {
  const lines = base64.match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${lines}\n-----END ${label}-----\n`;
}

function problemOf(fn: () => unknown): { problem: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyFormatError);
    const e = error as KeyFormatError;
    return { problem: e.problem, message: e.message };
  }
  throw new Error('expected a KeyFormatError');
}

describe('importPrivateKey', () => {
  const expected = merchant.privateKeyPkcs8Base64;

  it.each([
    ['base64 PKCS#8 (what Antom hands out)', merchant.privateKeyPkcs8Base64],
    ['base64 PKCS#1', merchant.privateKeyPkcs1Base64],
    ['PEM PRIVATE KEY', pem('PRIVATE KEY', merchant.privateKeyPkcs8Base64)],
    ['PEM RSA PRIVATE KEY', pem('RSA PRIVATE KEY', merchant.privateKeyPkcs1Base64)],
    ['PKCS#8 body under the RSA PRIVATE KEY label (Python SDK habit)', pem('RSA PRIVATE KEY', merchant.privateKeyPkcs8Base64)],
    ['base64 with line breaks and surrounding spaces', `  ${merchant.privateKeyPkcs8Base64.match(/.{1,76}/g)!.join('\n')}\n`],
    ['DER bytes', Buffer.from(merchant.privateKeyPkcs8Base64, 'base64')],
    ['PEM file bytes', Buffer.from(pem('PRIVATE KEY', merchant.privateKeyPkcs8Base64))],
  ])('imports %s', (_label, input) => {
    const key = importPrivateKey(input);
    expect(key.type).toBe('private');
    expect(exportPrivateKeyBase64(key)).toBe(expected);
  });

  it('returns an imported key object as is', () => {
    const key = importPrivateKey(merchant.privateKeyPkcs8Base64);
    expect(importPrivateKey(key)).toBe(key);
  });

  it('says a public key was given where a private key is needed', () => {
    for (const input of [merchant.publicKeyBase64, pem('PUBLIC KEY', merchant.publicKeyBase64), importPublicKey(merchant.publicKeyBase64)]) {
      expect(problemOf(() => importPrivateKey(input))).toEqual({
        problem: 'PUBLIC_GIVEN_FOR_PRIVATE',
        message: 'This is a public key; a private key is needed to sign',
      });
    }
  });

  it('refuses empty input, non-base64 text and unrelated bytes with what was given', () => {
    expect(problemOf(() => importPrivateKey('   ')).problem).toBe('EMPTY');
    const notBase64 = problemOf(() => importPrivateKey('not a key at all!'));
    expect(notBase64.problem).toBe('NOT_PEM_OR_BASE64');
    expect(notBase64.message).toContain('neither PEM nor base64 DER');
    const junk = problemOf(() => importPrivateKey(Buffer.from('hello world').toString('base64') + '='));
    expect(junk.problem).toBe('NOT_PEM_OR_BASE64');
    const unrecognised = problemOf(() => importPrivateKey('AAAAAAAA'));
    expect(unrecognised.problem).toBe('UNRECOGNISED');
    expect(unrecognised.message).toContain('6 bytes of DER');
    expect(unrecognised.message).toContain('PKCS#8');
    expect(problemOf(() => importPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA')).problem).toBe('NOT_PEM_OR_BASE64');
  });

  it('refuses an encrypted private key and a certificate', () => {
    const encrypted = createPrivateKey(pem('PRIVATE KEY', merchant.privateKeyPkcs8Base64))
      .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    expect(problemOf(() => importPrivateKey(encrypted)).problem).toBe('ENCRYPTED');
    expect(problemOf(() => importPrivateKey(pem('CERTIFICATE', 'AAAA'))).message).toContain('certificate');
  });

  it('refuses keys that are not RSA, and RSA keys shorter than 2048 bits', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecPem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(problemOf(() => importPrivateKey(ecPem))).toEqual({
      problem: 'NOT_RSA',
      message: "This is an ec key; Antom's RSA256 signatures need an RSA private key",
    });
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(problemOf(() => importPrivateKey(short.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()))).toEqual({
      problem: 'TOO_SHORT',
      message: 'This RSA key has 1024 bits; at least 2048 are needed',
    });
  });
});

describe('importPublicKey', () => {
  const spki = merchant.publicKeyBase64;
  const pkcs1Public = importPublicKey(spki).export({ format: 'der', type: 'pkcs1' }).toString('base64');

  it.each([
    ['base64 SPKI (what Antom hands out)', spki],
    ['PEM PUBLIC KEY', pem('PUBLIC KEY', spki)],
    ['base64 PKCS#1 public key', pkcs1Public],
    ['PEM RSA PUBLIC KEY', pem('RSA PUBLIC KEY', pkcs1Public)],
    ['DER bytes', Buffer.from(spki, 'base64')],
  ])('imports %s', (_label, input) => {
    const key = importPublicKey(input);
    expect(key.type).toBe('public');
    expect(exportPublicKeyBase64(key)).toBe(spki);
  });

  it('refuses a private key where the public key belongs', () => {
    for (const input of [merchant.privateKeyPkcs8Base64, merchant.privateKeyPkcs1Base64, importPrivateKey(merchant.privateKeyPkcs8Base64)]) {
      const { problem, message } = problemOf(() => importPublicKey(input));
      expect(problem).toBe('PRIVATE_GIVEN_FOR_PUBLIC');
      expect(message).toMatch(/^This is a private key; the public key is needed to verify/);
    }
  });
});

describe('generateKeyPair', () => {
  it('creates a 2048-bit pair in Antom forms and PEM that work together', async () => {
    const pair = await generateKeyPair();
    expect(pair.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(pair.privateKeyBase64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(exportPrivateKeyBase64(importPrivateKey(pair.privateKeyPem))).toBe(pair.privateKeyBase64);
    expect(exportPublicKeyBase64(importPublicKey(pair.publicKeyPem))).toBe(pair.publicKeyBase64);
    expect(exportPublicKeyBase64(publicKeyOf(pair.privateKey))).toBe(pair.publicKeyBase64);
    expect(exportPrivateKeyPkcs1Base64(pair.privateKey)).not.toBe(pair.privateKeyBase64);
    const pkcs1Pem = exportPrivateKeyPkcs1Pem(pair.privateKey);
    expect(pkcs1Pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(pkcs1Pem.replace(/-----[A-Z ]+-----|\s/g, '')).toBe(exportPrivateKeyPkcs1Base64(pair.privateKey));
    expect(exportPrivateKeyBase64(importPrivateKey(pkcs1Pem))).toBe(pair.privateKeyBase64);

    const parts = { uri: '/ams/api/v1/payments/pay', clientId: 'SANDBOX_X', time: '1', body: '{}' };
    const header = signHeader(parts, importPrivateKey(pair.privateKeyBase64), 3);
    expect(header).toMatch(/^algorithm=RSA256,keyVersion=3,signature=[A-Za-z0-9%]+%3D%3D$/);
    expect(verifyHeader(parts, header, importPublicKey(pair.publicKeyBase64))).toEqual({ ok: true, keyVersion: 3 });
  });

  it('refuses sizes below 2048 bits', async () => {
    await expect(generateKeyPair(1024)).rejects.toThrow(RangeError);
  });
});
