/**
 * The core every endpoint method goes through: serialise once, sign, send
 * with a timeout, verify, classify, retry where safe. Typed methods live in
 * `client.ts`; this file knows nothing about particular endpoints beyond
 * the policy it is handed.
 */
import { HEADER } from '@amsgate/protocol';
import { deadline, sleep, throwIfAborted } from './abort.js';
import type { Answer } from './answer.js';
import type { AnswerBody } from './answer-body.js';
import { checkMaxRetries, checkTimeoutMs, type ClientConfig } from './config.js';
import { endpointUri, type EndpointPolicy } from './endpoints.js';
import { AntomTransportError, TimeoutError, type AntomError } from './errors.js';
import type { Exchange, SignedRequest } from './exchange.js';
import { serializeBody, signRequest } from './request-signer.js';
import { verifyAnswer } from './response-verifier.js';
import { backoffDelay, deliveryOf, isRetryable, type AttemptFailure } from './retry-policy.js';

/** Options for one call; each overrides the client's setting. */
export interface CallOptions {
  /** Aborts the call, backoff waits included; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Per attempt. */
  timeoutMs?: number;
  maxRetries?: number;
}

export type RawAnswer = Answer<AnswerBody, AnswerBody>;

type AttemptOutcome =
  | { readonly answer: RawAnswer }
  | { readonly failure: AttemptFailure; readonly error: AntomError };

export class Requester {
  constructor(private readonly config: ClientConfig) {}

  /** The request path an endpoint is called at, for this client (sandbox or not). */
  uriOf(endpoint: string): string {
    return endpointUri(endpoint, this.config.sandbox);
  }

  /** Signs a request without sending it (for `curl`, logs, debugging). */
  prepare(endpoint: string, body: unknown): Promise<SignedRequest> {
    return signRequest(this.config, this.uriOf(endpoint), serializeBody(body));
  }

  async send(endpoint: string, body: unknown, policy: EndpointPolicy, options: CallOptions = {}): Promise<RawAnswer> {
    const uri = this.uriOf(endpoint);
    const serialized = serializeBody(body);
    // A call's own settings are held to the client's rules.
    const maxRetries = options.maxRetries === undefined ? this.config.retry.maxRetries : checkMaxRetries(options.maxRetries);
    const timeoutMs = options.timeoutMs === undefined ? this.config.timeoutMs : checkTimeoutMs(options.timeoutMs);
    const { signal } = options;

    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      const request = await signRequest(this.config, uri, serialized);
      const outcome = await this.attempt(request, serialized, timeoutMs, attempt, signal);
      const mayRetry = attempt <= maxRetries;
      if ('answer' in outcome) {
        const { answer } = outcome;
        const retry = answer.resultStatus === 'U' && mayRetry
          && isRetryable({ kind: 'unknown-answer', resultCode: answer.result.resultCode }, policy.idempotent);
        if (!retry) return answer;
      } else if (!mayRetry || !isRetryable(outcome.failure, policy.idempotent)) {
        throw outcome.error;
      }
      await sleep(backoffDelay(attempt, this.config.retry), signal);
    }
  }

  private async attempt(
    sent: SignedRequest,
    body: string,
    timeoutMs: number,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<AttemptOutcome> {
    const timer = deadline(timeoutMs, signal);
    // What answers and errors carry (and so what ends up in logs): the request without its agent token.
    const request = withoutAgentToken(sent);
    let status: number;
    let headers: Headers;
    let raw: Buffer;
    try {
      const response = await this.config.fetch(sent.url, {
        method: 'POST',
        headers: sent.headers,
        body,
        signal: timer.signal,
        // A redirected POST is not the call that was signed: report it, never follow it.
        redirect: 'manual',
      });
      status = response.status;
      headers = response.headers;
      raw = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      if (timer.expired()) return { failure: { kind: 'timeout' }, error: new TimeoutError(timeoutMs, { request, attempts: attempt }) };
      throwIfAborted(signal);
      return {
        failure: { kind: 'network', delivered: deliveryOf(error) },
        error: new AntomTransportError('NETWORK', `No answer from ${request.url}: ${describeNetworkError(error)}`, { request, attempts: attempt, cause: error }),
      };
    } finally {
      timer.clear();
    }

    const text = raw.toString('utf8');
    if (status !== 200) {
      return {
        failure: { kind: 'http-status', status },
        error: new AntomTransportError('HTTP_STATUS', `HTTP ${status} from ${request.url}`, { request, attempts: attempt, status, body: text }),
      };
    }
    const exchange: Exchange = { request, response: { status, headers, body: text } };
    const verified = verifyAnswer(this.config, exchange, raw, attempt);
    const result = verified.body.result;
    return {
      answer: {
        resultStatus: result.resultStatus,
        result,
        data: verified.body,
        signature: verified.signature,
        attempts: attempt,
        exchange,
      } as RawAnswer,
    };
  }
}

/** The ISV agent token is a bearer secret: shown as `[redacted]` wherever the request is handed back. */
function withoutAgentToken(request: SignedRequest): SignedRequest {
  if (request.headers[HEADER.agentToken] === undefined) return request;
  return { ...request, headers: { ...request.headers, [HEADER.agentToken]: '[redacted]' } };
}

function describeNetworkError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  if (!cause) return message;
  const code = (cause as { code?: unknown }).code;
  return `${message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
}
