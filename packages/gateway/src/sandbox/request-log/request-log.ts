/**
 * The sandbox request log: the last N AMS requests the pipeline answered
 * (default 1000, all clients together), in a ring buffer in the serving
 * process, with a diagnosis for every header or signature failure — what a
 * developer needs to see WHY a request failed.
 *
 * Hot path: for a request that passed authentication only small fields are
 * kept (header values already parsed by Node; the bodies' first bytes
 * copied into one preallocated arena, byte-arena.ts, so that no Buffer
 * outlives its request); no hashing, no decoding. Failures of the headers, client, key or signature are diagnosed
 * in two steps, because the client's keys may change afterwards:
 *
 * - when recorded, the cheap checks: re-parsing the headers, verifying with
 *   the key used, opening the signature with the client's live keys (one
 *   RSA public operation each) to try the other path variant and the other
 *   keys — well under a millisecond, on failures only;
 * - when the entry is first read (`get`), what the signature proves went
 *   wrong (`signature-causes.ts`: content variants, up to thousands of
 *   hashes), from the keys and openings as they were when recorded. So the
 *   answer is never held up, nor the event loop blocked, for a developer
 *   who may never open the entry. A request body over `maxBodyBytes`, which
 *   the entry does not keep whole, is analysed right after the answer
 *   instead, so the big buffer is released.
 *
 * A diagnosis that throws never costs the entry: the entry is kept, and
 * `diagnosis failed: <message>` is among its hints.
 *
 * Never shown: agent tokens (masked to a short prefix), signature values
 * (a short prefix only), keys of any kind. Bodies are sandbox data and are
 * kept, truncated to `maxBodyBytes` each, while the arena holds them (4 KiB
 * per entry: only a run of large bodies overwrites an entry's before the
 * ring drops the entry, and the entry then shows no byte kept). The merchant PUBLIC keys of the
 * last clients seen are referenced, so a signature made with another
 * client's key can be recognised (see `signature-causes.ts`); an entry whose
 * causes are not worked out yet references its client, the decoded
 * signature and the whole body until they are.
 */
import { maskCardDataInBody } from '../../products/cards/card-data-mask.js';
import { createHash, type KeyObject } from 'node:crypto';
import { setImmediate } from 'node:timers';
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
import type { Clock } from '../../clock.js';
import { isoTime } from '../../iso-time.js';
import type { ResolvedClient } from '../../auth/client-registry.js';
import { AMS_PATH, pathOf, type AnsweredRequest } from '../../edge/ams-pipeline.js';
import { ByteArena, type KeptBytes } from './byte-arena.js';
import { encodingCause, opensOver, otherPathVariant, signatureCauses, signatureOpener, type SignatureCause } from './signature-causes.js';

export const DEFAULT_REQUEST_LOG_SIZE = 1000;
export const DEFAULT_REQUEST_LOG_BODY_BYTES = 8 * 1024;
/** Arena bytes per ring entry: its request and answer bodies at 2 KiB each (a pay and its answer are about 1 KiB each). */
const ARENA_BYTES_PER_ENTRY = 4 * 1024;

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

const SIGNATURE_PREFIX_CHARS = 8;
const KEY_VERSION_CHARS = 16;
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
  /** SHA-256 of the whole content, hex; null when the body held card data (a digest of a card number gives it away: few numbers share a BIN and last four). */
  sha256: string | null;
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
  /** Signature failures: what the signature itself proves went wrong, and the fix (see `signature-causes.ts`). Worked out when the entry is first read. */
  causes: SignatureCause[];
}

/** A diagnosis as recorded, and the cause analysis still to run (on first read). */
interface PendingDiagnosis {
  diagnosis: Diagnosis;
  causes?: () => SignatureCause[];
}

/** A body as the log keeps it: its first `maxBodyBytes` copied into the log's arena, and its whole length. */
interface Bytes {
  kept: KeptBytes;
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
  /** The cause analysis of `diagnosis`, until it has run (see `settleCauses`). */
  pendingCauses: (() => SignatureCause[]) | undefined;
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
  /** The kept bodies (byte-arena.ts: references to the requests' own Buffers made V8 run a full GC every few seconds). */
  private readonly bodies: ByteArena;
  private readonly ring: (Entry | undefined)[];
  /** The newest entry's sequence number; entry `seq` lives in slot `(seq - 1) % capacity`. */
  private seq = 0;
  private readonly clientKeys = new Map<string, ReadonlyMap<number, KeyObject>>();

