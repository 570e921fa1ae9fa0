/**
 * Composes the products' endpoint modules into what the edge runs: for a
 * validated request, the handler with its context (and, for a keyed
 * endpoint, its idempotency key built from the module's declaration and the
 * protocol definition's request id field).
 */
import { AmsError, ENDPOINT_DEFINITIONS, type EndpointPath, type EndpointRequest, type Result } from '@amsgate/protocol';
import type { AnswerBody, EndpointModule, EndpointModules, KeyedEndpointModule, KeyedHandlerContext } from './contract.js';

/** What any endpoint answers, seen from the edge: a `result` and its fields. */
export type EndpointAnswer = { result: Result } & Record<string, unknown>;

/** What the edge calls once a request is authenticated and valid. */
export type RunEndpoint = (path: EndpointPath, clientId: string, request: unknown) => Promise<EndpointAnswer>;

export function routeTable(modules: EndpointModules): RunEndpoint {
  return (path, clientId, request) => runModule(modules[path] as EndpointModule<EndpointPath>, clientId, request as EndpointRequest<EndpointPath>);
}

/** Runs one module on a validated request. */
export async function runModule<P extends EndpointPath>(module: EndpointModule<P>, clientId: string, request: EndpointRequest<P>): Promise<AnswerBody<P>> {
  if (module.idempotency === undefined) return module.handle({ clientId, requestJson: JSON.stringify(request) }, request);
  const { context, wasClaimed } = keyedContextOf(module, clientId, request);
  const answer = await module.handle(context, request);
  // An answer from a keyed handler that never claimed its key would let a resend act twice: a programming error, not the caller's.
  if (!wasClaimed()) throw new Error(`${module.path}: the handler answered without claiming its idempotency key`);
  return answer;
}

/** A keyed request's context: its key from the module's declaration, and whether the handler claimed it (evaluated its fingerprint). */
function keyedContextOf<P extends EndpointPath>(module: KeyedEndpointModule<P>, clientId: string, request: EndpointRequest<P>): { context: KeyedHandlerContext; wasClaimed: () => boolean } {
  const declaration = module.idempotency;
  const own = declaration.keyOf?.(request);
  const idName = own?.idName ?? requestIdFieldOf(module.path);
  const requestId = own ? own.requestId : (request as Record<string, unknown>)[idName];
  // The protocol's schemas require the id; a definition naming a field its schema lets go absent must not key every request alike.
  if (typeof requestId !== 'string' || requestId === '') throw AmsError.paramIllegal(idName, 'is required');
  let claimed = false;
  const idempotencyKey = {
    clientId,
    scope: own?.scope ?? declaration.scope,
    requestId,
    idName,
    fingerprint: () => {
      claimed = true;
      return declaration.fingerprint(request);
    },
  };
  return { context: { clientId, requestJson: JSON.stringify(request), idempotencyKey }, wasClaimed: () => claimed };
}

/** The request id field the protocol keys an endpoint by; a module declaring a key for an endpoint the protocol does not key is a programming error. */
export function requestIdFieldOf(path: EndpointPath): string {
  const idempotency = ENDPOINT_DEFINITIONS[path].idempotency;
  if (idempotency.kind !== 'keyed') throw new Error(`${path} is not keyed by a request id in its protocol definition`);
  return idempotency.requestIdField;
}
