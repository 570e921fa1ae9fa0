/**
 * Declares an endpoint of the resource products (Billing, metering, tax,
 * the Business Account), whose messages are generated from the SDKs'
 * surface (`schemas/surface/`): by default it causes no notification, and
 * its example request is the request schema's minimal valid value.
 */
import type { TSchema } from 'typebox';
import type { ResultCode } from '../result.js';
import { exampleOf } from '../schemas/example-of.js';
import { exampleResult } from '../schemas/examples.js';
import { defineEndpoint, type EndpointDefinition, type NotificationCause } from './definition.js';

type SurfaceSpec<Path extends string, Req extends TSchema, Res extends TSchema, Method extends string> = Omit<
  EndpointDefinition<Path, Req, Res, Method, never>,
  'version' | 'notifications' | 'example' | 'resultCodes'
> & {
  readonly resultCodes: readonly ResultCode[];
  readonly notifications?: readonly NotificationCause[];
  readonly example?: EndpointDefinition['example'];
};

export function surfaceEndpoint<const Path extends string, Req extends TSchema, Res extends TSchema, const Method extends string>(
  spec: SurfaceSpec<Path, Req, Res, Method>,
): EndpointDefinition<Path, Req, Res, Method, never> {
  return defineEndpoint<Path, Req, Res, Method, never>({
    ...spec,
    version: 'v1',
    notifications: spec.notifications ?? [],
    example: spec.example ?? {
      request: () => exampleRequest(spec),
      response: () => ({ result: exampleResult() }),
    },
  });
}

/** The request schema's minimal value, with the request id a keyed endpoint is retried by (optional in some SDK messages). */
function exampleRequest(spec: Pick<EndpointDefinition, 'request' | 'idempotency'>): Record<string, unknown> {
  const example = exampleOf(spec.request) as Record<string, unknown>;
  const idempotency = spec.idempotency;
  if (idempotency.kind === 'keyed' && example[idempotency.requestIdField] === undefined) example[idempotency.requestIdField] = `${idempotency.requestIdField}-1`;
  return example;
}
