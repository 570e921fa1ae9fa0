import { createHash, sign as rawSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  contentToSign,
  importPrivateKey,
  importPublicKey,
  parseSignatureHeader,
  signHeader,
  signHeaderAsync,
  signRaw,
  verifyHeader,
  verifyParsed,
  verifyRaw,
} from '../src/index.js';
import { vectorFile } from './vectors.js';

const { vectors, negativeVectors, keys } = vectorFile;

describe('positive signature vectors', () => {
  it('has the vectors the README promises', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(12);
    expect(negativeVectors.length).toBeGreaterThanOrEqual(8);
  });

  for (const v of vectors) {
    describe(v.id, () => {
      const body = Buffer.from(v.bodyBase64, 'base64');
      const parts = { method: v.method, uri: v.uri, clientId: v.clientId, time: v.time, body };
      const privateKey = importPrivateKey(v.privateKeyPkcs8Base64);
      const publicKey = importPublicKey(v.publicKeyBase64);
      const keyVersion = Number(v.keyVersion);

      it('builds the content byte for byte', () => {
        expect(body.length).toBe(v.bodyByteLength);
        const content = contentToSign(parts);
        expect(content.equals(Buffer.from(v.contentToBeSignedBase64, 'base64'))).toBe(true);
        expect(createHash('sha256').update(content).digest('hex')).toBe(v.contentToBeSignedSha256Hex);
        // The string form of the body must give the same bytes.
        expect(contentToSign({ ...parts, body: v.body }).equals(content)).toBe(true);
      });

      it('signs to the exact raw signature, encoded value and header', async () => {
        expect(signRaw(parts, privateKey).toString('base64')).toBe(v.signatureBase64);
        const header = signHeader(parts, privateKey, keyVersion);
        expect(header).toBe(v.signatureHeader);
        expect(header.endsWith(`signature=${v.signatureUrlEncoded}`)).toBe(true);
        expect(await signHeaderAsync(parts, privateKey, keyVersion)).toBe(v.signatureHeader);
      });

      it('signs identically with the PKCS#1 form of the key', () => {
        expect(signRaw(parts, importPrivateKey(v.privateKeyPkcs1Base64)).toString('base64')).toBe(v.signatureBase64);
      });

      it('verifies the header', () => {
        expect(verifyHeader(parts, v.signatureHeader, publicKey)).toEqual({ ok: true, keyVersion });
        expect(verifyHeader(parts, v.headers.signature, publicKey).ok).toBe(true);
      });

      it('verifies the header with lower-case escapes and spaces (.NET and docs style)', () => {
        const lower = `algorithm=RSA256, keyVersion=${v.keyVersion}, signature=${v.signatureUrlEncoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`;
        expect(verifyHeader(parts, lower, publicKey).ok).toBe(true);
      });

      it('fails with MISMATCH for another key', () => {
        const otherKeyId = v.keyId === 'merchant_v1' ? 'merchant_v2' : 'merchant_v1';
        const otherKey = importPublicKey(keys[otherKeyId]!.publicKeyBase64);
        const result = verifyHeader(parts, v.signatureHeader, otherKey);
        expect(result).toMatchObject({ ok: false, reason: 'MISMATCH' });
      });
    });
  }
});

describe('negative signature vectors', () => {
  for (const n of negativeVectors) {
    it(`${n.id} (${n.mutation}) does not verify and does not throw`, () => {
      const parts = { method: n.method, uri: n.uri, clientId: n.clientId, time: n.time, body: Buffer.from(n.bodyBase64, 'base64') };
      expect(n.expectedValid).toBe(false);
      expect(contentToSign(parts).toString('utf8')).toBe(n.contentToBeSigned);
      const publicKey = importPublicKey(n.publicKeyBase64);
      const header = `algorithm=RSA256,keyVersion=1,signature=${n.signatureUrlEncoded}`;
      expect(() => verifyHeader(parts, header, publicKey)).not.toThrow();
      expect(verifyHeader(parts, header, publicKey)).toMatchObject({ ok: false, reason: 'MISMATCH' });
      expect(verifyRaw(parts, Buffer.from(n.signatureBase64, 'base64'), publicKey)).toBe(false);
    });
  }
});

