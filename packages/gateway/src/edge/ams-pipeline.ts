/**
 * The AMS request pipeline, free of any HTTP framework: route → headers →
 * client and key version → signature over the raw bytes → JSON → schema →
 * handler → signed response. Every outcome is an HTTP 200 with a JSON
 * `result`; the response is signed whenever the client is known.
 */
import {
  AmsError,
  buildResult,
  checkFreshness,
  formatResponseTime,
  HEADER,
  endpointForRequestPath,
  ENDPOINT_DEFINITIONS,
  JSON_CONTENT_TYPE,
  parseRequestTime,
  parseSignatureHeader,
  readAgentToken,
  readHeader,
  signHeaderAsync,
  toParamIllegal,
  validateRequest,
  verifyParsed,
  type EndpointPath,
  type HeaderSource,
  type Result,
} from '@amsgate/protocol';
import type { Clock } from '../clock.js';
import { selectMerchantKey, type ClientRegistry, type ResolvedClient } from '../auth/client-registry.js';
import type { EndpointAnswer, RunEndpoint } from '../endpoints/route-table.js';
import type { RateLimiter } from './rate-limiter.js';
import { requestTimeFormProblem, signatureHeaderFormProblem, unencodedSignatureProblem } from './request-forms.js';

export interface AmsHttpRequest {
  method: string;
  /** Path plus query string exactly as requested (absolute-form targets already reduced to it). */
  uri: string;
  headers: HeaderSource;
  body: Buffer;
}

export interface AmsHttpResponse {
  headers: Record<string, string>;
  body: Buffer;
  /** For the request log. */
  clientId: string | undefined;
  endpoint: string | undefined;
  /** The definition the path routed to; absent when none did (metrics label by it: never the raw path). */
  route?: EndpointPath;
  result: Result;
}

export interface PipelineOptions {
  clock: Clock;
  registry: ClientRegistry;
  rateLimiter: RateLimiter;
  /** Runs an authenticated, valid request (the route table composed from the products' endpoint modules). */
  run: RunEndpoint;
  /** Reject request-times further than this from now; undefined: no check (Antom documents none). */
  maxClockSkewMs?: number;
  /** Called when a handler throws something that is not an AmsError, or the recorder throws (logged by the server). */
  onUnexpectedError?: (error: unknown) => void;
  /** Sandbox scenario simulation: a result here answers a valid request instead of its handler (nothing is written). */
  scenarios?: { answerFor(clientId: string, endpoint: EndpointPath, body: unknown, now: number): Result | undefined };
  /** Sandbox request log: told once per answered request; it diagnoses failures itself (successes stay cheap). */
  recorder?: { record(answered: AnsweredRequest): void };
  /**
   * Signed answers to requests that did not prove who sent them (a header
   * problem, an unknown key version, a bad signature), per client id. Each
   * costs an RSA signature, and client ids are not secret: beyond this
   * budget such answers go unsigned (the SDKs accept an unsigned F), so
   * nobody can spend the gateway's CPU in a client's name. Verified
   * requests never count. Absent: always signed.
   */
  unverifiedSigning?: RateLimiter;
  /**
   * Resolves the session header of an endpoint that names one
   * (`EndpointDefinition.sessionHeader`: an upload session id) to its
   * client, or undefined when it is unknown or expired. Absent: such
   * requests must be signed.
   */
  sessions?: { clientOf(sessionId: string, now: number): Promise<string | undefined> };
}

/** What the recorder is told: references only, nothing copied. */
export interface AnsweredRequest {
  request: AmsHttpRequest;
  client: ResolvedClient | undefined;
  response: AmsHttpResponse;
  /** Time spent in the pipeline (ms). */
  durationMs: number;
}

/**
 * What an AMS path names, for logs: the version (group 1) and the endpoint
 * (group 2), on the production or the sandbox prefix, however many slashes
 * a client doubled. Routing is exact (`endpointForRequestPath`).
 */
