/**
 * The sandbox request log: the last N AMS requests the pipeline answered
 * (default 1000, all clients together), in a ring buffer in the serving
 * process, with a diagnosis for every header or signature failure — what a
 * developer needs to see WHY a request failed.
 *
 * Hot path: for a request that passed authentication only small fields are
 * kept (header values already parsed by Node, references to the body
 * buffers, which are copied only when over the size bound); no hashing, no
 * decoding. Failures of the headers, client, key or signature are diagnosed
 * when recorded (re-parsing the headers, verifying again, trying the other
 * path variant and the client's other live keys: a few RSA verifies, on
 * failures only), because the client's keys may change afterwards.
 *
 * Never kept: agent tokens (masked to a short prefix), signature values
 * (a short prefix only), keys of any kind. Bodies are sandbox data and are
 * kept, truncated to `maxBodyBytes` each. The merchant PUBLIC keys of the
 * last clients seen are referenced, so a signature made with another
 * client's key can be recognised (see `signature-causes.ts`).
 */
import { createHash, type KeyObject } from 'node:crypto';
import {
  contentToSign,
  HEADER,
  parseSignatureHeader,
  readHeader,
  verifyParsed,
  type KeyVersion,
  type ResultStatus,
  type SignedParts,
} from '@amsgate/protocol';
import type { Clock } from './clock.js';
import type { ResolvedClient } from './auth/client-registry.js';
import type { AnsweredRequest } from './http/ams-pipeline.js';
import { encodingCause, signatureCauses, type SignatureCause } from './signature-causes.js';

export const DEFAULT_REQUEST_LOG_SIZE = 1000;
export const DEFAULT_REQUEST_LOG_BODY_BYTES = 8 * 1024;

/** Codes the pipeline answers before or while authenticating: these entries get a diagnosis. */
const DIAGNOSED_CODES: ReadonlySet<string> = new Set([
  'INVALID_SIGNATURE',
  'KEY_NOT_FOUND',
  'INVALID_CLIENT',
  'INVALID_CLIENT_STATUS',
  'INVALID_AGENT_TOKEN',
  'PARAM_ILLEGAL',
  'NO_INTERFACE_DEF',
  'METHOD_NOT_SUPPORTED',
  'MEDIA_TYPE_NOT_ACCEPTABLE',
]);

