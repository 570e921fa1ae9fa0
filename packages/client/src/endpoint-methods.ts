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

function splitMethod(method: string): { namespace: string | undefined; name: string } {
  const dot = method.indexOf('.');
  return dot < 0 ? { namespace: undefined, name: method } : { namespace: method.slice(0, dot), name: method.slice(dot + 1) };
}

/**
 * Flat methods (`pay`) go on the prototype, as hand-written methods would
 * (a subclass may override them, a test may spy on them); `send` is called
 * with the instance as `this`.
 */
export function installEndpointMethods(prototype: object, send: (this: never, ...args: Parameters<SendToEndpoint>) => Promise<unknown>): void {
  for (const { path, method } of Object.values(ENDPOINT_DEFINITIONS)) {
    const { namespace, name } = splitMethod(method);
    if (namespace !== undefined) continue;
    if (Object.prototype.hasOwnProperty.call(prototype, name)) throw new Error(`The endpoint method ${name} (${path}) would replace a member of the client`);
    Object.defineProperty(prototype, name, {
      value: function (this: never, request: object, options?: CallOptions) {
        return send.call(this, path, request, options);
      },
      writable: true,
      configurable: true,
    });
  }
}

/** Namespaced methods (`authorizations.consult`): one object per namespace, per instance, bound to `send`. */
export function endpointNamespaces(send: SendToEndpoint): Record<string, Record<string, unknown>> {
  const namespaces: Record<string, Record<string, unknown>> = {};
  for (const { path, method } of Object.values(ENDPOINT_DEFINITIONS)) {
    const { namespace, name } = splitMethod(method);
    if (namespace === undefined) continue;
    (namespaces[namespace] ??= {})[name] = (request: object, options?: CallOptions) => send(path, request, options);
  }
  return namespaces;
}
