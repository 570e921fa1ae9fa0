/**
 * Why a request signature did not verify, proven rather than guessed.
 *
 * An RSA PKCS#1 v1.5 signature can be opened with a public key
 * (`publicDecrypt`): with the public half of the key that made it, the
 * padding is intact and yields the digest the client signed. That splits
 * every mismatch in two:
 *
 * - no registered key opens it: the client signed with another key (the
 *   public key registered is of another pair, another client's key, …);
 * - a key opens it: the key is right and the content differs. The digest
 *   the client signed is then known, and variants of the content (the other
 *   path, another client id, the body re-serialised, nearby request-times)
 *   are checked by hashing alone, no RSA operation each, cheapest and most
 *   common first, up to the first that matches.
 *
 * Each key opens a signature once (`signatureOpener`): the request log's
 * diagnosis, which checks the same keys, shares the openings with the cause
 * analysis. Only run for failed requests (sandbox request log, when an entry
 * is first read), within fixed budgets.
 */
import { maskCardDataInBody } from '../../products/cards/card-data-mask.js';
import { constants, createHash, createPublicKey, publicDecrypt, verify, type KeyObject } from 'node:crypto';
import { contentPrefix, contentToSign, decodeSignatureValue, verifyRaw, type KeyVersion, type SignedParts } from '@amsgate/protocol';
import type { ResolvedClient } from '../../auth/client-registry.js';
import { pathOf } from '../../edge/ams-pipeline.js';

export type SignatureCauseCode =
  | 'WRONG_PATH'
  | 'CLIENT_ID'
  | 'TIME_ALTERED'
  | 'BODY_RESERIALISED'
  | 'KEY_VERSION'
  | 'WRONG_KEY_PAIR'
  | 'DIGEST_ALGORITHM'
  | 'PSS_PADDING'
  | 'SIGNATURE_ENCODING'
  | 'OTHER_CONTENT';

export interface SignatureCause {
  code: SignatureCauseCode;
  /** What the checks proved, in one or two sentences. */
  summary: string;
  /** What to change on the client. */
  fix: string;
  /** The content the client did sign, when it was found among the variants tried (a JSON string literal, bounded like the expected content). */
  signedContent?: string;
}

export interface CauseInput {
  /** Path and query as requested. */
  uri: string;
  /** Header values as received (not trimmed), the only ones the analysis reads. */
  received: ReceivedHeaders;
  body: Buffer;
  /** The client-id and request-time header values as the gateway used them (trimmed). */
  clientId: string;
  time: string;
  signature: Buffer;
  /** Opens `signature`, each key once; pass the one the diagnosis used, so keys it opened are not opened again. */
  open?: Opener;
  headerKeyVersion: KeyVersion;
  /** The key version the gateway verified with; undefined when the header named none that is live. */
  keyVersionUsed: number | undefined;
  client: ResolvedClient;
  /** Public keys of other clients this process has seen, to recognise a signature made with another client's key. */
  otherClients: Iterable<[string, ReadonlyMap<number, KeyObject>]>;
  /** Bound on the bytes of a body shown in `signedContent`. */
  maxBodyBytes: number;
}

/** DER prefixes of PKCS#1 v1.5 DigestInfo per hash, and the hash length. */
const DIGEST_INFOS: ReadonlyArray<{ algorithm: string; prefix: Buffer; length: number }> = [
  { algorithm: 'SHA-256', prefix: Buffer.from('3031300d060960864801650304020105000420', 'hex'), length: 32 },
  { algorithm: 'SHA-1', prefix: Buffer.from('3021300906052b0e03021a05000414', 'hex'), length: 20 },
  { algorithm: 'SHA-384', prefix: Buffer.from('3041300d060960864801650304020205000430', 'hex'), length: 48 },
  { algorithm: 'SHA-512', prefix: Buffer.from('3051300d060960864801650304020305000440', 'hex'), length: 64 },
  { algorithm: 'SHA-224', prefix: Buffer.from('302d300d06096086480165030402040500041c', 'hex'), length: 28 },
  { algorithm: 'MD5', prefix: Buffer.from('3020300c06082a864886f70d020505000410', 'hex'), length: 16 },
];