  constructor(private readonly clock: Clock, options: RequestLogOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_REQUEST_LOG_SIZE;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_REQUEST_LOG_BODY_BYTES;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new RangeError('the request log size must be a positive integer');
    if (!Number.isInteger(this.maxBodyBytes) || this.maxBodyBytes < 0) throw new RangeError('the request log body bound must be a non-negative integer');
    this.ring = new Array<Entry | undefined>(this.capacity);
    // Room for two bodies of 2 KiB (request and answer) per entry, and never less than a few whole bounded bodies.
    this.bodies = new ByteArena(Math.max(this.capacity * ARENA_BYTES_PER_ENTRY, 4 * this.maxBodyBytes, 1));
  }

  /**
   * The pipeline's recorder hook, on the request path: keeps small fields
   * and references, and for a failure the cheap part of its diagnosis. A
   * diagnosis that throws is recorded as failed; the entry is always kept.
   */
  record({ request, client, response, durationMs }: AnsweredRequest): void {
    const { headers } = request;
    const result = response.result;
    const signature = readHeader(headers, HEADER.signature);
    const fields = signature === undefined ? undefined : splitSignatureHeader(signature);
    const agentToken = readHeader(headers, HEADER.agentToken);
    const diagnosed = result.resultStatus !== 'S' && DIAGNOSED_CODES.has(result.resultCode)
      ? this.diagnosed(request, client, result.resultCode, result.resultMessage)
      : undefined;
    if (client) this.remember(client);
    const seq = ++this.seq;
    // Card numbers, CVVs and OTPs are masked before anything is kept (products/cards/card-data-mask.ts).
    const keptBody = maskCardDataInBody(request.body);
    const entry: Entry = {
      seq,
      time: this.clock.now(),
      // Trimmed, as the pipeline reads it: the client the request was answered for.
      clientId: readHeader(headers, HEADER.clientId)?.trim(),
      method: request.method,
      uri: request.uri,
      endpoint: response.endpoint,
      resultCode: result.resultCode,
      resultStatus: result.resultStatus,
      resultMessage: result.resultMessage,
      durationMs,
      requestTime: readHeader(headers, HEADER.requestTime),
      keyVersion: fields?.keyVersion?.slice(0, KEY_VERSION_CHARS),
      contentType: readHeader(headers, HEADER.contentType),
      signaturePrefix: fields && signaturePrefix(fields),
      signatureHeader: fields && cutSignatureHeader(fields),
      agentToken: agentToken === undefined ? undefined : maskToken(agentToken),
      userAgent: readHeader(headers, 'user-agent')?.slice(0, USER_AGENT_CHARS),
      requestBody: this.bounded(keptBody),
      responseBody: this.bounded(maskCardDataInBody(response.body)),
      responseHeaders: response.headers,
      diagnosis: diagnosed?.diagnosis,
      pendingCauses: diagnosed?.causes,
    };
    this.ring[(seq - 1) % this.capacity] = entry;
    // The entry keeps only the first bytes of a long body: analyse it now (after the answer), not on first read, so the whole body is released.
    // Likewise for a body whose card data was masked: the analysis holds the bytes as received until it runs.
    if (entry.pendingCauses && (request.body.length > this.maxBodyBytes || keptBody !== request.body)) setImmediate(settleCauses, entry).unref();
  }