describe('verification failures are typed, never thrown', () => {
  const v = vectors[0]!;
  const parts = { uri: v.uri, clientId: v.clientId, time: v.time, body: Buffer.from(v.bodyBase64, 'base64') };
  const publicKey = importPublicKey(v.publicKeyBase64);

  it.each([
    [undefined, 'MALFORMED_HEADER'],
    ['', 'MALFORMED_HEADER'],
    ['garbage', 'MALFORMED_HEADER'],
    ['keyVersion=1,signature=abcd', 'MALFORMED_HEADER'],
    ['algorithm=RSA256,keyVersion=1', 'MALFORMED_HEADER'],
    ['algorithm=RSA256,keyVersion=x,signature=abcd', 'MALFORMED_HEADER'],
    ['algorithm=RSA256,algorithm=RSA256,signature=abcd', 'MALFORMED_HEADER'],
    ['algorithm=RSA2048,keyVersion=1,signature=abcd', 'UNKNOWN_ALGORITHM'],
    ['algorithm=HMAC256,keyVersion=1,signature=abcd', 'UNKNOWN_ALGORITHM'],
    ['algorithm=RSA256,keyVersion=1,signature=%ZZ', 'BAD_ENCODING'],
    ['algorithm=RSA256,keyVersion=1,signature=abc', 'BAD_ENCODING'],
    ['algorithm=RSA256,keyVersion=1,signature=ab!d', 'BAD_ENCODING'],
    ['algorithm=RSA256,keyVersion=1,signature=abcd', 'MISMATCH'],
  ] as const)('%j → %s', (header, reason) => {
    const result = verifyHeader(parts, header, publicKey);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });

  it('says when the signature has the wrong length for the key', () => {
    const result = verifyHeader(parts, 'algorithm=RSA256,keyVersion=1,signature=abcd', publicKey);
    expect(result).toMatchObject({ ok: false, reason: 'MISMATCH', message: 'The signature is 3 bytes; a 2048-bit key gives 256' });
  });

  it('decodes the value as a form decoder does: a raw "+" (unencoded base64) fails, a raw "/" or "=" verifies', () => {
    const raw = v.signatureBase64;
    const plusEncoded = raw.replace(/\+/g, '%2B');
    expect(verifyHeader(parts, `algorithm=RSA256,keyVersion=1,signature=${plusEncoded}`, publicKey).ok).toBe(true);
    expect(raw).toContain('+');
    expect(verifyHeader(parts, `algorithm=RSA256,keyVersion=1,signature=${raw}`, publicKey)).toMatchObject({ ok: false, reason: 'BAD_ENCODING' });
    expect(verifyHeader(parts, `algorithm=RSA256,keyVersion=1,signature=${raw.replace(/\+/g, ' ')}`, publicKey).ok).toBe(false);
  });

  it('refuses a non-canonical base64 spelling of a valid signature', () => {
    const sig = v.signatureBase64; // ends with ==
    const tampered = `${sig.slice(0, -3)}B==`; // changes the unused low bits only
    const parsed = parseSignatureHeader(`algorithm=RSA256,signature=${tampered}`);
    expect(parsed).toMatchObject({ ok: false, reason: 'BAD_ENCODING' });
  });

  it('verifyParsed reports the key version of the header', () => {
    const parsed = parseSignatureHeader(`signature=${v.signatureUrlEncoded},algorithm=RSA256`);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.header.keyVersion).toBe('latest');
      expect(verifyParsed(parts, parsed.header, publicKey)).toEqual({ ok: true, keyVersion: 'latest' });
    }
  });
});

describe('content to sign', () => {
  it('defaults the method to POST and keeps the query string and body bytes exactly', () => {
    const body = Buffer.from([0x7b, 0x7d, 0x0d, 0x0a]);
    const content = contentToSign({ uri: '/ams/api/v1/x?a=1&b=%2F', clientId: 'C', time: '1', body });
    expect(content.toString('latin1')).toBe('POST /ams/api/v1/x?a=1&b=%2F\nC.1.{}\r\n');
  });

  it('is what node:crypto signs (raw baseline agrees with signRaw)', () => {
    const v = vectors[0]!;
    const key = importPrivateKey(v.privateKeyPkcs8Base64);
    const content = Buffer.from(v.contentToBeSignedBase64, 'base64');
    expect(rawSign('sha256', content, key).toString('base64')).toBe(v.signatureBase64);
  });
});