export interface ReceivedHeaders {
  clientId?: string;
  time?: string;
  host?: string;
}

/** What a PKCS#1 v1.5 signature holds, opened with the public half of the key that made it. */
export interface Opening {
  /** `SHA-256`, another hash name, or `none` (padding intact, no DigestInfo). */
  algorithm: string;
  digest: Buffer;
}

/** Opens one signature with a key, each key at most once (the result, or undefined when the key did not make it, is kept). */
export type Opener = (key: KeyObject) => Opening | undefined;

/** Bounds, so a diagnosis stays a few milliseconds whatever the client sent. */
const MAX_KEY_OPENINGS = 64;
const MAX_OTHER_CLIENT_IDS = 20;
const TIME_SCAN_MAX_MS = 5_000;
const TIME_SCAN_BYTE_BUDGET = 8 * 1024 * 1024;

interface Opened extends Opening {
  clientId: string;
  keyVersion: number;
}

/** An opener of `signature` that remembers what each key gave (a key is opened once however often it is asked about). */
export function signatureOpener(signature: Buffer): Opener {
  const openings = new Map<KeyObject, Opening | undefined>();
  return (key) => {
    if (!openings.has(key)) openings.set(key, openSignature(signature, key));
    return openings.get(key);
  };
}

/**
 * Whether an opened signature is SHA256withRSA over `parts`: what verifying
 * with that key answers, by one hash and no RSA operation.
 */
export function opensOver(opening: Opening | undefined, parts: SignedParts): boolean {
  return opening !== undefined && opening.algorithm === 'SHA-256' && digestOf(parts).equals(opening.digest);
}

/** SHA-256 of the content to sign, hashed in two pieces (no copy of the body). */
function digestOf(parts: SignedParts): Buffer {
  return createHash('sha256').update(contentPrefix(parts)).update(parts.body).digest();
}

/**
 * The digest inside a PKCS#1 v1.5 signature, when `key` is the public half
 * of the key that made it. A signature not of the key's length is not
 * opened (verifying refuses it too).
 */
function openSignature(signature: Buffer, key: KeyObject): Opening | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && signature.length !== Math.ceil(bits / 8)) return undefined;
  let block: Buffer;
  try {
    block = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return undefined;
  }
  for (const info of DIGEST_INFOS) {
    if (block.length === info.prefix.length + info.length && block.subarray(0, info.prefix.length).equals(info.prefix)) {
      return { algorithm: info.algorithm, digest: block.subarray(info.prefix.length) };
    }
  }
  return { algorithm: 'none', digest: block };
}

/** The causes of a signature that did not verify (MISMATCH, or a keyVersion that is not live), most telling first. */
export function signatureCauses(input: CauseInput): SignatureCause[] {
  const causes: SignatureCause[] = [];
  const opened = findSigningKey(input, input.open ?? signatureOpener(input.signature));
  if (!opened) return [pssCause(input) ?? wrongKeyPair(input)];

  if (opened.clientId !== input.client.clientId) {
    causes.push({
      code: 'CLIENT_ID',
      summary: `The signature was made with the private key of client ${opened.clientId} (key version ${opened.keyVersion}), but the request says client-id ${input.clientId}.`,
      fix: `Use one client for both: send client-id ${opened.clientId}, or sign with the private key registered for ${input.clientId}.`,
    });
  } else if (opened.keyVersion !== input.keyVersionUsed) {
    causes.push(keyVersionCause(input, opened.keyVersion));
  }
  if (opened.algorithm !== 'SHA-256') {
    causes.push({
      code: 'DIGEST_ALGORITHM',
      summary: opened.algorithm === 'none'
        ? 'The signature holds no SHA-256 DigestInfo: the client signed raw bytes (NONEwithRSA or a bare RSA operation).'
        : `The signature is over a ${opened.algorithm} digest; AMS signatures are SHA256withRSA.`,
      fix: 'Sign with SHA256withRSA (RSASSA-PKCS1-v1_5 over SHA-256), as the official SDKs do.',
    });
    return causes;
  }

  const content = findSignedContent(input, opened);
  if (content === 'as-sent') return causes;
  if (content === undefined) causes.push(otherContent(input, opened));
  else if (content.code === 'CLIENT_ID' && causes[0]?.code === 'CLIENT_ID') causes[0].signedContent = content.signedContent;
  else causes.push(content);
  return causes;
}

