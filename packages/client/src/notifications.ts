/**
 * Notifications Antom posts to the merchant's notify URL (spec signature.md
 * §7, endpoints.md §13): verified over the exact bytes received, the path
 * they were posted to and the `request-time` header, with the Antom public
 * key; then typed by their event type.
 *
 * The verifier refuses to guess: it takes the raw body and the path as
 * received, tries no alternative spelling of either, and says precisely what
 * is wrong. The usual mistake is a JSON body parser running before it: the
 * re-serialised object is not the bytes Antom signed.
 *
 * The signed URI is the path without its query string: Antom's docs sample
 * verifies over the servlet request URI (`getRequestURI()`, no query), and
 * amsgate signs that way (spec signature.md §7 leaves query strings open; keep
 * notify URLs free of them). So `req.url` can be passed as it is.
 */
import type { KeyObject } from 'node:crypto';
import {
  HEADER,
  NOTIFICATIONS,
  SUCCESS_RESULT,
  importPublicKey,
  notificationKindOf,
  readHeader,
  validate,
  verifyHeader,
  type HeaderSource,
  type KeyInput,
  type NotificationBody,
  type NotificationKind,
} from '@amsgate/protocol';

export interface NotificationInput {
  /** The request method (Antom always POSTs). */
  method: string;
  /** The path the notification was posted to, as received (Node `req.url`, Express `req.originalUrl`, Fastify `request.url`); a query string is not signed. */
  path: string;
  /** The request headers: a `Headers` object or Node's header record. */
  headers: HeaderSource;
  /** The exact body bytes received (a `Buffer`, or their UTF-8 text). A parsed object is refused. */
  rawBody: Uint8Array | string;
}

export type NotificationFailureReason =
  | 'METHOD_NOT_POST'
  | 'BAD_PATH'
  | 'RAW_BODY_REQUIRED'
  | 'MISSING_HEADER'
  | 'CLIENT_ID_MISMATCH'
  | 'MALFORMED_HEADER'
  | 'UNKNOWN_ALGORITHM'
  | 'BAD_ENCODING'
  | 'MISMATCH'
  | 'NOT_JSON'
  | 'UNKNOWN_NOTIFICATION'
  | 'INVALID_BODY';

export interface NotificationFailure {
  readonly ok: false;
  readonly reason: NotificationFailureReason;
  readonly message: string;
  /**
   * Set only when the signature verified but the body could not be typed
   * (`UNKNOWN_NOTIFICATION`, `INVALID_BODY`): the body as parsed, authentic,
   * for a handler that wants to deal with it anyway.
   */
  readonly verifiedBody?: unknown;
  /** `INVALID_BODY`: the dotted path of the field at fault. */
  readonly field?: string;
}

/** A verified notification, discriminated by `kind` (`notifyPayment`, `notifyRefund`, …). */
export type VerifiedNotification = {
  [K in NotificationKind]: {
    readonly ok: true;
    readonly kind: K;
    readonly notification: NotificationBody<K>;
    readonly clientId: string;
    readonly requestTime: string;
  };
}[NotificationKind];

export type NotificationVerification = VerifiedNotification | NotificationFailure;

