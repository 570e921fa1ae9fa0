/**
 * What every HTML page the gateway serves (checkout, wallet, Auto Debit
 * authorisation, dashboard) shares on the wire: a fresh CSP nonce per
 * response, the security headers, and the form body read from the raw bytes
 * (the server keeps every body as a Buffer: AMS signatures cover bytes).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface PagePolicy {
  /**
   * Forms may post only to this origin. The buyer pages leave it out: after
   * an action they answer 303 to the merchant's site, which Chrome counts
   * against `form-action`.
   */
  formsStayHere?: boolean;
  /** The page's script fetches from this origin (the dashboard's live views). */
  fetchesHere?: boolean;
  /** The page's stylesheet draws its icons from `data:` URLs (the dashboard's API reference). */
  dataImages?: boolean;
}

/** No caching, no framing (a hidden Pay or Agree button), no referrer beyond this site, only nonce'd inline style and script. */
export function pageHeaders(nonce: string, policy: PagePolicy = {}): Record<string, string> {
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    ...(policy.fetchesHere ? ["connect-src 'self'"] : []),
    ...(policy.dataImages ? ['img-src data:'] : []),
    ...(policy.formsStayHere ? ["form-action 'self'"] : []),
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ];
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': csp.join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not no-referrer: under it browsers send `Origin: null` with form posts, which the CSRF checks refuse.
    'referrer-policy': 'same-origin',
  };
}

/** A posted `application/x-www-form-urlencoded` body (an empty one when there is none). */
export function formBody(request: FastifyRequest): URLSearchParams {
  return new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
}
