/** Signing one request: the headers the official SDKs send, over the exact body bytes. */
import { HEADER, JSON_CONTENT_TYPE, signHeader, signHeaderAsync } from '@amsgate/protocol';
import type { ClientConfig } from './config.js';
import type { SignedRequest } from './exchange.js';

/**
 * Serialises a body once: every attempt sends, and signs, the UTF-8 bytes of
 * this text. (JSON.stringify escapes lone surrogates, so its output is
 * well-formed and has exactly one UTF-8 encoding, the one fetch sends.)
 */
export function serializeBody(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TypeError('The request body must be a JSON object');
  }
  return JSON.stringify(body);
}

/**
 * Signs with a fresh `request-time` (epoch milliseconds, as the Java and Go
 * SDKs and the current docs send it). The RSA operation (about 0.3 ms) runs
 * on the calling thread, as in every official SDK, unless `signOffThread`
 * moves it to libuv's thread pool: that frees the event loop but the thread
 * hand-off costs some 30–60 µs more CPU per call.
 */
export async function signRequest(config: ClientConfig, uri: string, body: string, now: number = Date.now()): Promise<SignedRequest> {
  const requestTime = String(now);
  const parts = { method: 'POST', uri, clientId: config.clientId, time: requestTime, body };
  const signature = config.signOffThread
    ? await signHeaderAsync(parts, config.privateKey, config.keyVersion)
    : signHeader(parts, config.privateKey, config.keyVersion);
  const headers: Record<string, string> = {
    [HEADER.contentType]: JSON_CONTENT_TYPE,
    [HEADER.clientId]: config.clientId,
    [HEADER.requestTime]: requestTime,
    [HEADER.signature]: signature,
  };
  if (config.agentToken !== undefined) headers[HEADER.agentToken] = config.agentToken;
  return { url: `${config.baseUrl}${uri}`, uri, clientId: config.clientId, requestTime, headers, body };
}
