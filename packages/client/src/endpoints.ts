/**
 * Where each endpoint lives and whether resending its request is safe.
 *
 * `idempotent` means: a byte-identical resend is applied at most once (or
 * is harmless when applied again), so a retry after a lost answer cannot
 * cause a second effect that matters (spec errors-and-idempotency.md §4).
 * Endpoints without a definition (the generic `request()`) are treated as
 * not idempotent unless the caller says so.
 */
import { canonicalRequestPath, ENDPOINT_DEFINITIONS, idempotencyWhy, isEndpointPath, isIdempotent, mapEndpoints, sandboxRequestPath, type EndpointPath } from '@amsgate/protocol';

export interface EndpointPolicy {
  readonly idempotent: boolean;
}

/** Each endpoint's policy and its reason, from its protocol definition. */
export const ENDPOINT_POLICIES: { readonly [P in EndpointPath]: EndpointPolicy & { readonly why: string } } = mapEndpoints((definition) => ({
  idempotent: isIdempotent(definition),
  why: idempotencyWhy(definition.idempotency),
}));

/**
 * U answers that mean "accepted and processing": the normal outcome of an
 * asynchronous operation, answered by waiting for the notification or
 * inquiring, never by resending.
 */
export const IN_PROCESS_CODES: ReadonlySet<string> = new Set(Object.values(ENDPOINT_DEFINITIONS).flatMap((definition) => definition.inProcessCode ?? []));

const VERSIONED = /^v[0-9]+\//;

/**
 * The request path for an endpoint: `payments/pay` → `/ams/api/v1/payments/pay`;
 * `v2/payments/pay` → `/ams/api/v2/payments/pay`; a path starting with `/`
 * is used as given. Sandbox clients get `/ams/sandbox/api/...`, as the
 * official SDKs rewrite it, before signing.
 */
export function endpointUri(endpoint: string, sandbox: boolean): string {
  if (endpoint === '' || /[\s#]/.test(endpoint)) throw new TypeError(`Not an endpoint path: ${JSON.stringify(endpoint)}`);
  // An endpoint Antom serves outside /ams/api/v1/ (the attachment upload) is called at its own path.
  const uri = endpoint.startsWith('/')
    ? endpoint
    : isEndpointPath(endpoint) ? canonicalRequestPath(ENDPOINT_DEFINITIONS[endpoint]) : `/ams/api/${VERSIONED.test(endpoint) ? '' : 'v1/'}${endpoint}`;
  return sandbox ? sandboxRequestPath(uri) : uri;
}

/** The endpoint path (`payments/pay`, `meter/uploadEvent`) of a `/ams/(sandbox/)api/v1/` request path, defined or not. */
export function endpointPathOf(uri: string): string | undefined {
  const match = /^\/ams\/(?:sandbox\/)?api\/v1\/([^?]+)$/.exec(uri);
  return match?.[1];
}