export interface NotificationVerifierOptions {
  /** The merchant's client id: notifications for another client are refused. */
  clientId: string;
  antomPublicKey: KeyInput;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class NotificationVerifier {
  private readonly clientId: string;
  private readonly antomPublicKey: KeyObject;

  constructor(options: NotificationVerifierOptions) {
    if (typeof options.clientId !== 'string' || options.clientId === '') throw new TypeError('clientId must be a non-empty string');
    this.clientId = options.clientId;
    this.antomPublicKey = importPublicKey(options.antomPublicKey);
  }

  /** Never throws on anything a request can contain. */
  verify(input: NotificationInput): NotificationVerification {
    if (typeof input.method !== 'string' || input.method.toUpperCase() !== 'POST') {
      return fail('METHOD_NOT_POST', `Notifications are POSTed; this request is ${String(input.method)}`);
    }
    const path = input.path;
    if (typeof path !== 'string' || !path.startsWith('/')) {
      return fail(
        'BAD_PATH',
        `path must be the request path as received, starting with "/" (e.g. req.url), got ${JSON.stringify(path)}; Antom signs the path, not the full URL`,
      );
    }
    const bytes = rawBytes(input.rawBody);
    if (typeof bytes === 'string') return fail('RAW_BODY_REQUIRED', bytes);

    const clientId = readHeader(input.headers, HEADER.clientId);
    const requestTime = readHeader(input.headers, HEADER.requestTime);
    const signature = readHeader(input.headers, HEADER.signature);
    const missing = [
      [HEADER.clientId, clientId],
      [HEADER.requestTime, requestTime],
      [HEADER.signature, signature],
    ].filter(([, value]) => value === undefined || value.trim() === '').map(([name]) => name);
    if (missing.length > 0 || clientId === undefined || requestTime === undefined || signature === undefined) {
      return fail('MISSING_HEADER', `The ${missing.join(', ')} header${missing.length > 1 ? 's are' : ' is'} missing, empty or sent more than once`);
    }
    if (clientId !== this.clientId) {
      return fail('CLIENT_ID_MISMATCH', `The notification is for client-id ${clientId}; this verifier is for ${this.clientId}`);
    }
    const queryAt = path.indexOf('?');
    const uri = queryAt === -1 ? path : path.slice(0, queryAt);
    const verified = verifyHeader({ method: 'POST', uri, clientId, time: requestTime, body: bytes }, signature, this.antomPublicKey);
    if (!verified.ok) {
      const hint = verified.reason === 'MISMATCH' && queryAt !== -1
        ? '; the query string was left out, as Antom\'s docs sample does (keep notify URLs free of query strings)'
        : '';
      return fail(verified.reason, `${verified.message} (verified over POST ${uri}, client-id ${clientId}, request-time ${requestTime}, ${bytes.length} body bytes)${hint}`);
    }

    let body: unknown;
    try {
      body = JSON.parse(utf8.decode(bytes));
    } catch (error) {
      return fail('NOT_JSON', `The signed body is not UTF-8 JSON: ${(error as Error).message}`);
    }
    const kind = notificationKindOf(body);
    if (kind === undefined) {
      return { ok: false, reason: 'UNKNOWN_NOTIFICATION', message: 'The signed body has no notifyType or authorizationNotifyType this client knows', verifiedBody: body };
    }
    const validated = validate(NOTIFICATIONS[kind].schema, body);
    if (!validated.ok) {
      return { ok: false, reason: 'INVALID_BODY', message: `The signed ${kind} body is not valid: ${validated.message}`, field: validated.field, verifiedBody: body };
    }
    return { ok: true, kind, notification: validated.value, clientId, requestTime } as VerifiedNotification;
  }
}

/** The merchant's answer to a notification (HTTP 200, unsigned): Antom resends until it gets exactly this. */
export function notificationAck(): string {
  return ACK_BODY;
}

const ACK_BODY = JSON.stringify({ result: SUCCESS_RESULT });

function fail(reason: NotificationFailureReason, message: string): NotificationFailure {
  return { ok: false, reason, message };
}

/** The body's bytes, or why there are none to verify. */
function rawBytes(rawBody: unknown): Buffer | string {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  if (rawBody instanceof Uint8Array) return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  if (rawBody === undefined || rawBody === null) {
    return 'rawBody is missing: pass the exact bytes received (the framework may have consumed the stream with a body parser)';
  }
  if (rawBody instanceof ArrayBuffer) return Buffer.from(rawBody);
  return (
    `rawBody is ${Array.isArray(rawBody) ? 'an array' : `a ${typeof rawBody}`}, not the bytes received: a JSON body parser ran before verification. ` +
    'The signature covers the exact bytes, which a re-serialised object does not reproduce; keep the raw body on the notify route ' +
    "(Express: express.raw({ type: 'application/json' }); Fastify: a content-type parser with parseAs: 'buffer')"
  );
}