  /** Entries newest first. */
  list(filter: RequestFilter = {}): RequestSummary[] {
    const limit = filter.limit ?? 50;
    const endpoint = filter.endpoint === undefined ? undefined : endpointOf(filter.endpoint);
    const after = filter.after === undefined ? 0 : seqOf(filter.after) ?? 0;
    const out: RequestSummary[] = [];
    for (const entry of this.newestFirst()) {
      if (out.length >= limit || entry.seq <= after) break;
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
    for (const entry of this.newestFirst()) {
      if (out.length >= limit) break;
      if (entry.clientId !== clientId) continue;
      const request = this.bodies.read(entry.requestBody.kept);
      const answer = this.bodies.read(entry.responseBody.kept);
      if (needles.some((needle) => request?.includes(needle) || answer?.includes(needle))) out.push(summaryOf(entry));
    }
    return out;
  }

  get(id: string): RequestDetail | undefined {
    const seq = seqOf(id);
    if (seq === undefined || seq > this.seq || seq <= this.seq - this.capacity) return undefined;
    const entry = this.ring[(seq - 1) % this.capacity];
    if (!entry || entry.seq !== seq) return undefined;
    settleCauses(entry);
    return {
      ...summaryOf(entry),
      request: {
        contentType: entry.contentType ?? null,
        signature: entry.signaturePrefix ?? null,
        signatureHeader: entry.signatureHeader ?? null,
        agentToken: entry.agentToken ?? null,
        userAgent: entry.userAgent ?? null,
        body: this.bodyView(entry.requestBody),
      },
      response: { headers: responseHeadersView(entry.responseHeaders), body: this.bodyView(entry.responseBody) },
      diagnosis: entry.diagnosis ?? null,
    };
  }

  /** How many entries are held. */
  get size(): number {
    return Math.min(this.seq, this.capacity);
  }

  /** The entries held, newest first. */
  private *newestFirst(): Generator<Entry> {
    for (let seq = this.seq; seq > 0 && seq > this.seq - this.capacity; seq--) {
      const entry = this.ring[(seq - 1) % this.capacity];
      if (!entry) return;
      yield entry;
    }
  }

  /** The cheap part of a failure's diagnosis; one that throws is recorded as failed, never dropping the entry. */
  private diagnosed(request: AnsweredRequest['request'], client: ResolvedClient | undefined, code: string, message: string): PendingDiagnosis {
    try {
      return diagnoseLater(request, client, code, message, this.maxBodyBytes, this.clientKeys);
    } catch (error) {
      const [stage, reason] = stageOfAnswer(code, message);
      return { diagnosis: { stage, reason, message, checked: [], hints: [failureHint(error)], causes: [] } };
    }
  }

  /** The registry hands out one object per cached client, so this is an identity check on the hot path. */
  private remember(client: ResolvedClient): void {
    if (this.clientKeys.get(client.clientId) === client.merchantKeys) return;
    this.clientKeys.delete(client.clientId);
    this.clientKeys.set(client.clientId, client.merchantKeys);
    if (this.clientKeys.size > REMEMBERED_CLIENTS) this.clientKeys.delete(this.clientKeys.keys().next().value as string);
  }

  /** The first `maxBodyBytes`, copied into the arena. */
  private bounded(data: Buffer): Bytes {
    return { kept: this.bodies.keep(data.length <= this.maxBodyBytes ? data : data.subarray(0, this.maxBodyBytes)), length: data.length };
  }

  /** A body overwritten in the arena since (many large bodies after it) reads as none of its bytes kept. */
  private bodyView(bytes: Bytes): BodyView {
    const kept = this.bodies.read(bytes.kept);
    if (kept === undefined) return { text: '', bytes: bytes.length, truncated: bytes.length > 0 };
    return { text: kept.toString('utf8'), bytes: bytes.length, truncated: kept.length < bytes.length };
  }
}

/**
 * Re-runs the pipeline's header and signature checks for a failed request
 * and says which one failed, what was tried, and what the signature proves
 * (`causes`). `code` and `message` are the answer's, for the stages that
 * need no re-check.
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
  const { diagnosis, causes } = diagnoseLater(request, client, code, message, maxBodyBytes, otherClients);
  return causes ? withCauses(diagnosis, causes) : diagnosis;
}

/**
 * `diagnose` in two steps: the checks now (a few RSA public operations at
 * most), the cause analysis as a function to run later, which holds only
 * what it needs (not the request's headers: they carry the agent token).
 */
function diagnoseLater(
  request: AnsweredRequest['request'],
  client: ResolvedClient | undefined,
  code: string,
  message: string,
  maxBodyBytes: number,
  otherClients: ReadonlyMap<string, ReadonlyMap<number, KeyObject>>,
): PendingDiagnosis {
  const plain = (stage: DiagnosisStage, reason: DiagnosisReason, text = message): PendingDiagnosis => ({ diagnosis: { stage, reason, message: text, checked: [], hints: [], causes: [] } });
  // The answer names the failed check; the header checks are told apart further by what was sent.
  const [answeredStage, answeredReason] = stageOfAnswer(code, message);
  if (answeredStage === 'route' || answeredStage === 'method' || answeredStage === 'content-type' || answeredStage === 'client') {
    return plain(answeredStage, answeredReason);
  }

  const { headers, uri, body } = request;
  const rawClientId = readHeader(headers, HEADER.clientId);
  const clientId = rawClientId?.trim();
  if (answeredStage === 'client-id') return plain('client-id', clientId === undefined || clientId === '' ? 'MISSING_HEADER' : 'MALFORMED_HEADER');
  const rawTime = readHeader(headers, HEADER.requestTime);
  const time = rawTime?.trim();
  if (answeredStage === 'request-time') return plain('request-time', time === undefined || time === '' ? 'MISSING_HEADER' : 'MALFORMED_HEADER');
  const signatureHeader = readHeader(headers, HEADER.signature);
  if (answeredStage === 'signature-header') {
    if (signatureHeader === undefined || signatureHeader.trim() === '') return plain('signature-header', 'MISSING_HEADER');
    const parsed = parseSignatureHeader(signatureHeader);
    // A value that decodes but was refused as not URL-encoded (a raw "/" or "=") is an encoding problem too.
    const reason = parsed.ok ? (/not URL-encoded/.test(message) ? 'BAD_ENCODING' : 'MALFORMED_HEADER') : parsed.reason;
    const { diagnosis } = plain('signature-header', reason, parsed.ok ? message : parsed.message);
    diagnosis.hints.push('expected the form algorithm=RSA256,keyVersion=<n>,signature=<URL-encoded standard base64>; nothing was verified');
    const value = splitSignatureHeader(signatureHeader).value?.text;
    if (reason !== 'BAD_ENCODING' || value === undefined) return { diagnosis };
    return {
      diagnosis,
      causes: () => {
        const cause = encodingCause({ value, uri, clientId, time, body, client });
        return cause ? [cause] : [];
      },
    };
  }

  // From here on the headers parsed and the client exists (unless a later check failed without them).
  if (clientId === undefined || time === undefined || signatureHeader === undefined || !client) {
    return plain(code === 'INVALID_AGENT_TOKEN' ? 'agent-token' : 'after-authentication', code === 'INVALID_AGENT_TOKEN' ? 'BAD_AGENT_TOKEN' : 'NOT_A_SIGNATURE_PROBLEM');
  }
  const parsed = parseSignatureHeader(signatureHeader);
  if (!parsed.ok) return plain('signature-header', parsed.reason, parsed.message);
  const { signature, keyVersion: headerKeyVersion } = parsed.header;
  const liveKeyVersions = [...client.merchantKeys.keys()].sort((a, b) => a - b);
  const parts: SignedParts = { method: 'POST', uri, clientId, time, body };
  const checked: string[] = [];
  // One opening per key, shared by the checks below and the cause analysis.
  const open = signatureOpener(signature);
  const causesFor = (keyVersionUsed: number | undefined) => {
    // A snapshot: the log's map of clients seen changes with every request.
    const others = [...otherClients];
    const host = readHeader(headers, 'host');
    return () => signatureCauses({
      uri, received: { clientId: rawClientId, time: rawTime, host }, body, clientId, time, signature, open, headerKeyVersion, keyVersionUsed,
      client, otherClients: others, maxBodyBytes,
    });
  };
  const tried = (candidate: string, keyVersion: number, key: KeyObject): boolean => {
    const ok = opensOver(open(key), { ...parts, uri: candidate });
    checked.push(`POST ${candidate} with keyVersion ${keyVersion}: ${ok ? 'verifies' : 'does not verify'}`);
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
      diagnosis: {
        stage: 'key', reason: 'KEY_NOT_FOUND', message, headerKeyVersion, liveKeyVersions,
        content: contentView(parts, maxBodyBytes), checked, hints, causes: [],
      },
      causes: causesFor(undefined),
    };
  }