export interface EncodingInput {
  /** The signature value as the header carried it (its `signature=` part, spaces around removed). */
  value: string;
  uri: string;
  /** The client-id and request-time header values, trimmed; undefined when absent. */
  clientId: string | undefined;
  time: string | undefined;
  body: Buffer;
  client: ResolvedClient | undefined;
}

/**
 * For a signature value sent without URL-encoding: spaces where its base64
 * had `+` (form-decoded on the way), a raw `+`, or a raw `/` or `=` (which
 * decode as themselves, but no SDK sends). Confirmed when the value, once
 * encoded, verifies.
 */
export function encodingCause({ value, uri, clientId, time, body, client }: EncodingInput): SignatureCause | undefined {
  const plus = value.includes(' ') || value.includes('+');
  if (!plus && !value.includes('/') && !value.includes('=')) return undefined;
  const restored = decodeSignatureValue(value.replace(/[ +]/g, '%2B'));
  const verifies = restored !== undefined && client !== undefined && clientId !== undefined && time !== undefined
    && [...client.merchantKeys.values()].slice(0, MAX_KEY_OPENINGS).some((key) => verifyRaw({ uri, clientId, time, body }, restored, key));
  const summary = value.includes(' ')
    ? `The signature value has spaces where base64 has "+": it was sent without URL encoding and a "+" was decoded as a space on the way${verifies ? ' (with "+" restored it verifies)' : ''}.`
    : plus
      ? `The signature value has a raw "+": it was sent without URL encoding, and form decoding (as Antom does) makes each "+" a space${verifies ? ' (with "+" encoded it verifies)' : ''}.`
      : `The signature value has a raw "/" or "=": it was sent without URL encoding${verifies ? ' (encoded, it verifies)' : ''}. Any of its signatures with a "+" would fail at Antom.`;
  return {
    code: 'SIGNATURE_ENCODING',
    summary,
    fix: 'URL-encode the base64 signature before putting it in the header ("+" → %2B, "/" → %2F, "=" → %3D), as every official SDK does.',
  };
}

function findSigningKey(input: CauseInput, open: Opener): Opened | undefined {
  let budget = MAX_KEY_OPENINGS;
  const tryKeys = (clientId: string, keys: ReadonlyMap<number, KeyObject>, first?: number): Opened | undefined => {
    const versions = [...keys.keys()].sort((a, b) => a - b);
    const ordered = first !== undefined && keys.has(first) ? [first, ...versions.filter((v) => v !== first)] : versions;
    for (const keyVersion of ordered) {
      if (budget-- <= 0) return undefined;
      const opened = open(keys.get(keyVersion) as KeyObject);
      if (opened) return { clientId, keyVersion, ...opened };
    }
    return undefined;
  };
  const own = tryKeys(input.client.clientId, input.client.merchantKeys, input.keyVersionUsed);
  if (own) return own;
  for (const [clientId, keys] of input.otherClients) {
    if (clientId === input.client.clientId) continue;
    const other = tryKeys(clientId, keys);
    if (other) return other;
    if (budget <= 0) break;
  }
  return undefined;
}

