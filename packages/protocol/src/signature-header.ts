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
  if (value === undefined || value === null || value.length === 0) {
    return signatureFailure('MALFORMED_HEADER', 'The signature header is missing or empty');
  }
  if (value.length > MAX_HEADER_LENGTH) {
    return signatureFailure('MALFORMED_HEADER', `The signature header is ${value.length} characters long; at most ${MAX_HEADER_LENGTH} are expected`);
  }
  return parseCanonical(value) ?? parseTolerant(value);
}

const CANONICAL_PREFIX = `algorithm=${SIGNATURE_ALGORITHM},keyVersion=`;
const CANONICAL_SIGNATURE = ',signature=';

/**
 * The form every official SDK sends, parsed without splitting and
 * lower-casing; verification is on a server's hot path. Returns undefined
 * for anything else, which the tolerant parser then handles.
 */
function parseCanonical(value: string): SignatureHeaderParse | undefined {
  if (!value.startsWith(CANONICAL_PREFIX)) return undefined;
  const signatureAt = value.indexOf(CANONICAL_SIGNATURE, CANONICAL_PREFIX.length);
  if (signatureAt === -1) return undefined;
  const keyVersionText = value.slice(CANONICAL_PREFIX.length, signatureAt);
  const encodedStart = signatureAt + CANONICAL_SIGNATURE.length;
  if (!isDigits(keyVersionText, MAX_KEY_VERSION_DIGITS) || value.indexOf(',', encodedStart) !== -1) return undefined;
  const keyVersion = Number(keyVersionText);
  if (keyVersion === 0) return undefined;
  const signature = decodeSignatureValue(value.slice(encodedStart));
  if (signature === undefined) return undefined;
  return { ok: true, header: { algorithm: SIGNATURE_ALGORITHM, keyVersion, signature } };
}

function parseTolerant(value: string): SignatureHeaderParse {
  if (value.trim() === '') return signatureFailure('MALFORMED_HEADER', 'The signature header is missing or empty');
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
    if (hasUnencodedPlus(encoded)) {
      return signatureFailure('BAD_ENCODING', 'The signature value has a raw "+", which form decoding turns into a space (as Antom does): URL-encode the base64 ("+" as %2B, "/" as %2F, "=" as %3D)');
    }
    return signatureFailure('BAD_ENCODING', 'The signature value is not URL-encoded standard base64');
  }
  return { ok: true, header: { algorithm: SIGNATURE_ALGORITHM, keyVersion, signature } };
}

/**
 * Form-decodes (percent escapes in either hex case, `+` as a space, as
 * Antom and the SDKs' decoders do) then base64-decodes, accepting only the
 * canonical standard base64 spelling, so one signature has exactly one
 * header form. A sender that forgot to URL-encode fails as it fails at
 * Antom: its raw `+` becomes a space, which no base64 has (a raw `/` or `=`
 * decodes to itself and still verifies, there too).
 */
export function decodeSignatureValue(encoded: string): Buffer | undefined {
  const base64 = percentDecodeBase64(encoded);
  if (base64 === undefined) return undefined;
  const length = base64.length;
  if (length === 0 || length % 4 !== 0) return undefined;
  // Node's decoder also takes the base64url alphabet; Antom's is the standard one.
  if (base64.includes('-') || base64.includes('_')) return undefined;
  const padding = base64.charCodeAt(length - 1) !== PAD ? 0 : base64.charCodeAt(length - 2) !== PAD ? 1 : 2;
  const bytes = Buffer.from(base64, 'base64');
  // Node skips characters outside the alphabet (and stops at a misplaced
  // "="), so any such character shows as missing bytes.
  if (bytes.length !== (length / 4) * 3 - padding) return undefined;
  // The bits a padded last group leaves unused must be zero, or two
  // spellings would stand for one signature.
  if (padding > 0 && (alphabetValue(base64.charCodeAt(length - 1 - padding)) & (padding === 1 ? 0b11 : 0b1111)) !== 0) {
    return undefined;
  }
  return bytes;
}

const PAD = 0x3d;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function alphabetValue(charCode: number): number {
  return BASE64_ALPHABET.indexOf(String.fromCharCode(charCode));
}

/** Decodes the three escapes base64 needs (either hex case) quickly; anything else via decodeURIComponent. */
function percentDecodeBase64(encoded: string): string | undefined {
  // Form decoding: a raw "+" is a space (and then no base64).
  if (encoded.includes('+')) return encoded.replace(/\+/g, ' ');
  let escapeAt = encoded.indexOf('%');
  if (escapeAt === -1) return encoded;
  let decoded = '';
  let copiedUpTo = 0;
  while (escapeAt !== -1) {
    const special = base64SpecialFor(encoded.charCodeAt(escapeAt + 1), encoded.charCodeAt(escapeAt + 2));
    if (special === undefined) return decodeUriComponentOrUndefined(encoded);
    decoded += encoded.slice(copiedUpTo, escapeAt) + special;
    copiedUpTo = escapeAt + 3;
    escapeAt = encoded.indexOf('%', copiedUpTo);
  }
  return decoded + encoded.slice(copiedUpTo);
}

function base64SpecialFor(high: number, low: number): string | undefined {
  const lowerLow = low | 0x20; // ASCII lower case
  if (high === 0x32 && lowerLow === 0x62) return '+'; // %2B
  if (high === 0x32 && lowerLow === 0x66) return '/'; // %2F
  if (high === 0x33 && lowerLow === 0x64) return '='; // %3D
  return undefined;
}

function decodeUriComponentOrUndefined(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
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

/** Whether a signature value carries a raw `+`: base64 sent without URL-encoding, which cannot verify once form-decoded. */
export function hasUnencodedPlus(value: string): boolean {
  return value.includes('+');
}
