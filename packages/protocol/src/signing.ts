/**
 * Content to sign, RSA-SHA256 (PKCS#1 v1.5) signing and verification.
 *
 * content = `<METHOD> <URI>\n<clientId>.<time>.<body>` over the exact body
 * bytes and the URI exactly as requested. The same construction serves
 * requests (`request-time`), responses (`response-time`, the URI of the
 * request answered) and notifications (`request-time`, the notify URL's path).
 *
 * Functions here take `KeyObject`s only, so no key is ever parsed per
 * message: import keys once with `importPrivateKey` / `importPublicKey`.
 */
import { createVerify, sign as cryptoSign, type KeyObject } from 'node:crypto';
import {
  formatSignatureHeader,
  parseSignatureHeader,
  signatureFailure,
  type KeyVersion,
  type ParsedSignatureHeader,
  type SignatureFailure,
} from './signature-header.js';

/** What a signature covers. `body` is the exact bytes sent; a string is taken as its UTF-8 bytes. */
export interface SignedParts {
  /** Always `POST` for AMS; defaults to it. */
  method?: string;
  /** Path plus query string, exactly as requested (`/ams/api/v1/payments/pay`). */
  uri: string;
  /** Value of the `client-id` header. */
  clientId: string;
  /** Value of the `request-time` / `response-time` header, verbatim. */
  time: string;
  body: Uint8Array | string;
}

const HASH = 'sha256';

/** The exact bytes that are signed. */
export function contentToSign(parts: SignedParts): Buffer {
  const prefix = contentPrefix(parts);
  const body = parts.body;
  if (typeof body === 'string') return Buffer.from(prefix + body, 'utf8');
  const prefixLength = Buffer.byteLength(prefix, 'utf8');
  const content = Buffer.allocUnsafe(prefixLength + body.byteLength);
  content.write(prefix, 0, 'utf8');
  content.set(body, prefixLength);
  return content;
}

/** Everything before the body: `<METHOD> <URI>\n<clientId>.<time>.` (hash it, then the body, for the digest of the content without copying the body). */
export function contentPrefix(parts: SignedParts): string {
  return `${parts.method ?? 'POST'} ${parts.uri}\n${parts.clientId}.${parts.time}.`;
}

/**
 * Verifies by streaming the prefix and the body into the hash, so the
 * content is never copied into one buffer. Measured on Node 20 this is
 * slightly faster than one-shot `crypto.verify` over a ready buffer.
 */
function verifyBytes(parts: SignedParts, signature: Uint8Array, publicKey: KeyObject): boolean {
  const verifier = createVerify(HASH);
  verifier.update(contentPrefix(parts), 'utf8');
  verifier.update(parts.body);
  return verifier.verify(publicKey, signature);
}

/** Raw signature bytes over the parts. Synchronous: blocks the thread for the RSA operation. */
export function signRaw(parts: SignedParts, privateKey: KeyObject): Buffer {
  return cryptoSign(HASH, contentToSign(parts), privateKey);
}

/** The same as `signRaw`, computed on libuv's thread pool so a server's event loop stays free. */
export function signRawAsync(parts: SignedParts, privateKey: KeyObject): Promise<Buffer> {
  const content = contentToSign(parts);
  return new Promise((resolve, reject) => {
    cryptoSign(HASH, content, privateKey, (error, signature) => (error ? reject(error) : resolve(signature)));
  });
}

/** The full `signature` header value for the parts. */
export function signHeader(parts: SignedParts, privateKey: KeyObject, keyVersion: number): string {
  return formatSignatureHeader(keyVersion, signRaw(parts, privateKey).toString('base64'));
}

export async function signHeaderAsync(parts: SignedParts, privateKey: KeyObject, keyVersion: number): Promise<string> {
  const signature = await signRawAsync(parts, privateKey);
  return formatSignatureHeader(keyVersion, signature.toString('base64'));
}

export type VerifyResult = { ok: true; keyVersion: KeyVersion } | SignatureFailure;

/**
 * Verifies an already parsed header (the verifier parsed it first to pick the
 * key by keyVersion). Never throws on a bad signature.
 */
export function verifyParsed(parts: SignedParts, header: ParsedSignatureHeader, publicKey: KeyObject): VerifyResult {
  let valid: boolean;
  try {
    valid = verifyBytes(parts, header.signature, publicKey);
  } catch (error) {
    return signatureFailure('MISMATCH', `The signature could not be checked: ${(error as Error).message}`);
  }
  if (valid) return { ok: true, keyVersion: header.keyVersion };
  return signatureFailure('MISMATCH', mismatchMessage(header.signature, publicKey));
}

/** Parses a `signature` header value and verifies it. Never throws on a bad or malformed signature. */
export function verifyHeader(parts: SignedParts, headerValue: string | null | undefined, publicKey: KeyObject): VerifyResult {
  const parsed = parseSignatureHeader(headerValue);
  return parsed.ok ? verifyParsed(parts, parsed.header, publicKey) : parsed;
}

/** Verifies raw signature bytes. */
export function verifyRaw(parts: SignedParts, signature: Uint8Array, publicKey: KeyObject): boolean {
  try {
    return verifyBytes(parts, signature, publicKey);
  } catch {
    return false;
  }
}

function mismatchMessage(signature: Buffer, publicKey: KeyObject): string {
  const bits = publicKey.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && signature.length !== Math.ceil(bits / 8)) {
    return `The signature is ${signature.length} bytes; a ${bits}-bit key gives ${Math.ceil(bits / 8)}`;
  }
  return 'The signature does not match the content with this public key (check the key pair, the key version, and that the URI, client-id, time and body are exactly those sent)';
}