  const selected = headerKeyVersion === 'latest' ? liveKeyVersions.at(-1) : headerKeyVersion;
  const selectedKey = selected === undefined ? undefined : client.merchantKeys.get(selected);
  if (selected === undefined || !selectedKey) return plain('key', 'KEY_NOT_FOUND');
  // Verified as the pipeline did (its message is the one to show); the other combinations below are checked from openings.
  const verified = verifyParsed(parts, parsed.header, selectedKey);
  checked.push(`POST ${uri} with keyVersion ${selected}: ${verified.ok ? 'verifies' : 'does not verify'}`);
  if (verified.ok) {
    // The signature is fine: the failure came later (agent token, rate limit, body, business rules).
    return {
      diagnosis: {
        stage: code === 'INVALID_AGENT_TOKEN' ? 'agent-token' : 'after-authentication',
        reason: code === 'INVALID_AGENT_TOKEN' ? 'BAD_AGENT_TOKEN' : 'NOT_A_SIGNATURE_PROBLEM',
        message, headerKeyVersion, keyVersionUsed: selected, liveKeyVersions, checked, hints: [], causes: [],
      },
    };
  }

  // MISMATCH: try the other path variant and the client's other live keys.
  const hints: string[] = [];
  const otherUri = otherPathVariant(uri);
  const uris = otherUri === undefined ? [uri] : [uri, otherUri];
  const versions = [selected, ...liveKeyVersions.filter((v) => v !== selected)];
  let budget = MAX_VERIFIES;
  let found: { uri: string; keyVersion: number } | undefined;
  search: for (const candidate of uris) {
    for (const version of versions) {
      if (candidate === uri && version === selected) continue;
      if (budget-- <= 0) break search;
      if (tried(candidate, version, client.merchantKeys.get(version) as KeyObject)) {
        found = { uri: candidate, keyVersion: version };
        break search;
      }
    }
  }
  if (found) {
    if (found.uri !== uri) {
      hints.push(`the signature verifies over \`${pathOf(found.uri)}\` but the request came to \`${pathOf(uri)}\`: sign the path the request is sent to`);
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
    diagnosis: {
      stage: 'signature', reason: 'MISMATCH', message: verified.message, headerKeyVersion, keyVersionUsed: selected, liveKeyVersions,
      content: contentView(parts, maxBodyBytes), checked, hints, causes: [],
    },
    causes: causesFor(selected),
  };
}

/** Runs an entry's pending cause analysis once, keeping the result (or its failure) on the entry. */
function settleCauses(entry: Entry): void {
  const causes = entry.pendingCauses;
  if (!causes || !entry.diagnosis) return;
  entry.pendingCauses = undefined;
  entry.diagnosis = withCauses(entry.diagnosis, causes);
}

function withCauses(diagnosis: Diagnosis, causes: () => SignatureCause[]): Diagnosis {
  try {
    return { ...diagnosis, causes: causes() };
  } catch (error) {
    return { ...diagnosis, hints: [...diagnosis.hints, failureHint(error)] };
  }
}

function failureHint(error: unknown): string {
  return `diagnosis failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** The failed check as the answer alone tells it (the first step of a diagnosis, and all of one that could not re-run the checks). */
function stageOfAnswer(code: string, message: string): [DiagnosisStage, DiagnosisReason] {
  switch (code) {
    case 'NO_INTERFACE_DEF': return ['route', 'NOT_A_SIGNATURE_PROBLEM'];
    case 'METHOD_NOT_SUPPORTED': return ['method', 'NOT_A_SIGNATURE_PROBLEM'];
    case 'MEDIA_TYPE_NOT_ACCEPTABLE': return ['content-type', 'NOT_A_SIGNATURE_PROBLEM'];
    case 'INVALID_CLIENT': return ['client', 'UNKNOWN_CLIENT'];
    case 'INVALID_CLIENT_STATUS': return ['client', 'CLIENT_DISABLED'];
    case 'KEY_NOT_FOUND': return ['key', 'KEY_NOT_FOUND'];
    // A value sent without URL-encoding is refused as INVALID_SIGNATURE before anything is verified: a header problem.
    case 'INVALID_SIGNATURE': return /^signature header/.test(message) ? ['signature-header', 'BAD_ENCODING'] : ['signature', 'MISMATCH'];
    case 'INVALID_AGENT_TOKEN': return ['agent-token', 'BAD_AGENT_TOKEN'];
    default:
      if (/^client-id header/.test(message)) return ['client-id', 'MALFORMED_HEADER'];
      if (/^request-time header/.test(message)) return ['request-time', 'MALFORMED_HEADER'];
      if (/^signature header/.test(message)) return ['signature-header', 'MALFORMED_HEADER'];
      return ['after-authentication', 'NOT_A_SIGNATURE_PROBLEM'];
  }
}

function contentView(parts: SignedParts, maxBodyBytes: number): SignedContentView {
  const content = contentToSign(parts);
  const body = typeof parts.body === 'string' ? Buffer.from(parts.body) : Buffer.from(parts.body.buffer, parts.body.byteOffset, parts.body.byteLength);
  // Shown with card data masked, like the kept body; its length and digest are those of the content as signed.
  const masked = maskCardDataInBody(body);
  const shownContent = masked === body ? content : contentToSign({ ...parts, body: masked });
  const shown = shownContent.length - masked.byteLength + Math.min(masked.byteLength, maxBodyBytes);
  return {
    escaped: JSON.stringify(shownContent.subarray(0, shown).toString('utf8')),
    bytes: content.length,
    sha256: masked === body ? createHash('sha256').update(content).digest('hex') : null,
    truncated: shown < shownContent.length,
  };
}


/** A signature header and where its parts lie, as the protocol's tolerant parser splits it. */
interface SignatureHeaderFields {
  header: string;
  /** The keyVersion part's value as sent (spaces around removed). */
  keyVersion: string | undefined;
  /** The signature part's value as sent (spaces around removed), and where it lies in the header. */
  value: { text: string; start: number; end: number } | undefined;
}

/**
 * The one splitter of signature headers here (the log's fields, the cut
 * header shown, the encoding diagnosis): `name=value` parts separated by
 * commas, names in any case, spaces around names and values, the first part
 * of each name — the split `parseSignatureHeader` makes, without decoding
 * anything, since every request's header passes here.
 */
function splitSignatureHeader(header: string): SignatureHeaderFields {
  let keyVersion: string | undefined;
  let value: SignatureHeaderFields['value'];
  for (let start = 0; start <= header.length;) {
    const comma = header.indexOf(',', start);
    const end = comma === -1 ? header.length : comma;
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end) {
      const name = header.slice(start, eq).trim().toLowerCase();
      if (name === 'keyversion' && keyVersion === undefined) keyVersion = header.slice(eq + 1, end).trim();
      if (name === 'signature' && value === undefined) value = trimmedPart(header, eq + 1, end);
    }
    start = end + 1;
  }
  return { header, keyVersion, value };
}

function trimmedPart(text: string, start: number, end: number): NonNullable<SignatureHeaderFields['value']> {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { text: text.slice(start, end), start, end };
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** `…,signature=abcdefgh… (344 characters)`: the header's form (order, spaces, encoding) without the value. */
function cutSignatureHeader({ header, value }: SignatureHeaderFields): string {
  if (value === undefined) return header.slice(0, 64);
  return `${header.slice(0, Math.min(value.start, 128))}${value.text.slice(0, SIGNATURE_PREFIX_CHARS)}… (${value.text.length} characters)${header.slice(value.end, value.end + 64)}`;
}

function responseHeadersView(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = name.toLowerCase() === HEADER.signature ? cutSignatureHeader(splitSignatureHeader(value)) : value;
  return out;
}

/** The first characters of the signature value (of the whole header when it has no signature part). */
function signaturePrefix({ header, value }: SignatureHeaderFields): string {
  const text = value?.text ?? header;
  return text.length <= SIGNATURE_PREFIX_CHARS ? text : `${text.slice(0, SIGNATURE_PREFIX_CHARS)}…`;
}

export function maskToken(token: string): string {
  const trimmed = token.trim();
  return `${trimmed.slice(0, Math.min(AGENT_TOKEN_PREFIX_CHARS, Math.floor(trimmed.length / 4)))}… (${trimmed.length} characters, masked)`;
}

function endpointOf(text: string): string {
  const match = AMS_PATH.exec(text);
  return match ? (match[2] ?? '') : text.replace(/^\/+/, '');
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
    time: isoTime(entry.time),
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

