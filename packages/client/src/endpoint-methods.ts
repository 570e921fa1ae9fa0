/**
 * The client's per-endpoint methods, derived from the protocol's endpoint
 * definitions: a flat method name (`pay`) is a method, a dotted one
 * (`authorizations.consult`) a method of a namespace object. A definition
 * added to the protocol's list appears here with no edit.
 */
import { ENDPOINT_DEFINITIONS, type EndpointDefinitionOf, type EndpointPath, type EndpointRequest, type EndpointResponse } from '@amsgate/protocol';
import type { Answer, ResultOnly } from './answer.js';
import type { CallOptions } from './requester.js';

type Definition = EndpointDefinitionOf<EndpointPath>;

/** What a `U` answer carries: the response for an endpoint with an in-process code (pay, refund, capture), else the `result` alone. */
export type InProcessData<P extends EndpointPath> = [NonNullable<EndpointDefinitionOf<P>['inProcessCode']>] extends [never] ? ResultOnly : EndpointResponse<P>;

export type EndpointCall<P extends EndpointPath> = (request: EndpointRequest<P>, options?: CallOptions) => Promise<Answer<EndpointResponse<P>, InProcessData<P>>>;

type NamespaceOf<M> = M extends `${infer Namespace}.${string}` ? Namespace : never;

export type EndpointMethods = {
  readonly [D in Definition as D['method'] extends `${string}.${string}` ? never : D['method']]: EndpointCall<D['path']>;
} & {
  readonly [Namespace in NamespaceOf<Definition['method']>]: {
    readonly [D in Definition as D['method'] extends `${Namespace}.${infer Name}` ? Name : never]: EndpointCall<D['path']>;
  };
};

export type SendToEndpoint = (path: EndpointPath, request: object, options: CallOptions | undefined) => Promise<unknown>;

/** One function per definition, each sending its request to its endpoint through `send`. */
export function endpointMethods(send: SendToEndpoint): EndpointMethods {
  const methods: Record<string, unknown> = {};
  for (const { path, method } of Object.values(ENDPOINT_DEFINITIONS)) {
    const call = (request: object, options?: CallOptions) => send(path, request, options);
    const dot = method.indexOf('.');
    if (dot < 0) {
      methods[method] = call;
    } else {
      const namespace = (methods[method.slice(0, dot)] ??= {}) as Record<string, unknown>;
      namespace[method.slice(dot + 1)] = call;
    }
  }
  return methods as EndpointMethods;
}
