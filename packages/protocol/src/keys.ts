/**
 * RSA keys in every form Antom and its SDKs hand around, imported once into
 * `KeyObject`s that signing and verification reuse.
 *
 * Accepted: PEM (`PRIVATE KEY`, `RSA PRIVATE KEY`, `PUBLIC KEY`,
 * `RSA PUBLIC KEY`) or bare base64 DER (PKCS#8, PKCS#1, SPKI). The label of a
 * PEM is not trusted: the Python SDK puts PKCS#8 bodies under the
 * `RSA PRIVATE KEY` label, so the DER inside decides.
 */
import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCallback, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateRsaKeyPair = promisify(generateKeyPairCallback);

export type KeyFormatProblem =
  | 'EMPTY'
  | 'NOT_PEM_OR_BASE64'
  | 'ENCRYPTED'
  | 'UNRECOGNISED'
  | 'PUBLIC_GIVEN_FOR_PRIVATE'
  | 'PRIVATE_GIVEN_FOR_PUBLIC'
  | 'NOT_RSA'
  | 'TOO_SHORT';

/** A key could not be used: `problem` says why, the message says what was given and what is expected. */
export class KeyFormatError extends Error {
  readonly problem: KeyFormatProblem;

  constructor(problem: KeyFormatProblem, message: string) {
    super(message);
    this.name = 'KeyFormatError';
    this.problem = problem;
  }
}

/** A key as users hold it: PEM or base64 text, DER bytes, or an already imported key. */
export type KeyInput = string | Uint8Array | KeyObject;

export const MIN_RSA_BITS = 2048;

type DerForm = 'pkcs8' | 'pkcs1-private' | 'spki' | 'pkcs1-public';

interface DecodedKey {
  der: Buffer;
  /** Set when the text was PEM: the label, to mention in errors. */
  pemLabel: string | undefined;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;
const DER_SEQUENCE_TAG = 0x30;

function decodeKeyText(input: string | Uint8Array, wanted: 'private' | 'public'): DecodedKey {
  if (typeof input !== 'string') {
    const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    // DER always opens with a SEQUENCE tag; anything else is text read from a file.
    if (bytes[0] === DER_SEQUENCE_TAG) return { der: bytes, pemLabel: undefined };
    return decodeKeyText(bytes.toString('utf8'), wanted);
  }
  const text = input.trim();
  if (text === '') throw new KeyFormatError('EMPTY', `The ${wanted} key is empty: expected PEM or base64 DER text`);
  if (text.includes('-----BEGIN')) {
    const block = PEM_BLOCK.exec(text);
    if (!block) throw new KeyFormatError('NOT_PEM_OR_BASE64', `The ${wanted} key looks like PEM but has no matching BEGIN/END lines`);
    const label = block[1] ?? '';
    if (label.includes('ENCRYPTED')) {
      throw new KeyFormatError('ENCRYPTED', `This is an encrypted private key (${label}); export it without a passphrase`);
    }
    if (label === 'CERTIFICATE') {
      throw new KeyFormatError('UNRECOGNISED', `This is a certificate; expected a ${wanted} key (PEM "${wanted === 'private' ? 'PRIVATE KEY' : 'PUBLIC KEY'}")`);
    }
    const body = (block[2] ?? '').replace(/\s+/g, '');
    if (!BASE64_TEXT.test(body)) throw new KeyFormatError('NOT_PEM_OR_BASE64', `The PEM body of the ${wanted} key is not valid base64`);
    return { der: Buffer.from(body, 'base64'), pemLabel: label };
  }
  const compact = text.replace(/\s+/g, '');
  if (!BASE64_TEXT.test(compact) || compact.length % 4 !== 0) {
    throw new KeyFormatError(
      'NOT_PEM_OR_BASE64',
      // None of the text itself: it may be some other secret given by mistake.
      `The ${wanted} key is neither PEM nor base64 DER (got ${compact.length} characters)`,
    );
  }
  return { der: Buffer.from(compact, 'base64'), pemLabel: undefined };
}

/** Finds which DER structure the bytes hold by letting OpenSSL try each. */
function identifyDer(der: Buffer): { form: DerForm; key: KeyObject } | undefined {
  const attempts: Array<[DerForm, () => KeyObject]> = [
    ['pkcs8', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })],
    ['pkcs1-private', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })],
    ['spki', () => createPublicKey({ key: der, format: 'der', type: 'spki' })],
    ['pkcs1-public', () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' })],
  ];
  for (const [form, attempt] of attempts) {
    try {
      return { form, key: attempt() };
    } catch {
      // not this structure; try the next
    }
  }
  return undefined;
}

