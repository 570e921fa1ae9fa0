/**
 * What an API call answered, discriminated by `resultStatus`.
 *
 * Only a `Succeeded` answer (and, for an endpoint with an in-process code
 * such as pay, an `Unknown` one, whose "in process" answer carries the new
 * ids) has the endpoint's response fields in `data`; a `Failed` answer's
 * `data` is the `result` alone. So reading `answer.data.paymentId` does not compile until the code
 * has dealt with `F` (and, for most endpoints, `U`).
 */
import type { WireResult } from '@amsgate/protocol';
import type { Exchange } from './exchange.js';

/** The body of an answer that carries nothing but its `result`. */
export interface ResultOnly {
  readonly result: WireResult;
}

interface AnswerMeta {
  readonly result: WireResult;
  /**
   * `verified`: the response signature was checked with the Antom public key.
   * `unsigned`: an F/U answer without signature headers, accepted as the
   * official SDKs do (gateway-generated errors); never an S. Its `data`
   * holds `result` only: no other field of an unsigned body is passed on.
   */
  readonly signature: 'verified' | 'unsigned';
  /** Attempts made, 1 when no retry was needed. */
  readonly attempts: number;
  /** The last attempt's request and response, as they travelled. */
  readonly exchange: Exchange;
}

export interface Succeeded<T> extends AnswerMeta {
  readonly resultStatus: 'S';
  readonly data: T;
}

/** `U`: in process (PAYMENT_IN_PROCESS and the like), or an outcome still unknown after the retries allowed. */
export interface Unknown<T> extends AnswerMeta {
  readonly resultStatus: 'U';
  readonly data: T;
}

/** `F`: the call failed, finally; `result.resultCode` says why. Never retried. */
export interface Failed extends AnswerMeta {
  readonly resultStatus: 'F';
  readonly data: ResultOnly;
}

/** `T`: the response on S; `UData`: what a U answer carries (the `result` alone unless the endpoint has an in-process answer). */
export type Answer<T, UData = ResultOnly> = Succeeded<T> | Unknown<UData> | Failed;

/** The `data` type of an answer's `S` member. */
export type SucceededData<A> = Extract<A, { readonly resultStatus: 'S' }> extends { readonly data: infer T } ? T : never;
