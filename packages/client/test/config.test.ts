/** Client options: keys in every form, base URL or region, bad settings refused at construction; backoff bounds. */
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, exportPublicKeyPem, importPrivateKey, importPublicKey } from '@amsgate/protocol';
import { ANTOM_REGIONS, AntomClient, KeyFormatError, backoffDelay, endpointUri, isRetryable, type AntomClientOptions } from '../src/index.js';
import { KEYS } from './fixtures.js';

const base: AntomClientOptions = {
  clientId: 'SANDBOX_TEST',
  privateKey: KEYS.merchant_v1.privateKeyPkcs8Base64,
  antomPublicKey: KEYS.server_v1.publicKeyBase64,
  baseUrl: 'http://127.0.0.1:8080',
};

describe('keys', () => {
  const merchant = importPrivateKey(KEYS.merchant_v1.privateKeyPkcs8Base64);
  const antom = importPublicKey(KEYS.server_v1.publicKeyBase64);
  const privateForms: Array<[string, AntomClientOptions['privateKey']]> = [
    ['base64 PKCS#8', KEYS.merchant_v1.privateKeyPkcs8Base64],
    ['base64 PKCS#1 (Python SDK form)', KEYS.merchant_v1.privateKeyPkcs1Base64],
    ['PEM', exportPrivateKeyPem(merchant)],
    ['DER bytes', merchant.export({ format: 'der', type: 'pkcs8' })],
    ['a KeyObject', createPrivateKey(exportPrivateKeyPem(merchant))],
  ];
  for (const [name, privateKey] of privateForms) {
    it(`accepts the private key as ${name}`, () => {
      expect(() => new AntomClient({ ...base, privateKey })).not.toThrow();
    });
  }

  it('accepts the Antom public key as PEM or a KeyObject', () => {
    expect(() => new AntomClient({ ...base, antomPublicKey: exportPublicKeyPem(antom) })).not.toThrow();
    expect(() => new AntomClient({ ...base, antomPublicKey: antom })).not.toThrow();
  });

  it('refuses swapped keys with a KeyFormatError saying what was given', () => {
    const swapped = (() => {
      try {
        new AntomClient({ ...base, privateKey: KEYS.server_v1.publicKeyBase64 });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(swapped).toBeInstanceOf(KeyFormatError);
    expect((swapped as KeyFormatError).problem).toBe('PUBLIC_GIVEN_FOR_PRIVATE');
    expect(() => new AntomClient({ ...base, antomPublicKey: KEYS.merchant_v1.privateKeyPkcs8Base64 })).toThrow(KeyFormatError);
    expect(() => new AntomClient({ ...base, privateKey: 'not a key' })).toThrow(KeyFormatError);
  });
});

describe('where calls go', () => {
  it('needs exactly one of baseUrl and region', () => {
    const { baseUrl: _omit, ...noUrl } = base;
    expect(() => new AntomClient(noUrl)).toThrow(/baseUrl .* or region/);
    expect(() => new AntomClient({ ...base, region: 'asia' })).toThrow(/not both/);
    expect(() => new AntomClient({ ...noUrl, region: 'mars' as never })).toThrow(/Unknown region "mars"/);
    expect(new AntomClient({ ...noUrl, region: 'europe' }).baseUrl).toBe(ANTOM_REGIONS.europe);
  });

  it('takes an origin only: a path a proxy might strip would make the signed URI ambiguous', () => {
    expect(new AntomClient({ ...base, baseUrl: 'https://gw.example:8443/' }).baseUrl).toBe('https://gw.example:8443');
    expect(() => new AntomClient({ ...base, baseUrl: 'https://gw.example/antom' })).toThrow(/origin/);
    expect(() => new AntomClient({ ...base, baseUrl: 'ftp://gw.example' })).toThrow(/http/);
    expect(() => new AntomClient({ ...base, baseUrl: 'gw.example' })).toThrow(/not a URL/);
  });

  it('sandbox follows the SANDBOX_ prefix unless set', () => {
    expect(new AntomClient(base).sandbox).toBe(true);
    expect(new AntomClient({ ...base, clientId: '5Y01' }).sandbox).toBe(false);
    expect(new AntomClient({ ...base, sandbox: false }).sandbox).toBe(false);
    expect(endpointUri('payments/pay', true)).toBe('/ams/sandbox/api/v1/payments/pay');
    expect(endpointUri('/ams/api/v2/payments/pay', true)).toBe('/ams/sandbox/api/v2/payments/pay');
    expect(endpointUri('/ams/api/v1/payments/pay', false)).toBe('/ams/api/v1/payments/pay');
    expect(() => endpointUri('payments/pay now', false)).toThrow(TypeError);
  });

  it('refuses nonsense settings', () => {
    expect(() => new AntomClient({ ...base, clientId: 'has space' })).toThrow(TypeError);
    expect(() => new AntomClient({ ...base, keyVersion: 0 })).toThrow(RangeError);
    expect(() => new AntomClient({ ...base, timeoutMs: -1 })).toThrow(RangeError);
    expect(() => new AntomClient({ ...base, maxRetries: 11 })).toThrow(RangeError);
    expect(() => new AntomClient({ ...base, agentToken: 'a\nb' })).toThrow(TypeError);
  });
});

describe('backoff and retry classification', () => {
  const settings = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles per retry with equal jitter, capped', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('follows the table', () => {
    expect(isRetryable({ kind: 'network', delivered: 'no' }, false)).toBe(true);
    expect(isRetryable({ kind: 'network', delivered: 'maybe' }, false)).toBe(false);
    expect(isRetryable({ kind: 'network', delivered: 'maybe' }, true)).toBe(true);
    expect(isRetryable({ kind: 'timeout' }, true)).toBe(true);
    expect(isRetryable({ kind: 'timeout' }, false)).toBe(false);
    expect(isRetryable({ kind: 'http-status', status: 503 }, true)).toBe(true);
    expect(isRetryable({ kind: 'http-status', status: 429 }, true)).toBe(false);
    expect(isRetryable({ kind: 'unknown-answer', resultCode: 'UNKNOWN_EXCEPTION' }, true)).toBe(true);
    for (const code of ['PAYMENT_IN_PROCESS', 'REFUND_IN_PROCESS', 'CAPTURE_IN_PROCESS']) {
      expect(isRetryable({ kind: 'unknown-answer', resultCode: code }, true)).toBe(false);
    }
  });
});
