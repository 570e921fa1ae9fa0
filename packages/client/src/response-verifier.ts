/**
 * Deciding whether an HTTP 200 answer is Antom's, before anything of it is
 * returned (spec signature.md §6, with the official SDKs' 2026-09 rule):
 *
 * - `signature` and `response-time` both present: the signature must verify
 *   with the Antom public key over
 *   `POST <request path>\n<our client id>.<response-time>.<raw body>`, and a
 *   `client-id` header, when present, must be ours.
 * - both absent: accepted only as an `F` or `U` answer (gateway-generated
 *   errors such as INVALID_SIGNATURE are unsigned), reduced to its `result`
 *   (nothing else of it can be trusted); an unsigned `S` is refused,
 *   except from `meter/uploadEvent`, which Antom answers unsigned (the same
 *   SDK change lists it as the one unsigned route).
 * - only one of them: refused.
 */
import type { KeyObject } from 'node:crypto';
import { HEADER, verifyHeader } from '@amsgate/protocol';
import { readAnswerBody, type AnswerBody } from './answer-body.js';
import { endpointPathOf } from './endpoints.js';
import { AntomTransportError, SignatureVerificationError } from './errors.js';
import type { Exchange } from './exchange.js';

export interface VerifiedAnswer {
  readonly signature: 'verified' | 'unsigned';
  readonly body: AnswerBody;
}

export interface VerifyContext {
  readonly clientId: string;
  readonly antomPublicKey: KeyObject;
}

/** Throws `SignatureVerificationError`, or `AntomTransportError` (`INVALID_RESPONSE`) for a verified body that is not an AMS answer. */
export function verifyAnswer(context: VerifyContext, exchange: Exchange, rawBody: Uint8Array, attempts: number): VerifiedAnswer {
  const { request, response } = exchange;
  const signature = present(response.headers.get(HEADER.signature));
  const responseTime = present(response.headers.get(HEADER.responseTime));
  const refuse = (reason: SignatureVerificationError['reason'], message: string) =>
    new SignatureVerificationError(reason, message, exchange, attempts);

  if (signature === undefined && responseTime === undefined) {
    const read = readAnswerBody(response.body);
    if (!read.ok) throw refuse('UNSIGNED_UNREADABLE', `the response has no signature headers and ${read.problem}`);
    const unsignedRoute = UNSIGNED_ROUTES.has(endpointPathOf(request.uri) ?? '');
    if (read.body.result.resultStatus === 'S' && !unsignedRoute) {
      throw refuse('UNSIGNED_SUCCESS', `an S answer (${read.body.result.resultCode}) without signature headers is not accepted`);
    }
    // Only `result` is taken from an unsigned F/U: anything on the path could have written the other
    // fields (a checkout URL, another payment's id), and Antom's own unsigned errors carry nothing else.
    return { signature: 'unsigned', body: unsignedRoute ? read.body : { result: read.body.result } };
  }
  if (signature === undefined || responseTime === undefined) {
    throw refuse('INCOMPLETE_SIGNATURE_HEADERS', `the response has ${signature === undefined ? 'response-time but no signature' : 'signature but no response-time'}`);
  }
  const responseClientId = present(response.headers.get(HEADER.clientId));
  if (responseClientId !== undefined && responseClientId !== context.clientId) {
    throw refuse('CLIENT_ID_MISMATCH', `the response is for client-id ${responseClientId}, not ${context.clientId}`);
  }
  const verified = verifyHeader(
    { method: 'POST', uri: request.uri, clientId: context.clientId, time: responseTime, body: rawBody },
    signature,
    context.antomPublicKey,
  );
  if (!verified.ok) throw refuse(verified.reason, verified.message);

  const read = readAnswerBody(response.body);
  if (!read.ok) {
    throw new AntomTransportError('INVALID_RESPONSE', `The signed answer from ${request.url} is not an AMS answer: ${read.problem}`, {
      request,
      attempts,
      status: response.status,
      body: response.body,
    });
  }
  return { signature: 'verified', body: read.body };
}

/** Endpoints whose answers Antom does not sign. */
const UNSIGNED_ROUTES: ReadonlySet<string> = new Set(['meter/uploadEvent']);

function present(value: string | null): string | undefined {
  return value === null || value.trim() === '' ? undefined : value;
}