const AMS_PATH = /^\/ams\/(sandbox\/)?api\/(v[0-9]+)\/([^?#]*)/;
const SIGNATURE_PREFIX_CHARS = 8;
const AGENT_TOKEN_PREFIX_CHARS = 4;
const USER_AGENT_CHARS = 200;
/** Clients whose public keys are remembered for diagnoses. */
const REMEMBERED_CLIENTS = 32;
/** Upper bound on the verifies one diagnosis may run (path variants × live keys). */
const MAX_VERIFIES = 12;

export type DiagnosisStage =
  | 'route'
  | 'method'
  | 'content-type'
  | 'client-id'
  | 'request-time'
  | 'signature-header'
  | 'client'
  | 'key'
  | 'signature'
  | 'agent-token'
  | 'after-authentication';

export type DiagnosisReason =
  | 'MISSING_HEADER'
  | 'MALFORMED_HEADER'
  | 'UNKNOWN_ALGORITHM'
  | 'BAD_ENCODING'
  | 'MISMATCH'
  | 'UNKNOWN_CLIENT'
  | 'CLIENT_DISABLED'
  | 'KEY_NOT_FOUND'
  | 'BAD_AGENT_TOKEN'
  | 'NOT_A_SIGNATURE_PROBLEM';

export interface SignedContentView {
  /** The exact content as a JSON string literal (newlines, tabs and edge spaces visible); bytes that are not UTF-8 show as U+FFFD. */
  escaped: string;
  /** Length of the whole content in bytes. */
  bytes: number;
  /** SHA-256 of the whole content, hex. */
  sha256: string;
  /** True when `escaped` shows only the first bytes (long bodies). */
  truncated: boolean;
}

export interface Diagnosis {
  /** The check that failed (`after-authentication`: headers and signature were fine). */
  stage: DiagnosisStage;
  reason: DiagnosisReason;
  message: string;
  /** keyVersion as the header gave it (`latest` when it names none). */
  headerKeyVersion?: KeyVersion;
  /** The key version the gateway verified with. */
  keyVersionUsed?: number;
  /** The client's live (not revoked) key versions when diagnosed. */
  liveKeyVersions?: number[];
  /** What the gateway verified the signature against. */
  content?: SignedContentView;
  /** Each alternative tried and whether it verified. */
  checked: string[];
  /** Conclusions from what was checked (never guesses). */
  hints: string[];
  /** Signature failures: what the signature itself proves went wrong, and the fix (see `signature-causes.ts`). */
  causes: SignatureCause[];
}

interface Bytes {
  data: Buffer;
  /** Full length before truncation. */
  length: number;
}

interface Entry {
  seq: number;
  time: number;
  clientId: string | undefined;
  method: string;
  uri: string;
  endpoint: string | undefined;
  resultCode: string;
  resultStatus: ResultStatus;
  resultMessage: string;
  durationMs: number;
  requestTime: string | undefined;
  keyVersion: string | undefined;
  contentType: string | undefined;
  signaturePrefix: string | undefined;
  /** The signature header with its value cut to the prefix. */
  signatureHeader: string | undefined;
  agentToken: string | undefined;
  userAgent: string | undefined;
  requestBody: Bytes;
  responseBody: Bytes;
  /** The answer's headers (the object the pipeline built; its signature is cut when shown). */
  responseHeaders: Readonly<Record<string, string>>;
  diagnosis: Diagnosis | undefined;
}

export interface RequestSummary {
  id: string;
  time: string;
  clientId: string | null;
  method: string;
  path: string;
  endpoint: string | null;
  resultCode: string;
  resultStatus: ResultStatus;
  resultMessage: string;
  durationMs: number;
  requestTime: string | null;
  keyVersion: string | null;
  /** The diagnosis reason, when the entry has one. */
  failure: DiagnosisReason | null;
}

export interface BodyView {
  text: string;
  bytes: number;
  truncated: boolean;
}

export interface RequestDetail extends RequestSummary {
  request: {
    contentType: string | null;
    /** First characters of the signature value only. */
    signature: string | null;
    /** The signature header as sent, its value cut to those first characters. */
    signatureHeader: string | null;
    /** Masked: a short prefix and the length. */
    agentToken: string | null;
    userAgent: string | null;
    body: BodyView;
  };
  response: {
    /** Names in lower case; the signature value cut to its first characters. */
    headers: Record<string, string>;
    body: BodyView;
  };
  diagnosis: Diagnosis | null;
}

export interface RequestFilter {
  clientId?: string;
  /** `payments/pay`, or a path such as `/ams/api/v1/payments/pay`. */
  endpoint?: string;
  status?: ResultStatus;
  /** Only entries with a diagnosis (header, client, key or signature failures). */
  failuresOnly?: boolean;
  /** Only entries newer than this id (for following). */
  after?: string;
  limit?: number;
}

export interface RequestLogOptions {
  capacity?: number;
  maxBodyBytes?: number;
}

export class RequestLog {
  readonly capacity: number;
  readonly maxBodyBytes: number;
  private readonly ring: (Entry | undefined)[];
  private next = 0;
  private seq = 0;
  private readonly clientKeys = new Map<string, ReadonlyMap<number, KeyObject>>();

  constructor(private readonly clock: Clock, options: RequestLogOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_REQUEST_LOG_SIZE;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_REQUEST_LOG_BODY_BYTES;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new RangeError('the request log size must be a positive integer');
    if (!Number.isInteger(this.maxBodyBytes) || this.maxBodyBytes < 0) throw new RangeError('the request log body bound must be a non-negative integer');
    this.ring = new Array<Entry | undefined>(this.capacity);
  }

  /** The pipeline's recorder hook. Never throws: the log must not break an answer. */
  record(answered: AnsweredRequest): void {
    try {
      this.add(answered);
    } catch {
      // a diagnosis that fails is left out, the answer stands
    }
  }

  /** Entries newest first. */
  list(filter: RequestFilter = {}): RequestSummary[] {
    const limit = filter.limit ?? 50;
    const endpoint = filter.endpoint === undefined ? undefined : endpointOf(filter.endpoint);
    const after = filter.after === undefined ? 0 : seqOf(filter.after) ?? 0;
    const out: RequestSummary[] = [];
    for (let i = 1; i <= this.capacity && out.length < limit; i++) {
      const entry = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (!entry || entry.seq <= after) break;
      if (filter.clientId !== undefined && entry.clientId !== filter.clientId) continue;
      if (endpoint !== undefined && entry.endpoint !== endpoint) continue;
      if (filter.status !== undefined && entry.resultStatus !== filter.status) continue;
      if (filter.failuresOnly && entry.diagnosis === undefined) continue;
      out.push(summaryOf(entry));
    }
    return out;
  }

  /**
   * Entries of `clientId` whose request or answer body holds one of `ids` as
   * a JSON string (`"PAY…"`, so `pay-1` does not match `pay-10`), newest
   * first. Bodies cut at `maxBodyBytes` are searched as kept.
   */
  touching(clientId: string, ids: readonly string[], limit = 200): RequestSummary[] {
    const needles = ids.filter((id) => id !== '').map((id) => Buffer.from(JSON.stringify(id), 'utf8'));
    const out: RequestSummary[] = [];
    if (needles.length === 0) return out;
    for (let i = 1; i <= this.capacity && out.length < limit; i++) {
      const entry = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (!entry) break;
      if (entry.clientId?.trim() !== clientId) continue;
      if (needles.some((needle) => entry.requestBody.data.includes(needle) || entry.responseBody.data.includes(needle))) out.push(summaryOf(entry));
    }
    return out;
  }

  get(id: string): RequestDetail | undefined {
    const seq = seqOf(id);
    if (seq === undefined || seq > this.seq || seq <= this.seq - this.capacity) return undefined;
    const entry = this.ring[(seq - 1) % this.capacity];
    if (!entry || entry.seq !== seq) return undefined;
    return {
      ...summaryOf(entry),
      request: {
        contentType: entry.contentType ?? null,
        signature: entry.signaturePrefix ?? null,
        signatureHeader: entry.signatureHeader ?? null,
        agentToken: entry.agentToken ?? null,
        userAgent: entry.userAgent ?? null,
        body: bodyView(entry.requestBody),
      },
      response: { headers: responseHeadersView(entry.responseHeaders), body: bodyView(entry.responseBody) },
      diagnosis: entry.diagnosis ?? null,
    };
  }

  /** How many entries are held. */
  get size(): number {
    return Math.min(this.seq, this.capacity);
  }

  clear(): void {
    this.ring.fill(undefined);
    this.clientKeys.clear();
  }

  private add({ request, client, response, durationMs }: AnsweredRequest): void {
    const { headers } = request;
    const result = response.result;
    const signature = readHeader(headers, HEADER.signature);
    const agentToken = readHeader(headers, HEADER.agentToken);
    const seq = ++this.seq;
    const entry: Entry = {
      seq,
      time: this.clock.now(),
      clientId: readHeader(headers, HEADER.clientId),
      method: request.method,
      uri: request.uri,
      endpoint: response.endpoint,
      resultCode: result.resultCode,
      resultStatus: result.resultStatus,
      resultMessage: result.resultMessage,
      durationMs,
      requestTime: readHeader(headers, HEADER.requestTime),
      keyVersion: signature === undefined ? undefined : keyVersionText(signature),
      contentType: readHeader(headers, HEADER.contentType),
      signaturePrefix: signature === undefined ? undefined : signaturePrefix(signature),
      signatureHeader: signature === undefined ? undefined : cutSignatureHeader(signature),
      agentToken: agentToken === undefined ? undefined : maskToken(agentToken),
      userAgent: readHeader(headers, 'user-agent')?.slice(0, USER_AGENT_CHARS),
      requestBody: this.bounded(request.body),
      responseBody: this.bounded(response.body),
      responseHeaders: response.headers,
      diagnosis: undefined,
    };
    if (result.resultStatus !== 'S' && DIAGNOSED_CODES.has(result.resultCode)) {
      entry.diagnosis = diagnose(request, client, result.resultCode, result.resultMessage, this.maxBodyBytes, this.clientKeys);
    }
    if (client) this.remember(client);
    this.ring[(seq - 1) % this.capacity] = entry;
    this.next = seq % this.capacity;
  }

  /** The registry hands out one object per cached client, so this is an identity check on the hot path. */
  private remember(client: ResolvedClient): void {
    if (this.clientKeys.get(client.clientId) === client.merchantKeys) return;
    this.clientKeys.delete(client.clientId);
    this.clientKeys.set(client.clientId, client.merchantKeys);
    if (this.clientKeys.size > REMEMBERED_CLIENTS) this.clientKeys.delete(this.clientKeys.keys().next().value as string);
  }

  /** A reference when small enough (no copy), else a copy of the first bytes (so the big buffer is not retained). */
  private bounded(data: Buffer): Bytes {
    if (data.length <= this.maxBodyBytes) return { data, length: data.length };
    return { data: Buffer.from(data.subarray(0, this.maxBodyBytes)), length: data.length };
  }
}

/**
 * Re-runs the pipeline's header and signature checks for a failed request
 * and says which one failed and what was tried. `code` and `message` are the
 * answer's, for the stages that need no re-check.
 */
export function diagnose(
  request: AnsweredRequest['request'],
  client: ResolvedClient | undefined,
  code: string,
  message: string,
  maxBodyBytes = DEFAULT_REQUEST_LOG_BODY_BYTES,
  /** Public keys of other clients by id, to recognise a signature made with another client's key. */
  otherClients: ReadonlyMap<string, ReadonlyMap<number, KeyObject>> = new Map(),
): Diagnosis {
  const plain = (stage: DiagnosisStage, reason: DiagnosisReason, text = message): Diagnosis => ({ stage, reason, message: text, checked: [], hints: [], causes: [] });
  if (code === 'NO_INTERFACE_DEF') return plain('route', 'NOT_A_SIGNATURE_PROBLEM');
  if (code === 'METHOD_NOT_SUPPORTED') return plain('method', 'NOT_A_SIGNATURE_PROBLEM');
  if (code === 'MEDIA_TYPE_NOT_ACCEPTABLE') return plain('content-type', 'NOT_A_SIGNATURE_PROBLEM');

  const { headers } = request;
  const clientId = readHeader(headers, HEADER.clientId)?.trim();
  if (code === 'PARAM_ILLEGAL' && /^client-id header/.test(message)) {
    return plain('client-id', clientId === undefined || clientId === '' ? 'MISSING_HEADER' : 'MALFORMED_HEADER');
  }
  const time = readHeader(headers, HEADER.requestTime)?.trim();
  if (code === 'PARAM_ILLEGAL' && /^request-time header/.test(message)) {
    return plain('request-time', time === undefined || time === '' ? 'MISSING_HEADER' : 'MALFORMED_HEADER');
  }
  const signatureHeader = readHeader(headers, HEADER.signature);
  if (code === 'PARAM_ILLEGAL' && /^signature header/.test(message)) {
    if (signatureHeader === undefined || signatureHeader.trim() === '') return plain('signature-header', 'MISSING_HEADER');
    const parsed = parseSignatureHeader(signatureHeader);
    const encoding = !parsed.ok && parsed.reason === 'BAD_ENCODING' ? encodingCause(request.uri, headers, request.body, client, signatureHeader) : undefined;
    return {
      ...plain('signature-header', parsed.ok ? 'MALFORMED_HEADER' : parsed.reason, parsed.ok ? message : parsed.message),
      hints: ['expected the form algorithm=RSA256,keyVersion=<n>,signature=<URL-encoded standard base64>; nothing was verified'],
      causes: encoding ? [encoding] : [],
    };
  }
  if (code === 'INVALID_CLIENT') return plain('client', 'UNKNOWN_CLIENT');
  if (code === 'INVALID_CLIENT_STATUS') return plain('client', 'CLIENT_DISABLED');

  // From here on the headers parsed and the client exists (unless a later check failed without them).
  if (clientId === undefined || time === undefined || signatureHeader === undefined || !client) {
    return plain(code === 'INVALID_AGENT_TOKEN' ? 'agent-token' : 'after-authentication', code === 'INVALID_AGENT_TOKEN' ? 'BAD_AGENT_TOKEN' : 'NOT_A_SIGNATURE_PROBLEM');
  }
  const parsed = parseSignatureHeader(signatureHeader);
  if (!parsed.ok) return plain('signature-header', parsed.reason, parsed.message);
  const headerKeyVersion = parsed.header.keyVersion;
  const liveKeyVersions = [...client.merchantKeys.keys()].sort((a, b) => a - b);
  const parts: SignedParts = { method: 'POST', uri: request.uri, clientId, time, body: request.body };
  const checked: string[] = [];
  const causesFor = (keyVersionUsed: number | undefined) => signatureCauses({
    uri: request.uri, headers, body: request.body, clientId, time, signature: parsed.header.signature, headerKeyVersion, keyVersionUsed,
    client, otherClients, maxBodyBytes,
  });
  const tried = (uri: string, keyVersion: number, key: KeyObject): boolean => {
    const ok = verifyParsed({ ...parts, uri }, parsed.header, key).ok;
    checked.push(`POST ${uri} with keyVersion ${keyVersion}: ${ok ? 'verifies' : 'does not verify'}`);
    return ok;
  };

  if (code === 'KEY_NOT_FOUND') {
    const hints: string[] = [];
    let verifies = 0;
    for (const version of liveKeyVersions.slice(0, MAX_VERIFIES)) {
      if (tried(request.uri, version, client.merchantKeys.get(version) as KeyObject)) {
        verifies = version;
        break;
      }
    }
    hints.push(liveKeyVersions.length === 0
      ? `client ${client.clientId} has no live public key: add one (amsgate clients add-key)`
      : `client ${client.clientId} has live key versions ${liveKeyVersions.join(', ')}; the header names ${String(headerKeyVersion)}`);
    if (verifies !== 0) hints.push(`the signature verifies with key version ${verifies}: send keyVersion=${verifies} in the signature header`);
    return {
      stage: 'key', reason: 'KEY_NOT_FOUND', message, headerKeyVersion, liveKeyVersions,
      content: contentView(parts, maxBodyBytes), checked, hints, causes: causesFor(undefined),
    };
  }

  const selected = headerKeyVersion === 'latest' ? liveKeyVersions.at(-1) : headerKeyVersion;
  const selectedKey = selected === undefined ? undefined : client.merchantKeys.get(selected);
  if (selected === undefined || !selectedKey) return plain('key', 'KEY_NOT_FOUND');
  const verified = verifyParsed(parts, parsed.header, selectedKey);
  checked.push(`POST ${request.uri} with keyVersion ${selected}: ${verified.ok ? 'verifies' : 'does not verify'}`);
  if (verified.ok) {
    // The signature is fine: the failure came later (agent token, rate limit, body, business rules).
    return {
      stage: code === 'INVALID_AGENT_TOKEN' ? 'agent-token' : 'after-authentication',
      reason: code === 'INVALID_AGENT_TOKEN' ? 'BAD_AGENT_TOKEN' : 'NOT_A_SIGNATURE_PROBLEM',
      message, headerKeyVersion, keyVersionUsed: selected, liveKeyVersions, checked, hints: [], causes: [],
    };
  }

  // MISMATCH: try the other path variant and the client's other live keys.
  const hints: string[] = [];
  const otherUri = otherPathVariant(request.uri);
  const uris = otherUri === undefined ? [request.uri] : [request.uri, otherUri];
  const versions = [selected, ...liveKeyVersions.filter((v) => v !== selected)];
  let budget = MAX_VERIFIES;
  let found: { uri: string; keyVersion: number } | undefined;
  search: for (const uri of uris) {
    for (const version of versions) {
      if (uri === request.uri && version === selected) continue;
      if (budget-- <= 0) break search;
      if (tried(uri, version, client.merchantKeys.get(version) as KeyObject)) {
        found = { uri, keyVersion: version };
        break search;
      }
    }
  }
  if (found) {
    if (found.uri !== request.uri) {
      hints.push(`the signature verifies over \`${pathOf(found.uri)}\` but the request came to \`${pathOf(request.uri)}\`: sign the path the request is sent to`);
    }
    if (found.keyVersion !== selected) {
      hints.push(headerKeyVersion === 'latest'
        ? `the signature verifies with key version ${found.keyVersion}; the header names no keyVersion, so the newest (${selected}) was used: send keyVersion=${found.keyVersion}`
        : `the signature verifies with key version ${found.keyVersion}, not ${selected} as the header says: send keyVersion=${found.keyVersion}`);
    }
  } else {
    hints.push(`none of the ${checked.length} combinations checked verifies (${uris.length === 2 ? 'both path variants' : 'the path as requested'} × live key versions ${liveKeyVersions.join(', ')}): `
      + 'the client signed other bytes (compare its content to sign with the content below, byte for byte: method, path and query, client-id, request-time, body) or used a key not registered for this client');
  }
  return {
    stage: 'signature', reason: 'MISMATCH', message: verified.ok ? message : verified.message, headerKeyVersion, keyVersionUsed: selected, liveKeyVersions,
    content: contentView(parts, maxBodyBytes), checked, hints, causes: causesFor(selected),
  };
}

function contentView(parts: SignedParts, maxBodyBytes: number): SignedContentView {
  const content = contentToSign(parts);
  const bodyBytes = typeof parts.body === 'string' ? Buffer.byteLength(parts.body) : parts.body.byteLength;
  const shown = content.length - bodyBytes + Math.min(bodyBytes, maxBodyBytes);
  return {
    escaped: JSON.stringify(content.subarray(0, shown).toString('utf8')),
    bytes: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    truncated: shown < content.length,
  };
}

/** `/ams/api/…` ↔ `/ams/sandbox/api/…`, query kept. */
function otherPathVariant(uri: string): string | undefined {
  if (uri.startsWith('/ams/sandbox/api/')) return `/ams/api/${uri.slice('/ams/sandbox/api/'.length)}`;
  if (uri.startsWith('/ams/api/')) return `/ams/sandbox/api/${uri.slice('/ams/api/'.length)}`;
  return undefined;
}

function pathOf(uri: string): string {
  return uri.split('?')[0] ?? uri;
}

/** `…,signature=abcdefgh… (344 characters)`: the header's form (order, spaces, encoding) without the value. */
function cutSignatureHeader(signature: string): string {
  const at = signature.search(/signature=/i);
  if (at === -1) return signature.slice(0, 64);
  const start = at + 'signature='.length;
  const end = signature.indexOf(',', start);
  const value = signature.slice(start, end === -1 ? undefined : end);
  const rest = end === -1 ? '' : signature.slice(end, end + 64);
  return `${signature.slice(0, Math.min(start, 128))}${value.slice(0, SIGNATURE_PREFIX_CHARS)}… (${value.length} characters)${rest}`;
}

function responseHeadersView(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = name.toLowerCase() === HEADER.signature ? cutSignatureHeader(value) : value;
  return out;
}

function keyVersionText(signature: string): string | undefined {
  const at = signature.search(/keyversion=/i);
  if (at === -1) return undefined;
  const start = at + 'keyversion='.length;
  const end = signature.indexOf(',', start);
  return signature.slice(start, end === -1 ? undefined : end).trim().slice(0, 16);
}

function signaturePrefix(signature: string): string {
  const at = signature.search(/signature=/i);
  const value = at === -1 ? signature : signature.slice(at + 'signature='.length);
  return value.length <= SIGNATURE_PREFIX_CHARS ? value : `${value.slice(0, SIGNATURE_PREFIX_CHARS)}…`;
}

export function maskToken(token: string): string {
  const trimmed = token.trim();
  return `${trimmed.slice(0, Math.min(AGENT_TOKEN_PREFIX_CHARS, Math.floor(trimmed.length / 4)))}… (${trimmed.length} characters, masked)`;
}

function endpointOf(text: string): string {
  const match = AMS_PATH.exec(text);
  return match ? (match[3] ?? '') : text.replace(/^\/+/, '');
}

function seqOf(id: string): number | undefined {
  const match = /^REQ(\d{1,15})$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

function idOf(seq: number): string {
  return `REQ${String(seq).padStart(6, '0')}`;
}

function summaryOf(entry: Entry): RequestSummary {
  return {
    id: idOf(entry.seq),
    time: new Date(entry.time).toISOString(),
    clientId: entry.clientId ?? null,
    method: entry.method,
    path: entry.uri,
    endpoint: entry.endpoint ?? null,
    resultCode: entry.resultCode,
    resultStatus: entry.resultStatus,
    resultMessage: entry.resultMessage,
    durationMs: Math.round(entry.durationMs * 1000) / 1000,
    requestTime: entry.requestTime ?? null,
    keyVersion: entry.keyVersion ?? null,
    failure: entry.diagnosis?.reason ?? null,
  };
}

function bodyView(bytes: Bytes): BodyView {
  return { text: bytes.data.toString('utf8'), bytes: bytes.length, truncated: bytes.data.length < bytes.length };
}