function assertUsableRsa(key: KeyObject, wanted: 'private' | 'public'): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyFormatError(
      'NOT_RSA',
      `This is an ${key.asymmetricKeyType ?? 'unknown'} key; Antom's RSA256 signatures need an RSA ${wanted} key`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new KeyFormatError('TOO_SHORT', `This RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are needed`);
  }
}

function importKey(input: KeyInput, wanted: 'private' | 'public'): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type === 'secret') throw new KeyFormatError('UNRECOGNISED', `This is a secret (symmetric) key; expected an RSA ${wanted} key`);
    if (wanted === 'private' && input.type === 'public') {
      throw new KeyFormatError('PUBLIC_GIVEN_FOR_PRIVATE', 'This is a public key; a private key is needed to sign');
    }
    if (wanted === 'public' && input.type === 'private') {
      throw new KeyFormatError('PRIVATE_GIVEN_FOR_PUBLIC', 'This is a private key; the public key is needed to verify (never share the private key)');
    }
    assertUsableRsa(input, wanted);
    return input;
  }
  const { der, pemLabel } = decodeKeyText(input, wanted);
  const found = identifyDer(der);
  if (!found) {
    const what = pemLabel ? `PEM "${pemLabel}"` : `${der.length} bytes of DER`;
    throw new KeyFormatError(
      'UNRECOGNISED',
      `The ${wanted} key (${what}) is not a PKCS#8, PKCS#1 or SPKI RSA key` +
        (wanted === 'private' ? '; expected base64 PKCS#8 as Antom hands out' : '; expected base64 SPKI (X.509 public key)'),
    );
  }
  const isPrivate = found.form === 'pkcs8' || found.form === 'pkcs1-private';
  if (wanted === 'private' && !isPrivate) {
    throw new KeyFormatError('PUBLIC_GIVEN_FOR_PRIVATE', 'This is a public key; a private key is needed to sign');
  }
  if (wanted === 'public' && isPrivate) {
    throw new KeyFormatError('PRIVATE_GIVEN_FOR_PUBLIC', 'This is a private key; the public key is needed to verify (never share the private key)');
  }
  assertUsableRsa(found.key, wanted);
  return found.key;
}

/** Imports a private key for signing. Throws `KeyFormatError` for anything else. */
export function importPrivateKey(input: KeyInput): KeyObject {
  return importKey(input, 'private');
}

/** Imports a public key for verifying. Throws `KeyFormatError` for anything else. */
export function importPublicKey(input: KeyInput): KeyObject {
  return importKey(input, 'public');
}

/** The public half of a private key. */
export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** Base64 of PKCS#8 DER, no armour: the form Antom hands out and the Java, Go and .NET SDKs take. */
export function exportPrivateKeyBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

/** Base64 of PKCS#1 DER: what the Python SDK needs (it wraps it in `RSA PRIVATE KEY` armour). */
export function exportPrivateKeyPkcs1Base64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'pkcs1' }).toString('base64');
}

/** PKCS#1 PEM (`RSA PRIVATE KEY`): the form the Python SDK's examples use. */
export function exportPrivateKeyPkcs1Pem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs1' }).toString();
}

/** Base64 of X.509 SubjectPublicKeyInfo DER, no armour: the form of an Antom public key. */
export function exportPublicKeyBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

export function exportPrivateKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function exportPublicKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

export interface GeneratedKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** base64 PKCS#8 DER */
  privateKeyBase64: string;
  /** base64 SPKI DER */
  publicKeyBase64: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh 2048-bit RSA pair, in the forms Antom uses and as PEM. */
export async function generateKeyPair(bits: number = MIN_RSA_BITS): Promise<GeneratedKeyPair> {
  if (!Number.isInteger(bits) || bits < MIN_RSA_BITS) throw new RangeError(`RSA keys need at least ${MIN_RSA_BITS} bits, got ${bits}`);
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return {
    privateKey,
    publicKey,
    privateKeyBase64: exportPrivateKeyBase64(privateKey),
    publicKeyBase64: exportPublicKeyBase64(publicKey),
    privateKeyPem: exportPrivateKeyPem(privateKey),
    publicKeyPem: exportPublicKeyPem(publicKey),
  };
}
