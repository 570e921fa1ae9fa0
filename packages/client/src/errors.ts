/**
 * Every error the client throws. Branch on the class and on its typed
 * fields (`result.resultCode`, `reason`, `kind`, `status`), never on message
 * text. A caller's own `AbortSignal` ends a call with the signal's reason
 * (an `AbortError`), not with one of these.
 */
import type { ResultStatus, WireResult } from '@amsgate/protocol';
import type { Answer, Failed, SucceededData, Unknown } from './answer.js';
import type { Exchange, SignedRequest } from './exchange.js';

export abstract class AntomError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** An `F` or `U` answer where an `S` was required (`unwrap`, `waitForFinal`). The answer was verified. */
export class AntomApiError extends AntomError {
  readonly result: WireResult;
  readonly resultStatus: Exclude<ResultStatus, 'S'>;
  readonly resultCode: string;
  readonly answer: Failed | Unknown<unknown>;

  constructor(answer: Failed | Unknown<unknown>, context?: string) {
    const { result } = answer;
    super(`${context ? `${context}: ` : ''}${result.resultStatus} ${result.resultCode}${result.resultMessage ? ` (${result.resultMessage})` : ''}`);
    this.answer = answer;
    this.result = result;
    this.resultStatus = answer.resultStatus;
    this.resultCode = result.resultCode;
  }
}

/** The response of an `S` answer; throws `AntomApiError` (carrying the answer) for `F` and `U`. */
export function unwrap<A extends Answer<unknown, unknown>>(answer: A): SucceededData<A> {
  if (answer.resultStatus === 'S') return answer.data as SucceededData<A>;
  throw new AntomApiError(answer as Failed | Unknown<unknown>);
}

/**
 * Why a response was refused before anything was returned:
 * - `UNSIGNED_SUCCESS`: no signature headers on an `S` answer.
 * - `UNSIGNED_UNREADABLE`: no signature headers, and no `result` with status F or U to accept.
 * - `INCOMPLETE_SIGNATURE_HEADERS`: only one of `signature` / `response-time`.
 * - `CLIENT_ID_MISMATCH`: the response names another client.
 * - `MALFORMED_HEADER`, `UNKNOWN_ALGORITHM`, `BAD_ENCODING`: the `signature` header cannot be read.
 * - `MISMATCH`: the signature does not verify with the Antom public key (wrong key, altered body or headers).
 */
export type ResponseSignatureFailure =
  | 'UNSIGNED_SUCCESS'
  | 'UNSIGNED_UNREADABLE'
  | 'INCOMPLETE_SIGNATURE_HEADERS'
  | 'CLIENT_ID_MISMATCH'
  | 'MALFORMED_HEADER'
  | 'UNKNOWN_ALGORITHM'
  | 'BAD_ENCODING'
  | 'MISMATCH';

/** A response that is not provably from Antom. Never retried: whatever produced it would likely produce it again. */
export class SignatureVerificationError extends AntomError {
  readonly reason: ResponseSignatureFailure;
  /** What was sent and received: enough to rebuild the content verified. */
  readonly exchange: Exchange;
  readonly attempts: number;

  constructor(reason: ResponseSignatureFailure, message: string, exchange: Exchange, attempts: number) {
    super(`Response to ${exchange.request.uri} refused (${reason}): ${message}`);
    this.reason = reason;
    this.exchange = exchange;
    this.attempts = attempts;
  }
}

/**
 * - `HTTP_STATUS`: an answer other than HTTP 200 (`status`, `bodyExcerpt`).
 * - `NETWORK`: no answer (connection refused or reset, DNS, TLS; `cause` has the platform error).
 * - `INVALID_RESPONSE`: a verified HTTP 200 whose body is not an AMS answer (no JSON `result`).
 * - `TIMEOUT`: see `TimeoutError`.
 */
export type TransportFailure = 'HTTP_STATUS' | 'NETWORK' | 'INVALID_RESPONSE' | 'TIMEOUT';

export const BODY_EXCERPT_LENGTH = 500;

/** The call did not produce an AMS answer. For pay/refund/capture the outcome is unknown: inquire, or resend the same request. */
export class AntomTransportError extends AntomError {
  readonly kind: TransportFailure;
  /** HTTP status, when a response came. */
  readonly status: number | undefined;
  /** The start of the response body, when one came. */
  readonly bodyExcerpt: string | undefined;
  readonly request: SignedRequest;
  readonly attempts: number;

  constructor(
    kind: TransportFailure,
    message: string,
    details: { request: SignedRequest; attempts: number; status?: number; body?: string; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.bodyExcerpt = details.body === undefined ? undefined : excerpt(details.body);
    this.request = details.request;
    this.attempts = details.attempts;
  }
}

/** No complete answer within `timeoutMs` (per attempt) on the last attempt. */
export class TimeoutError extends AntomTransportError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, details: { request: SignedRequest; attempts: number }) {
    super('TIMEOUT', `No answer from ${details.request.url} within ${timeoutMs} ms (attempt ${details.attempts})`, details);
    this.timeoutMs = timeoutMs;
  }
}

function excerpt(body: string): string {
  return body.length > BODY_EXCERPT_LENGTH ? `${body.slice(0, BODY_EXCERPT_LENGTH)}…` : body;
}