/** RSA-PSS (WebCrypto's usual choice) cannot be opened like PKCS#1 v1.5: it is recognised by verifying the content as sent with PSS. */
function pssCause(input: CauseInput): SignatureCause | undefined {
  const content = contentToSign({ uri: input.uri, clientId: input.clientId, time: input.time, body: input.body });
  for (const [version, key] of [...input.client.merchantKeys].slice(0, MAX_KEY_OPENINGS)) {
    let valid = false;
    try {
      valid = verify('sha256', content, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, input.signature);
    } catch {
      // not a signature this key can check
    }
    if (valid) {
      return {
        code: 'PSS_PADDING',
        summary: `The signature is RSA-PSS over the right content with the key registered as version ${version}; AMS signatures use PKCS#1 v1.5 padding.`,
        fix: 'Sign with RSASSA-PKCS1-v1_5 and SHA-256 (SHA256withRSA; in WebCrypto the algorithm "RSASSA-PKCS1-v1_5", not "RSA-PSS").',
      };
    }
  }
  return undefined;
}

function keyVersionCause(input: CauseInput, signedWith: number): SignatureCause {
  const header = input.headerKeyVersion;
  const summary = header === 'latest'
    ? `The signature was made with the key registered as version ${signedWith}; the header names no keyVersion, so the newest (${input.keyVersionUsed}) was used.`
    : input.keyVersionUsed === undefined
      ? `The header says keyVersion=${header}, which is not a live key of ${input.client.clientId}; the signature was made with the key registered as version ${signedWith}.`
      : `The signature was made with the key registered as version ${signedWith}, but the header says keyVersion=${header}.`;
  return { code: 'KEY_VERSION', summary, fix: `Send keyVersion=${signedWith} in the signature header (the version of the public key that pairs with the private key you sign with).` };
}

function wrongKeyPair(input: CauseInput): SignatureCause {
  const { client } = input;
  const versions = [...client.merchantKeys.keys()].sort((a, b) => a - b);
  const notes: string[] = [];
  const gatewayKey = createPublicKey(client.signingKey);
  for (const version of versions) {
    if ((client.merchantKeys.get(version) as KeyObject).equals(gatewayKey)) {
      notes.push(`Key version ${version} registered for this client is the gateway's ("Antom") public key for it, not a merchant key.`);
    }
  }
  const selected = input.keyVersionUsed === undefined ? undefined : client.merchantKeys.get(input.keyVersionUsed);
  const bits = selected?.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && input.signature.length !== Math.ceil(bits / 8)) {
    notes.push(`The signature is ${input.signature.length} bytes; the registered ${bits}-bit key gives ${Math.ceil(bits / 8)}: it was made with a key of another size.`);
  }
  return {
    code: 'WRONG_KEY_PAIR',
    summary: `The signature was not made with the private key of any public key registered for ${client.clientId} (live key versions: ${versions.join(', ') || 'none'}). ${notes.join(' ')}`.trim(),
    fix: 'Register the public key of the pair your client signs with (derive it from the private key: openssl pkey -in private.pem -pubout), '
      + 'or sign with the private key whose public half is registered. Converting between PKCS#1 ("BEGIN RSA PRIVATE KEY", the Python SDK) and PKCS#8 ("BEGIN PRIVATE KEY", Java, Go, .NET, Node) '
      + 'keeps the key: convert the same key, never generate a new pair for one SDK.',
  };
}

function otherContent(input: CauseInput, opened: Opened): SignatureCause {
  const expected = digestOf({ uri: input.uri, clientId: input.clientId, time: input.time, body: input.body }).toString('hex');
  return {
    code: 'OTHER_CONTENT',
    summary: `The signature opens with the public key of ${opened.clientId} version ${opened.keyVersion}, so that key made it, but over other content: SHA-256 ${opened.digest.toString('hex')}, `
      + `where the gateway computed ${expected}. No variant tried matches (the other path, client id, nearby request-times, the body re-serialised).`,
    fix: 'Print the exact bytes your client signs and compare them with the expected content byte for byte: POST, one space, the path, one LF, client-id, ".", request-time, ".", the body exactly as sent.',
  };
}

interface Candidate {
  uri: string;
  clientId: string;
  time: string;
  body: Buffer;
}

/**
 * Looks for the content the client signed among variants of what it sent,
 * one part varied at a time, the cheap and common variants first (a few
 * hashes each) and the request-time scan (thousands) last, up to the first
 * that matches: `as-sent` when it is the content as sent (the key was the
 * problem), undefined when no variant matches.
 */
