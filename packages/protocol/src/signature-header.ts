/**
 * The `signature` header: `algorithm=RSA256,keyVersion=N,signature=<value>`,
 * where the value is the base64 signature, form-URL-encoded.
 *
 * Parsing is tolerant of what real senders do (any order, spaces after
 * commas, `%2b` as well as `%2B`, no keyVersion); formatting is canonical
 * (the order and upper-case escapes that every official SDK parser accepts).
 */

export const SIGNATURE_ALGORITHM = 'RSA256';

/** A key version, or `latest` when the header names none (the client's newest key applies). */
export type KeyVersion = number | 'latest';

export interface ParsedSignatureHeader {
  algorithm: typeof SIGNATURE_ALGORITHM;
  keyVersion: KeyVersion;
  /** The decoded signature bytes. */
  signature: Buffer;
}

export type SignatureFailureReason = 'MALFORMED_HEADER' | 'UNKNOWN_ALGORITHM' | 'BAD_ENCODING' | 'MISMATCH';

export interface SignatureFailure {
  ok: false;
  reason: SignatureFailureReason;
  /** What exactly is wrong, safe to show (never contains key material). */
  message: string;
}

export type SignatureHeaderParse = { ok: true; header: ParsedSignatureHeader } | SignatureFailure;

export function signatureFailure(reason: SignatureFailureReason, message: string): SignatureFailure {
  return { ok: false, reason, message };
}

const MAX_KEY_VERSION_DIGITS = 9;
const MAX_HEADER_LENGTH = 4096;

/** Parses a `signature` header value; never throws. */
export function parseSignatureHeader(value: string | null | undefined): SignatureHeaderParse {
  if (value === undefined || value === null || value.trim() === '') {
    return signatureFailure('MALFORMED_HEADER', 'The signature header is missing or empty');
  }
  if (value.length > MAX_HEADER_LENGTH) {
    return signatureFailure('MALFORMED_HEADER', `The signature header is ${value.length} characters long; at most ${MAX_HEADER_LENGTH} are expected`);
  }
  let algorithm: string | undefined;
  let keyVersionText: string | undefined;
  let encoded: string | undefined;
  for (const rawPart of value.split(',')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      return signatureFailure('MALFORMED_HEADER', `The signature header part "${clip(part)}" is not name=value`);
    }
    const name = part.slice(0, eq).trim().toLowerCase();
    const partValue = part.slice(eq + 1).trim();
    switch (name) {
      case 'algorithm':
        if (algorithm !== undefined) return duplicate('algorithm');
        algorithm = partValue;
        break;
      case 'keyversion':
        if (keyVersionText !== undefined) return duplicate('keyVersion');
        keyVersionText = partValue;
        break;
      case 'signature':
        if (encoded !== undefined) return duplicate('signature');
        encoded = partValue;
        break;
      default:
        // Unknown parameters are ignored, as the SDK parsers do.
        break;
    }
  }
  if (algorithm === undefined || algorithm === '') {
    return signatureFailure('MALFORMED_HEADER', 'The signature header has no algorithm (expected algorithm=RSA256)');
  }
  if (algorithm.toUpperCase() !== SIGNATURE_ALGORITHM) {
    return signatureFailure('UNKNOWN_ALGORITHM', `The signature algorithm "${clip(algorithm)}" is not supported; expected RSA256`);
  }
  let keyVersion: KeyVersion = 'latest';
  if (keyVersionText !== undefined && keyVersionText !== '') {
    if (!isDigits(keyVersionText, MAX_KEY_VERSION_DIGITS)) {
      return signatureFailure('MALFORMED_HEADER', `The keyVersion "${clip(keyVersionText)}" is not a positive integer`);
    }
    keyVersion = Number(keyVersionText);
    if (keyVersion === 0) return signatureFailure('MALFORMED_HEADER', 'The keyVersion 0 is not valid; key versions start at 1');
  }
  if (encoded === undefined || encoded === '') {
    return signatureFailure('MALFORMED_HEADER', 'The signature header has no signature value');
  }
  const signature = decodeSignatureValue(encoded);
  if (signature === undefined) {
    return signatureFailure('BAD_ENCODING', 'The signature value is not URL-encoded standard base64');
  }
  return { ok: true, header: { algorithm: SIGNATURE_ALGORITHM, keyVersion, signature } };
}

/**
 * Percent-decodes (either hex case) then base64-decodes, accepting only the
 * canonical standard base64 spelling so one signature has one header form.
 * A raw `+` stays `+`: a sender that forgot to URL-encode still verifies.
 */
export function decodeSignatureValue(encoded: string): Buffer | undefined {
  let base64 = encoded;
  if (encoded.includes('%')) {
    try {
      base64 = decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
  }
  if (base64.length === 0 || base64.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(base64, 'base64');
  // Node's decoder skips characters outside the alphabet; re-encoding catches them.
  return bytes.toString('base64') === base64 ? bytes : undefined;
}

/** Form-URL-encodes base64 text with upper-case escapes (`+`→`%2B`, `/`→`%2F`, `=`→`%3D`). */
export function encodeSignatureValue(base64: string): string {
  return base64.replace(BASE64_SPECIALS, escapeBase64Special);
}

const BASE64_SPECIALS = /[+/=]/g;
function escapeBase64Special(c: string): string {
  return c === '+' ? '%2B' : c === '/' ? '%2F' : '%3D';
}

/** The canonical header value for a base64 signature. */
export function formatSignatureHeader(keyVersion: number, signatureBase64: string): string {
  if (!Number.isInteger(keyVersion) || keyVersion < 1) throw new RangeError(`keyVersion must be a positive integer, got ${keyVersion}`);
  return `algorithm=${SIGNATURE_ALGORITHM},keyVersion=${keyVersion},signature=${encodeSignatureValue(signatureBase64)}`;
}

function duplicate(name: string): SignatureFailure {
  return signatureFailure('MALFORMED_HEADER', `The signature header names ${name} twice`);
}

function isDigits(text: string, maxDigits: number): boolean {
  if (text.length === 0 || text.length > maxDigits) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function clip(text: string): string {
  return text.length > 32 ? `${text.slice(0, 32)}…` : text;
}
