/**
 * Device certificates: an X.509 v3 certificate (DER) over an in-store
 * device's public key, issued in the name of the client and signed with
 * the gateway's key for that client (the key whose public half the merchant
 * holds as "Antom's public key"), so the merchant or the device can check
 * it with what it already has. Nothing random: the serial number comes
 * from the client and `deviceRequestId`, the validity from the issue time,
 * and RSA PKCS#1 v1.5 signatures are deterministic, so the same inputs give
 * the same bytes.
 *
 * The DER writer is the few constructions a certificate needs (the edge has
 * its own for the TLS certificate; products may not import the edge).
 */
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { AmsError, importPublicKey, KeyFormatError } from '@amsgate/protocol';

/** How long a device certificate is valid: amsgate's choice (the docs say nothing). */
export const DEVICE_CERTIFICATE_VALIDITY_MS = 365 * 24 * 60 * 60 * 1000;

/** EC curves a device key may use besides RSA (Node's names). */
const EC_CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384' };

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

// ---------------------------------------------------------------------------
// The device key

/**
 * The device's public key from `devicePublicKey`: RSA of 2048 bits or more
 * (PEM, or base64 SPKI / PKCS#1 DER) or EC on P-256 / P-384 (PEM or base64
 * SPKI). Anything else, a private key included, is PARAM_ILLEGAL naming the
 * field; the message never repeats the key text.
 */
export function deviceKeyOf(text: string): KeyObject {
  try {
    return importPublicKey(text);
  } catch (error) {
    if (!(error instanceof KeyFormatError)) throw error;
    if (error.problem === 'NOT_RSA') {
      const key = spkiKeyOf(text);
      const curve = key?.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
      if (key && curve !== undefined && EC_CURVES[curve] !== undefined) return key;
      const what = key?.asymmetricKeyType === 'ec' ? `an EC key on ${curve ?? 'an unnamed curve'}` : `an ${key?.asymmetricKeyType ?? 'unknown'} key`;
      throw AmsError.paramIllegal('devicePublicKey', `must be an RSA key of at least 2048 bits or an EC key on P-256 or P-384, got ${what}`);
    }
    throw AmsError.paramIllegal('devicePublicKey', error.message);
  }
}

/** The key as the certificate and the fingerprint hold it: base64 SPKI DER, however it was sent. */
export function canonicalDeviceKey(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** A public key's SPKI from PEM or base64 text (only reached for a public key `importPublicKey` parsed as SPKI). */
function spkiKeyOf(text: string): KeyObject | undefined {
  const pem = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text);
  const body = (pem?.[1] ?? text).replace(/\s+/g, '');
  try {
    return createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// The certificate

export interface DeviceCertificateInput {
  clientId: string;
  deviceRequestId: string;
  deviceKey: KeyObject;
  /** The gateway's key for the client, and its version (named in the issuer). */
  signingKey: KeyObject;
  signingKeyVersion: number;
  /** Issue time (ms); the validity starts at its second. */
  issuedAt: number;
}

export interface IssuedDeviceCertificate {
  /** Hex of the serial number. */
  serialNumber: string;
  /** Base64 of the certificate's DER. */
  certificate: string;
  notBefore: number;
  notAfter: number;
}

/** Builds and signs the certificate (the signature runs on the thread pool, off the event loop). */
export async function issueDeviceCertificate(input: DeviceCertificateInput): Promise<IssuedDeviceCertificate> {
  const serial = serialNumberOf(input.clientId, input.deviceRequestId);
  const notBefore = Math.floor(input.issuedAt / 1000) * 1000;
  const notAfter = notBefore + DEVICE_CERTIFICATE_VALIDITY_MS;
  const issuerKey = createPublicKey(input.signingKey);
  const algorithm = sequence(oid(OID.sha256WithRSAEncryption), derNull());
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    algorithm,
    name([OID.organizationName, 'amsgate'], [OID.commonName, `Device CA of ${input.clientId} (key version ${input.signingKeyVersion})`]),
    sequence(time(notBefore), time(notAfter)),
    name([OID.organizationName, input.clientId], [OID.commonName, input.deviceRequestId]),
    input.deviceKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(
      extension(OID.basicConstraints, true, sequence()), // not a CA
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
      extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(input.deviceKey))),
      extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyIdentifier(issuerKey)))),
    )),
  );
  const signature = await new Promise<Buffer>((resolve, reject) => {
    sign('sha256', tbs, input.signingKey, (error, signed) => (error ? reject(error) : resolve(signed)));
  });
  const certificate = sequence(tbs, algorithm, bitString(signature));
  return { serialNumber: serial.toString('hex'), certificate: certificate.toString('base64'), notBefore, notAfter };
}

/** 16 bytes of SHA-256 over the client and request id: positive, never zero, the same for the same request. */
function serialNumberOf(clientId: string, deviceRequestId: string): Buffer {
  const serial = createHash('sha256').update(`amsgate device certificate\u0000${clientId}\u0000${deviceRequestId}`).digest().subarray(0, 16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(key: KeyObject): Buffer {
  const spki = key.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
}

/** The BIT STRING contents (without its unused-bits byte) of an SPKI: SEQUENCE { algorithm, BIT STRING }. */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  const outer = readTlv(spki, 0);
  const algorithm = readTlv(spki, outer.contentStart);
  const bits = readTlv(spki, algorithm.end);
  return spki.subarray(bits.contentStart + 1, bits.end);
}

function readTlv(der: Buffer, at: number): { contentStart: number; end: number } {
  const first = der[at + 1] ?? 0;
  if (first < 0x80) return { contentStart: at + 2, end: at + 2 + first };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[at + 2 + i] ?? 0);
  return { contentStart: at + 2 + count, end: at + 2 + count + length };
}

// ---------------------------------------------------------------------------
// DER

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), lengthOf(body.length), body]);
}

function lengthOf(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const sequence = (...parts: Buffer[]) => tlv(0x30, ...parts);
const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
const explicit = (tagNumber: number, inner: Buffer) => tlv(0xa0 | tagNumber, inner);
const implicitPrimitive = (tagNumber: number, bytes: Buffer) => tlv(0x80 | tagNumber, bytes);
const octetString = (bytes: Buffer) => tlv(0x04, bytes);
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const derNull = () => Buffer.from([0x05, 0x00]);
const bitString = (bytes: Buffer, unusedBits = 0) => tlv(0x03, Buffer.from([unusedBits]), bytes);

/** A non-negative INTEGER from big-endian bytes (a 0 byte in front when the top bit is set). */
function integer(bytes: Buffer): Buffer {
  return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** A distinguished name of one attribute per RDN, in order. */
function name(...attributes: Array<[string, string]>): Buffer {
  return sequence(...attributes.map(([type, value]) => set(sequence(oid(type), utf8String(value)))));
}

function extension(type: string, critical: boolean, value: Buffer): Buffer {
  // DER leaves out `critical` when it is its default, FALSE.
  return sequence(oid(type), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), octetString(value));
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2025-01-02T03:04:05.000Z
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = new Date(ms).getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}