function findSignedContent(input: CauseInput, opened: Opened): SignatureCause | 'as-sent' | undefined {
  const base: Candidate = { uri: input.uri, clientId: input.clientId, time: input.time, body: input.body };
  const matches = (c: Candidate) => digestOf(c).equals(opened.digest);
  const shown = (c: Candidate) => contentLiteral(c, input.maxBodyBytes);
  if (matches(base)) return 'as-sent';

  for (const uri of uriVariants(input.uri, input.received.host)) {
    if (!matches({ ...base, uri })) continue;
    const hostIncluded = !uri.startsWith('/');
    return {
      code: 'WRONG_PATH',
      summary: `The client signed POST ${uri} but sent the request to ${input.uri}.`,
      fix: hostIncluded
        ? 'Sign the path and query only, without scheme and host.'
        : 'Sign the path the request is sent to: sandbox clients sign /ams/sandbox/api/… when they call it, /ams/api/… when they call that.',
      signedContent: shown({ ...base, uri }),
    };
  }

  for (const clientId of clientIdVariants(input, opened)) {
    if (!matches({ ...base, clientId })) continue;
    return {
      code: 'CLIENT_ID',
      summary: `The client signed client id "${clientId}" but sent client-id "${input.clientId}".`,
      fix: 'Sign with exactly the client-id header value you send.',
      signedContent: shown({ ...base, clientId }),
    };
  }

  const rawTime = input.received.time;
  if (rawTime !== undefined && rawTime !== input.time && matches({ ...base, time: rawTime })) return timeCause(input, rawTime, shown({ ...base, time: rawTime }));

  for (const variant of bodyVariants(input.body)) {
    if (!matches({ ...base, body: variant.body })) continue;
    return {
      code: 'BODY_RESERIALISED',
      summary: `The client signed the body ${variant.name} (${variant.body.length} bytes), but sent ${input.body.length} other bytes: the body was re-serialised after signing.`,
      fix: 'Serialise the body once, sign that exact string and send that same string; do not hand the HTTP library an object to encode again after signing.',
      signedContent: shown({ ...base, body: variant.body }),
    };
  }

  const time = scanSignedTime(input, matches);
  return time === undefined ? undefined : timeCause(input, time, shown({ ...base, time }));
}

function timeCause(input: CauseInput, time: string, signedContent: string): SignatureCause {
  const delta = /^\d+$/.test(time) && /^\d+$/.test(input.time) ? ` (${Math.abs(Number(time) - Number(input.time))} ms apart)` : '';
  return {
    code: 'TIME_ALTERED',
    summary: `The client signed request-time "${time}" but sent request-time "${input.time}"${delta}.`,
    fix: 'Take the time once and use that same string in the request-time header and in the content to sign; nothing between signing and sending may rewrite the header.',
    signedContent,
  };
}

/** `/ams/api/…` ↔ `/ams/sandbox/api/…`, query kept. */
export function otherPathVariant(uri: string): string | undefined {
  if (uri.startsWith('/ams/sandbox/api/')) return `/ams/api/${uri.slice('/ams/sandbox/api/'.length)}`;
  if (uri.startsWith('/ams/api/')) return `/ams/sandbox/api/${uri.slice('/ams/api/'.length)}`;
  return undefined;
}

/**
 * The path with its doubled slashes collapsed, or with the doubled slash
 * the official SDKs write before the version (`/ams/api//v1/…`, as they send
 * retrievePaymentSession): a hand-written client may sign one and send the
 * other.
 */
function slashVariant(uri: string): string | undefined {
  const path = pathOf(uri);
  const rest = uri.slice(path.length);
  const collapsed = path.replace(/\/{2,}/g, '/');
  if (collapsed !== path) return collapsed + rest;
  const doubled = path.replace(/^(\/ams\/(?:sandbox\/)?api)\/(v[0-9]+\/)/, '$1//$2');
  return doubled !== path ? doubled + rest : undefined;
}

