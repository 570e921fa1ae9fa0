/**
 * Waiting for a payment whose result is not known yet, as Antom's in-store
 * guidance describes (spec in-store.md §6): inquire every few seconds until
 * the status is final; when time is up and the caller allows it, cancel,
 * and count the payment as failed only once the cancel succeeded.
 */
import type { CancelResponse, InquiryPaymentResponse, PaymentStatus } from '@amsgate/protocol';
import { deadline, sleep } from './abort.js';
import type { Answer } from './answer.js';
import { MAX_TIMER_MS } from './config.js';
import { AntomApiError, AntomTransportError } from './errors.js';
import type { CallOptions } from './requester.js';

export interface WaitForFinalOptions {
  /** Default 3 000: the in-store guidance inquires every 3 s. */
  pollEveryMs?: number;
  /** How long to poll; default 60 000 (20 inquiries at 3 s). */
  timeoutMs?: number;
  /** Cancel the payment when it is still not final after `timeoutMs`. Default false: cancelling is the caller's decision. */
  cancelOnTimeout?: boolean;
  signal?: AbortSignal;
}

export type FinalStatus = 'SUCCESS' | 'FAIL' | 'CANCELLED';

/** An inquiry found the payment in a final state. */
export interface FinalByInquiry {
  readonly outcome: 'final';
  readonly paymentStatus: FinalStatus;
  readonly inquiry: InquiryPaymentResponse;
  readonly polls: number;
}

/** Still not final at the deadline, and this call cancelled it (`cancelOnTimeout`). */
export interface CancelledOnTimeout {
  readonly outcome: 'cancelled';
  readonly paymentStatus: 'CANCELLED';
  readonly cancel: CancelResponse;
  readonly polls: number;
}

/** Still not final: not cancelled (not asked to, or the cancel did not succeed). Do not treat the payment as failed. */
export interface StillUnknown {
  readonly outcome: 'unknown';
  /** The last status an inquiry reported, if any did. */
  readonly paymentStatus: Exclude<PaymentStatus, FinalStatus> | undefined;
  readonly lastInquiry: InquiryPaymentResponse | undefined;
  /** The last transport failure while polling, if the last poll failed. */
  readonly lastError: AntomTransportError | undefined;
  /** The cancel's answer when one was attempted (F: e.g. CANCEL_WINDOW_EXCEED; U: unknown after retries). */
  readonly cancelAnswer: Answer<CancelResponse> | undefined;
  readonly polls: number;
}

export type FinalPaymentOutcome = FinalByInquiry | CancelledOnTimeout | StillUnknown;

/** What `waitForFinal` needs of a client. */
export interface PaymentOperations {
  inquiryPayment(request: { paymentId: string }, options?: CallOptions): Promise<Answer<InquiryPaymentResponse>>;
  cancel(request: { paymentId: string }, options?: CallOptions): Promise<Answer<CancelResponse>>;
}

const FINAL: ReadonlySet<string> = new Set<FinalStatus>(['SUCCESS', 'FAIL', 'CANCELLED']);

/** The outcome when the inquiry reports a final status; undefined while the payment is still open. */
function finalByInquiry(inquiry: InquiryPaymentResponse, polls: number): FinalByInquiry | undefined {
  const status = inquiry.paymentStatus;
  return status !== undefined && FINAL.has(status) ? { outcome: 'final', paymentStatus: status as FinalStatus, inquiry, polls } : undefined;
}

/**
 * An inquiry's `S` must be about the payment asked for: a signed answer for
 * another payment of ours (replayed by something on the path) verifies just
 * as well, and must never decide this one's outcome. A mismatch is an
 * `INVALID_RESPONSE` transport failure: polling goes on.
 */
function checkAnswersFor(paymentId: string, answer: Answer<InquiryPaymentResponse>): Answer<InquiryPaymentResponse> {
  if (answer.resultStatus !== 'S' || answer.data.paymentId === paymentId) return answer;
  const { request, response } = answer.exchange;
  throw new AntomTransportError(
    'INVALID_RESPONSE',
    `inquiryPayment for ${paymentId} answered about payment ${answer.data.paymentId ?? '(none)'}; not taken as its outcome`,
    { request, attempts: answer.attempts, status: response.status, body: response.body },
  );
}

/**
 * Rejects with `AntomApiError` when an inquiry answers `F` (e.g. ORDER_NOT_EXIST:
 * there is nothing to wait for), with `SignatureVerificationError` on a forged
 * answer, and with the signal's reason when `signal` aborts. Transport
 * failures while polling are tolerated until the deadline.
 */
export async function waitForFinal(client: PaymentOperations, paymentId: string, options: WaitForFinalOptions = {}): Promise<FinalPaymentOutcome> {
  const pollEveryMs = options.pollEveryMs ?? 3_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (!(pollEveryMs >= 0 && pollEveryMs <= MAX_TIMER_MS) || !(timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
    throw new RangeError(`pollEveryMs must be from 0 and timeoutMs from 1 to ${MAX_TIMER_MS} ms`);
  }
  const { signal } = options;

  let polls = 0;
  let lastInquiry: InquiryPaymentResponse | undefined;
  let lastError: AntomTransportError | undefined;
  const wait = deadline(timeoutMs, signal);
  try {
    for (;;) {
      polls += 1;
      try {
        const answer = checkAnswersFor(paymentId, await client.inquiryPayment({ paymentId }, { signal: wait.signal }));
        if (answer.resultStatus === 'F') throw new AntomApiError(answer, `inquiryPayment ${paymentId}`);
        lastError = undefined;
        if (answer.resultStatus === 'S') {
          lastInquiry = answer.data;
          const final = finalByInquiry(answer.data, polls);
          if (final) return final;
        }
      } catch (error) {
        if (error instanceof AntomTransportError) lastError = error;
        else if (wait.expired() && error === wait.signal.reason) break;
        else throw error;
      }
      try {
        await sleep(pollEveryMs, wait.signal);
      } catch (error) {
        if (wait.expired() && error === wait.signal.reason) break;
        throw error;
      }
    }
  } finally {
    wait.clear();
  }

  const stillUnknown = (cancelAnswer: Answer<CancelResponse> | undefined, inquiry = lastInquiry): StillUnknown => ({
    outcome: 'unknown',
    paymentStatus: inquiry?.paymentStatus as StillUnknown['paymentStatus'],
    lastInquiry: inquiry,
    lastError,
    cancelAnswer,
    polls,
  });
  if (!options.cancelOnTimeout) return stillUnknown(undefined);

  let cancelAnswer: Answer<CancelResponse>;
  try {
    cancelAnswer = await client.cancel({ paymentId }, { signal });
  } catch (error) {
    if (!(error instanceof AntomTransportError)) throw error;
    lastError = error;
    return stillUnknown(undefined);
  }
  if (cancelAnswer.resultStatus === 'S') return { outcome: 'cancelled', paymentStatus: 'CANCELLED', cancel: cancelAnswer.data, polls };
  if (cancelAnswer.resultStatus === 'F') {
    // Refused, e.g. because the payment became final meanwhile (ORDER_STATUS_INVALID): look once more.
    polls += 1;
    try {
      const answer = checkAnswersFor(paymentId, await client.inquiryPayment({ paymentId }, { signal }));
      if (answer.resultStatus === 'S') return finalByInquiry(answer.data, polls) ?? stillUnknown(cancelAnswer, answer.data);
    } catch (error) {
      if (!(error instanceof AntomTransportError)) throw error;
      lastError = error;
    }
  }
  return stillUnknown(cancelAnswer);
}
