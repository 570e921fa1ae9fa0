import { describe, expect, it } from 'vitest';
import { decodeSignatureValue, encodeSignatureValue, formatSignatureHeader, parseSignatureHeader } from '../src/index.js';

const base64 = 'ab+/cQ==';

describe('formatSignatureHeader', () => {
  it('writes the canonical order with upper-case escapes', () => {
    expect(formatSignatureHeader(2, base64)).toBe('algorithm=RSA256,keyVersion=2,signature=ab%2B%2FcQ%3D%3D');
    expect(encodeSignatureValue('+/=')).toBe('%2B%2F%3D');
  });

  it('refuses a key version that is not a positive integer', () => {
    expect(() => formatSignatureHeader(0, base64)).toThrow(RangeError);
    expect(() => formatSignatureHeader(1.5, base64)).toThrow(RangeError);
  });
});

describe('parseSignatureHeader', () => {
  it.each([
    ['canonical', 'algorithm=RSA256,keyVersion=2,signature=ab%2B%2FcQ%3D%3D', 2],
    ['lower-case escapes', 'algorithm=RSA256,keyVersion=2,signature=ab%2b%2fcQ%3d%3d', 2],
    ['spaces after commas', 'algorithm=RSA256, keyVersion=2, signature=ab%2B%2FcQ%3D%3D', 2],
    ['any order', 'signature=ab%2B%2FcQ%3D%3D,keyVersion=2,algorithm=RSA256', 2],
    ['no keyVersion', 'algorithm=RSA256,signature=ab%2B%2FcQ%3D%3D', 'latest'],
    ['empty keyVersion', 'algorithm=RSA256,keyVersion=,signature=ab%2B%2FcQ%3D%3D', 'latest'],
    ['unknown extra parameter', 'algorithm=RSA256,keyVersion=2,foo=bar,signature=ab%2B%2FcQ%3D%3D', 2],
    ['a trailing comma', 'algorithm=RSA256,keyVersion=2,signature=ab%2B%2FcQ%3D%3D,', 2],
    ['lower-case algorithm and names', 'ALGORITHM=rsa256,KEYVERSION=2,Signature=ab%2B%2FcQ%3D%3D', 2],
    // Form decoding leaves a raw "/" and "=" as they are (only "+" becomes a space), at Antom too.
    ['a raw "/" and "=" (only "+" must be encoded)', 'algorithm=RSA256,keyVersion=2,signature=ab%2B/cQ==', 2],
  ])('accepts %s', (_label, header, keyVersion) => {
    const parsed = parseSignatureHeader(header);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.header.keyVersion).toBe(keyVersion);
      expect(parsed.header.algorithm).toBe('RSA256');
      expect(parsed.header.signature.toString('base64')).toBe(base64);
    }
  });

  it.each([
    ['keyVersion=0', 'algorithm=RSA256,keyVersion=0,signature=abcd', 'MALFORMED_HEADER', 'keyVersion 0'],
    ['a raw "+" (base64 not URL-encoded: form decoding makes it a space)', 'algorithm=RSA256,keyVersion=2,signature=ab+/cQ==', 'BAD_ENCODING', 'raw "+"'],
    ['negative keyVersion', 'algorithm=RSA256,keyVersion=-1,signature=abcd', 'MALFORMED_HEADER', 'keyVersion "-1"'],
    ['part without =', 'algorithm=RSA256,keyVersion,signature=abcd', 'MALFORMED_HEADER', '"keyVersion" is not name=value'],
    ['duplicate signature', 'algorithm=RSA256,signature=abcd,signature=abcd', 'MALFORMED_HEADER', 'signature twice'],
    ['empty signature', 'algorithm=RSA256,signature=', 'MALFORMED_HEADER', 'no signature value'],
    ['a huge header', `algorithm=RSA256,signature=${'A'.repeat(5000)}`, 'MALFORMED_HEADER', 'at most 4096'],
    ['an unknown algorithm', 'algorithm=SHA1withRSA,signature=abcd', 'UNKNOWN_ALGORITHM', '"SHA1withRSA"'],
    ['a bad escape', 'algorithm=RSA256,signature=ab%G1', 'BAD_ENCODING', 'base64'],
    ['base64 of a bad length', 'algorithm=RSA256,signature=abcde', 'BAD_ENCODING', 'base64'],
  ])('refuses %s', (_label, header, reason, text) => {
    const parsed = parseSignatureHeader(header);
    expect(parsed).toMatchObject({ ok: false, reason });
    if (!parsed.ok) expect(parsed.message).toContain(text);
  });
});

describe('decodeSignatureValue', () => {
  it('decodes canonical base64 and refuses junk', () => {
    expect(decodeSignatureValue('AQID')?.toString('hex')).toBe('010203');
    expect(decodeSignatureValue('AQ%3D%3D')?.toString('hex')).toBe('01');
    expect(decodeSignatureValue('AQ==')?.toString('hex')).toBe('01');
    expect(decodeSignatureValue('AR==')).toBeUndefined(); // non-zero padding bits
    expect(decodeSignatureValue('A Q==')).toBeUndefined();
    expect(decodeSignatureValue('AQ-_')).toBeUndefined(); // base64url alphabet is not Antom's
    expect(decodeSignatureValue('')).toBeUndefined();
  });
});
