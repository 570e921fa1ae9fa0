/**
 * Header names of the protocol. Names are case-insensitive on input; we
 * always write them in lower case, because the Python and PHP SDKs match
 * response headers by exact lower-case name.
 */

export const HEADER = {
  clientId: 'client-id',
  requestTime: 'request-time',
  responseTime: 'response-time',
  signature: 'signature',
  agentToken: 'agent-token',
  contentType: 'content-type',
} as const;

export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

/** Headers as the platform `fetch` (`Headers`) or `node:http` (`IncomingHttpHeaders`) give them. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads one header by name, case-insensitively. A repeated header (an array
 * value) is refused as absent: a signature check must not pick one of two.
 */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const wanted = name.toLowerCase();
  let found = record[wanted];
  if (found === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === wanted) {
        found = record[key];
        break;
      }
    }
  }
  return typeof found === 'string' ? found : undefined;
}

/** `agent-token` as sent; the Go SDK always sends it, empty when unset, which means absent. */
export function readAgentToken(headers: HeaderSource): string | undefined {
  const token = readHeader(headers, HEADER.agentToken)?.trim();
  return token === undefined || token === '' ? undefined : token;
}