export const AMS_PATH = /^\/+ams\/+(?:sandbox\/+)?api\/+(v[0-9]+)\/+([^?#]*)/;
const CLIENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Rejection extends Error {
  constructor(readonly result: Result) {
    super(result.resultMessage);
  }
}

function reject(code: Parameters<typeof buildResult>[0], message?: string): never {
  throw new Rejection(buildResult(code, message));
}

export class AmsPipeline {
  constructor(private readonly options: PipelineOptions) {}

  /** AMS requests being answered now (the notification dispatcher gives way while there are many). */
  get inFlight(): number {
    return this.answering;
  }

  private answering = 0;

  async handle(request: AmsHttpRequest): Promise<AmsHttpResponse> {
    this.answering++;
    try {
      return await this.answer(request);
    } finally {
      this.answering--;
    }
  }

  private async answer(request: AmsHttpRequest): Promise<AmsHttpResponse> {
    const recorder = this.options.recorder;
    const startedAt = recorder ? performance.now() : 0;
    // HTTP already strips spaces and tabs around a value; anything else around it makes the value malformed.
    const clientIdHeader = readHeader(request.headers, HEADER.clientId);
    const wellFormedClientId = clientIdHeader !== undefined && CLIENT_ID.test(clientIdHeader) ? clientIdHeader : undefined;
    // Known as early as possible, so that even errors about other headers are signed.
    const client = wellFormedClientId === undefined ? undefined : await this.options.registry.get(wellFormedClientId);
    const endpoint = endpointForRequestPath(pathOf(request.uri));

    const proof = { verified: false };
    let body: EndpointAnswer;
    try {
      body = await this.process(request, endpoint, clientIdHeader, client, proof);
    } catch (error) {
      body = { result: this.resultOf(error) };
    }
    const signed = client !== undefined && (proof.verified || this.mayAnswerUnverifiedSigned(client.clientId));
    const response = await this.respond(request.uri, client, signed, body, endpoint);
    if (recorder) {
      // The answer is already decided (a payment may be committed): a failing log must not turn it into a 500.
      try {
        recorder.record({ request, client, response, durationMs: performance.now() - startedAt });
      } catch (error) {
        this.options.onUnexpectedError?.(error);
      }
    }
    return response;
  }

  /**
   * Answers a request the HTTP server refused before the pipeline could read
   * it (a body over the limit): `result`, signed when the `client-id` names
   * a registered client, within its budget for unverified answers like any
   * other refusal of a request that proved nothing.
   */
  async refuse(request: Pick<AmsHttpRequest, 'uri' | 'headers'>, result: Result): Promise<AmsHttpResponse> {
    const clientIdHeader = readHeader(request.headers, HEADER.clientId);
    const client = clientIdHeader !== undefined && CLIENT_ID.test(clientIdHeader) ? await this.options.registry.get(clientIdHeader) : undefined;
    const signed = client !== undefined && this.mayAnswerUnverifiedSigned(client.clientId);
    return this.respond(request.uri, client, signed, { result }, endpointForRequestPath(pathOf(request.uri)));
  }

  private async process(
    request: AmsHttpRequest,
    endpoint: EndpointPath | undefined,
    clientIdHeader: string | undefined,
    client: ResolvedClient | undefined,
    proof: { verified: boolean },
  ): Promise<EndpointAnswer> {
    if (endpoint === undefined) reject('NO_INTERFACE_DEF', `No API is defined at ${pathOf(request.uri)}`);
    if (request.method !== 'POST') reject('METHOD_NOT_SUPPORTED', `${request.method} is not supported; use POST`);
    checkContentType(readHeader(request.headers, HEADER.contentType));
    const sessionHeader = ENDPOINT_DEFINITIONS[endpoint].sessionHeader;
    if (sessionHeader !== undefined && readHeader(request.headers, HEADER.signature) === undefined && readHeader(request.headers, sessionHeader) !== undefined) {
      return this.processBySession(request, endpoint, sessionHeader);
    }

    if (clientIdHeader === undefined || clientIdHeader === '') reject('PARAM_ILLEGAL', 'client-id header is missing');
    if (!CLIENT_ID.test(clientIdHeader)) reject('PARAM_ILLEGAL', 'client-id header is malformed: expected 1 to 64 letters, digits, "_", "-" or "."');
    const requestTime = readHeader(request.headers, HEADER.requestTime);
    if (requestTime === undefined || requestTime.trim() === '') reject('PARAM_ILLEGAL', 'request-time header is missing');
    const parsedTime = parseRequestTime(requestTime);
    if (!parsedTime.ok) reject('PARAM_ILLEGAL', `request-time header is malformed: ${parsedTime.message}`);
    const timeProblem = requestTimeFormProblem(requestTime);
    if (timeProblem !== undefined) reject('PARAM_ILLEGAL', `request-time header is malformed: ${timeProblem}`);
    if (this.options.maxClockSkewMs !== undefined) {
      const fresh = checkFreshness(parsedTime.epochMs, this.options.clock.now(), this.options.maxClockSkewMs);
      if (!fresh.ok) reject('PARAM_ILLEGAL', `request-time header is out of range: ${fresh.message}`);
    }
    const signatureHeader = readHeader(request.headers, HEADER.signature);
    if (signatureHeader === undefined || signatureHeader.trim() === '') reject('PARAM_ILLEGAL', 'signature header is missing');
    const signature = parseSignatureHeader(signatureHeader);
    // A value sent without URL-encoding fails at Antom as a signature that does not verify (its "+" decodes to a space),
    // whether or not it also decodes here; anything else unreadable is a malformed header.
    const unencoded = unencodedSignatureProblem(signatureHeader);
    if (unencoded !== undefined && (signature.ok || signature.reason === 'BAD_ENCODING')) reject('INVALID_SIGNATURE', `signature header is not URL-encoded: ${unencoded}`);
    if (!signature.ok) reject('PARAM_ILLEGAL', `signature header is malformed: ${signature.message}`);
    const formProblem = signatureHeaderFormProblem(signatureHeader);
    if (formProblem !== undefined) reject('PARAM_ILLEGAL', `signature header is malformed: ${formProblem}`);

    if (!client) reject('INVALID_CLIENT', `client-id ${clientIdHeader} is not a registered client`);
    if (client.status !== 'ACTIVE') reject('INVALID_CLIENT_STATUS', `client ${client.clientId} is ${client.status.toLowerCase()}`);
    const merchantKey = selectMerchantKey(client, signature.header.keyVersion);
    if (!merchantKey) {
      reject('KEY_NOT_FOUND', signature.header.keyVersion === 'latest'
        ? `client ${client.clientId} has no active public key`
        : `client ${client.clientId} has no active public key with keyVersion ${signature.header.keyVersion}`);
    }
    const verified = verifyParsed(
      { method: 'POST', uri: request.uri, clientId: clientIdHeader, time: requestTime, body: request.body },
      signature.header,
      merchantKey.key,
    );
    if (!verified.ok) {
      reject('INVALID_SIGNATURE', `${verified.message} (verified with keyVersion ${merchantKey.keyVersion}, over POST ${request.uri})`);
    }
    proof.verified = true;

    const agentToken = readAgentToken(request.headers);
    if (agentToken !== undefined) {
      const actsFor = await this.options.registry.agentTokenClient(agentToken);
      if (actsFor === undefined) reject('INVALID_AGENT_TOKEN', 'agent-token is unknown or revoked');
      if (actsFor !== client.clientId) reject('INVALID_AGENT_TOKEN', `agent-token was not issued for client ${client.clientId}`);
    }
    if (!this.options.rateLimiter.take(client.clientId, this.options.clock.now())) {
      reject('REQUEST_TRAFFIC_EXCEED_LIMIT', `client ${client.clientId} is over its request rate limit; retry later`);
    }

    const json = parseJsonBody(request.body);
    const validated = validateRequest(endpoint, json);
    if (!validated.ok) throw toParamIllegal(validated);
    const simulated = this.options.scenarios?.answerFor(client.clientId, endpoint, validated.value, this.options.clock.now());
    if (simulated) return { result: simulated };

    return this.options.run(endpoint, client.clientId, validated.value);
  }

  /**
   * A request authenticated by its session header instead of a signature
   * (the SDKs' `meter/uploadEvent`): the session names the client; the
   * answer goes unsigned, as the SDKs read it. Everything after
   * authentication is as for a signed request.
   */
  private async processBySession(request: AmsHttpRequest, endpoint: EndpointPath, header: string): Promise<EndpointAnswer> {
    const sessionId = readHeader(request.headers, header) ?? '';
    const now = this.options.clock.now();
    const clientId = this.options.sessions === undefined || sessionId.trim() === '' ? undefined : await this.options.sessions.clientOf(sessionId.trim(), now);
    if (clientId === undefined) reject('PARAM_ILLEGAL', `${header} header names no live session: create one with meter/createSession`);
    const client = await this.options.registry.get(clientId);
    if (!client) reject('INVALID_CLIENT', `the session's client ${clientId} is not registered`);
    if (client.status !== 'ACTIVE') reject('INVALID_CLIENT_STATUS', `client ${client.clientId} is ${client.status.toLowerCase()}`);
    if (!this.options.rateLimiter.take(client.clientId, now)) {
      reject('REQUEST_TRAFFIC_EXCEED_LIMIT', `client ${client.clientId} is over its request rate limit; retry later`);
    }
    const validated = validateRequest(endpoint, parseJsonBody(request.body));
    if (!validated.ok) throw toParamIllegal(validated);
    const simulated = this.options.scenarios?.answerFor(client.clientId, endpoint, validated.value, now);
    if (simulated) return { result: simulated };
    return this.options.run(endpoint, client.clientId, validated.value);
  }

  private mayAnswerUnverifiedSigned(clientId: string): boolean {
    return this.options.unverifiedSigning?.take(clientId, this.options.clock.now()) ?? true;
  }

  private resultOf(error: unknown): Result {
    if (error instanceof Rejection) return error.result;
    if (error instanceof AmsError) return error.toResult();
    this.options.onUnexpectedError?.(error);
    // The outcome is unknown to the caller: U tells it to retry or inquire, never to assume failure.
    return buildResult('UNKNOWN_EXCEPTION', 'The gateway hit an unexpected error; retry the same request or inquire');
  }

  private async respond(uri: string, client: ResolvedClient | undefined, signed: boolean, body: EndpointAnswer, route: EndpointPath | undefined): Promise<AmsHttpResponse> {
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = { 'content-type': JSON_CONTENT_TYPE };
    if (client && signed) {
      const responseTime = formatResponseTime(this.options.clock.now());
      headers[HEADER.clientId] = client.clientId;
      headers[HEADER.responseTime] = responseTime;
      headers[HEADER.signature] = await signHeaderAsync(
        { method: 'POST', uri, clientId: client.clientId, time: responseTime, body: bytes },
        client.signingKey,
        client.signingKeyVersion,
      );
    }
    return { headers, body: bytes, clientId: client?.clientId, endpoint: route ?? AMS_PATH.exec(uri)?.[2], route, result: body.result };
  }
}

/** The request target without its query string. */
export function pathOf(uri: string): string {
  const query = uri.indexOf('?');
  return query < 0 ? uri : uri.slice(0, query);
}

/**
 * JSON only, with no parameter but a charset, which must be UTF-8 (the bytes
 * are verified and parsed as UTF-8). Names and the charset value are
 * case-insensitive and a value may be quoted, as in any HTTP media type.
 */
function checkContentType(value: string | undefined): void {
  if (value === undefined || value.trim() === '') return; // some clients send none; the body decides
  // Node joins a repeated Content-Type (the Java SDK sends two) with ", ": every part must be JSON.
  for (const part of value.split(',')) {
    const [mediaType, ...parameters] = part.split(';').map((p) => p.trim().toLowerCase());
    if (mediaType !== 'application/json') {
      reject('MEDIA_TYPE_NOT_ACCEPTABLE', `Content-Type "${value}" is not acceptable; send application/json; charset=UTF-8`);
    }
    for (const parameter of parameters) {
      const [name, raw] = parameter.split('=').map((p) => p.trim());
      const charset = raw?.replace(/^"(.*)"$/, '$1');
      if (name !== 'charset') {
        reject('MEDIA_TYPE_NOT_ACCEPTABLE', `Content-Type parameter "${(name ?? '').slice(0, 40)}" is not accepted; send application/json; charset=UTF-8`);
      }
      if (charset !== 'utf-8') reject('MEDIA_TYPE_NOT_ACCEPTABLE', `charset "${(charset ?? '').slice(0, 40)}" is not supported; send UTF-8`);
    }
  }
}

function parseJsonBody(body: Buffer): unknown {
  // The decoder would drop it silently; JSON sent over a network must not carry one (RFC 8259 §8.1).
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) reject('PARAM_ILLEGAL', '(body): starts with a byte order mark; send the JSON text without one');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    reject('PARAM_ILLEGAL', '(body): is not valid UTF-8');
  }
  if (text.trim() === '') reject('PARAM_ILLEGAL', '(body): is empty; expected a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    reject('PARAM_ILLEGAL', `(body): is not valid JSON (${(error as Error).message})`);
  }
}