function uriVariants(uri: string, host: string | undefined): string[] {
  const out: string[] = [];
  const other = otherPathVariant(uri);
  if (other !== undefined) out.push(other);
  const slashes = slashVariant(uri);
  if (slashes !== undefined) out.push(slashes);
  const withoutQuery = pathOf(uri);
  if (withoutQuery !== uri) out.push(withoutQuery);
  if (host !== undefined && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) out.push(`https://${host}${uri}`, `http://${host}${uri}`);
  return out;
}

function clientIdVariants(input: CauseInput, opened: Opened): string[] {
  const out = new Set<string>();
  const raw = input.received.clientId;
  if (raw !== undefined) out.add(raw);
  if (opened.clientId !== input.clientId) out.add(opened.clientId);
  out.add(input.clientId.startsWith('SANDBOX_') ? input.clientId.slice('SANDBOX_'.length) : `SANDBOX_${input.clientId}`);
  let others = 0;
  for (const [clientId] of input.otherClients) {
    if (others++ >= MAX_OTHER_CLIENT_IDS) break;
    out.add(clientId);
  }
  out.delete(input.clientId);
  return [...out];
}

/** An epoch-ms request-time near the one sent that the client signed (a second clock read), within a byte budget of hashing. */
function scanSignedTime(input: CauseInput, matches: (c: Candidate) => boolean): string | undefined {
  if (!/^\d{10,16}$/.test(input.time)) return undefined;
  const sent = Number(input.time);
  const contentBytes = input.body.length + input.uri.length + input.clientId.length + 32;
  const window = Math.min(TIME_SCAN_MAX_MS, Math.floor(TIME_SCAN_BYTE_BUDGET / contentBytes / 2));
  const base: Candidate = { uri: input.uri, clientId: input.clientId, time: input.time, body: input.body };
  for (let delta = 1; delta <= window; delta++) {
    for (const time of [String(sent - delta), String(sent + delta)]) if (matches({ ...base, time })) return time;
  }
  return undefined;
}

/** The body as common serialisers would have written the same JSON. */
function bodyVariants(body: Buffer): Array<{ name: string; body: Buffer }> {
  const text = body.toString('utf8');
  const out: Array<{ name: string; body: string }> = [];
  let value: unknown;
  let parsed = false;
  try {
    value = JSON.parse(text) as unknown;
    parsed = true;
  } catch {
    // not JSON: only whitespace variants below
  }
  if (parsed) {
    out.push(
      { name: 'as compact JSON', body: JSON.stringify(value) },
      { name: 'as JSON indented by 2 spaces', body: JSON.stringify(value, null, 2) },
      { name: 'as JSON indented by 4 spaces', body: JSON.stringify(value, null, 4) },
      { name: 'as JSON indented by tabs', body: JSON.stringify(value, null, '\t') },
      { name: 'as compact JSON with sorted keys', body: JSON.stringify(sortKeys(value)) },
      { name: 'as compact JSON with non-ASCII characters escaped', body: JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) },
    );
  }
  out.push(
    { name: 'with a trailing newline', body: `${text}\n` },
    { name: 'without its trailing whitespace', body: text.trimEnd() },
    { name: 'with CRLF line ends as LF', body: text.replace(/\r\n/g, '\n') },
    { name: 'empty', body: '' },
  );
  const seen = new Set<string>([text]);
  const variants: Array<{ name: string; body: Buffer }> = [];
  for (const variant of out) {
    if (seen.has(variant.body)) continue;
    seen.add(variant.body);
    variants.push({ name: variant.name, body: Buffer.from(variant.body, 'utf8') });
  }
  return variants;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}

function contentLiteral(candidate: Candidate, maxBodyBytes: number): string {
  // Shown with card data masked (card-data-mask.ts), like every body the log keeps.
  const masked = maskCardDataInBody(Buffer.from(candidate.body.buffer, candidate.body.byteOffset, candidate.body.byteLength));
  const body = masked.length > maxBodyBytes ? masked.subarray(0, maxBodyBytes) : masked;
  return JSON.stringify(contentToSign({ ...candidate, body }).toString('utf8'));
}
