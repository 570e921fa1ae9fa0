/**
 * Composes the products' endpoint modules into what the edge runs: for a
 * validated request, the handler with its context (and, for a keyed
 * endpoint, its idempotency key built from the module's declaration and the
 * protocol definition's request id field).
 */
import { ENDPOINT_DEFINITIONS, type EndpointPath, type EndpointRequest, type Result } from '@amsgate/protocol';
import type { AnswerBody, EndpointModule, EndpointModules, KeyedEndpointModule, KeyedHandlerContext } from './contract.js';

/** What the edge calls once a request is authenticated and valid. */
export type RunEndpoint = (path: EndpointPath, clientId: string, request: unknown) => Promise<{ result: Result }>;

export function routeTable(modules: EndpointModules): RunEndpoint {
  return (path, clientId, request) => runModule(modules[path] as EndpointModule<EndpointPath>, clientId, request as EndpointRequest<EndpointPath>);
}

/** Runs one module on a validated request. */
export function runModule<P extends EndpointPath>(module: EndpointModule<P>, clientId: string, request: EndpointRequest<P>): Promise<AnswerBody<P>> {
  if (module.idempotency === undefined) return module.handle({ clientId, requestJson: JSON.stringify(request) }, request);
  return module.handle(keyedContextOf(module, clientId, request), request);
}

/** The context of a keyed module's request: its key from the module's declaration (tests use it to call a service directly). */
export function keyedContextOf<P extends EndpointPath>(module: KeyedEndpointModule<P>, clientId: string, request: EndpointRequest<P>): KeyedHandlerContext {
  const idName = requestIdFieldOf(module.path);
  const declaration = module.idempotency;
  return {
    clientId,
    requestJson: JSON.stringify(request),
    idempotencyKey: {
      clientId,
      scope: declaration.scope,
      requestId: String((request as Record<string, unknown>)[idName]),
      idName,
      fingerprint: () => declaration.fingerprint(request),
    },
  };
}

/** The request id field the protocol keys an endpoint by; a module declaring a key for an endpoint the protocol does not key is a programming error. */
export function requestIdFieldOf(path: EndpointPath): string {
  const idempotency = ENDPOINT_DEFINITIONS[path].idempotency;
  if (idempotency.kind !== 'keyed') throw new Error(`${path} is not keyed by a request id in its protocol definition`);
  return idempotency.requestIdField;
}
