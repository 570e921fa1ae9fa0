/**
 * Endpoint modules built on the engine: what a resource product writes for
 * an ordinary create, inquiry, list or change is a few lines of mapping
 * (request to document, document to answer); the engine does the rest.
 */
import { AmsError, SUCCESS_RESULT, type EndpointPath, type EndpointRequest } from '@amsgate/protocol';
import { endpointModule, keyedEndpointModule, type AnswerBody, type EndpointModule, type HandlerContext, type KeyedHandlerContext } from '../endpoints/contract.js';
import type { Tx } from '../schema.js';
import { requestFingerprint, type Creation, type Decision, type ResourceEngine } from './resource-engine.js';
import type { ResourceKind, ResourceRecord } from './resource-kind.js';
import type { Page, PageQuery } from './resource-store.js';

/** An answer without its `result` (added as SUCCESS). */
type Fields<P extends EndpointPath> = Omit<AnswerBody<P>, 'result'>;

function success<P extends EndpointPath>(fields: Fields<P>): AnswerBody<P> {
  return { ...fields, result: { ...SUCCESS_RESULT } } as AnswerBody<P>;
}

export interface CreateSpec<P extends EndpointPath, Doc extends object, Status extends string> {
  readonly path: P;
  /** The request field the SDK keys the create by (the protocol definition's). */
  readonly requestIdField: string;
  readonly build: (request: EndpointRequest<P>, context: { tx: Tx; id: string; now: number; clientId: string }) => Promise<Creation<Doc, Status>> | Creation<Doc, Status>;
  readonly answer: (record: ResourceRecord<Doc, Status>, request: EndpointRequest<P>) => Fields<P>;
}

/**
 * A create keyed by its request id (which the schema requires): a repeat
 * answers what the first made; other values for the same id are
 * REPEAT_REQ_INCONSISTENT naming them.
 */
export function createEndpoint<P extends EndpointPath, Doc extends object, Status extends string>(engine: ResourceEngine, kind: ResourceKind<Doc, Status>, spec: CreateSpec<P, Doc, Status>): EndpointModule<P> {
  return keyedEndpointModule<P>({
    path: spec.path,
    idempotency: {
      scope: kind.kind,
      fingerprint: (request) => requestFingerprint(request as object, spec.requestIdField),
    },
    handle: async (context: KeyedHandlerContext, request) => {
      const { record } = await engine.create(context, kind, async (tx, id, now) => spec.build(request, { tx, id, now, clientId: context.clientId }));
      return success<P>(spec.answer(record, request));
    },
  });
}

export interface DetailsSpec<P extends EndpointPath, Doc extends object, Status extends string> {
  readonly path: P;
  /** The id asked for, and the request field that carries it. */
  readonly idOf: (request: EndpointRequest<P>) => { id: string; field: string };
  readonly answer: (record: ResourceRecord<Doc, Status>) => Fields<P>;
}

export function detailsEndpoint<P extends EndpointPath, Doc extends object, Status extends string>(engine: ResourceEngine, kind: ResourceKind<Doc, Status>, spec: DetailsSpec<P, Doc, Status>): EndpointModule<P> {
  return endpointModule<P>({
    path: spec.path,
    handle: async (context: HandlerContext, request) => {
      const { id, field } = spec.idOf(request);
      return success<P>(spec.answer(await engine.get(kind, context.clientId, id, field)));
    },
  });
}

export interface ListSpec<P extends EndpointPath, Doc extends object, Status extends string> {
  readonly path: P;
  readonly query: (request: EndpointRequest<P>) => PageQuery;
  readonly answer: (page: Page<Doc, Status>, request: EndpointRequest<P>) => Fields<P>;
}

export function listEndpoint<P extends EndpointPath, Doc extends object, Status extends string>(engine: ResourceEngine, kind: ResourceKind<Doc, Status>, spec: ListSpec<P, Doc, Status>): EndpointModule<P> {
  return endpointModule<P>({
    path: spec.path,
    handle: async (context, request) => success<P>(spec.answer(await engine.list(kind, context.clientId, spec.query(request)), request)),
  });
}

export interface ChangeSpec<P extends EndpointPath, Doc extends object, Status extends string> {
  readonly path: P;
  readonly idOf: (request: EndpointRequest<P>) => string;
  /** The new state, decided on the resource as stored (again if another change won the race). */
  readonly decide: (record: ResourceRecord<Doc, Status>, request: EndpointRequest<P>, context: { tx: Tx; now: number; clientId: string }) => Promise<Decision<Doc, Status>> | Decision<Doc, Status>;
  readonly answer: (record: ResourceRecord<Doc, Status>, request: EndpointRequest<P>) => Fields<P>;
}

export function changeEndpoint<P extends EndpointPath, Doc extends object, Status extends string>(engine: ResourceEngine, kind: ResourceKind<Doc, Status>, spec: ChangeSpec<P, Doc, Status>): EndpointModule<P> {
  return endpointModule<P>({
    path: spec.path,
    handle: async (context, request) => {
      const record = await engine.change(context.clientId, kind, spec.idOf(request), (current, tx, now) => spec.decide(current, request, { tx, now, clientId: context.clientId }));
      return success<P>(spec.answer(record, request));
    },
  });
}

/**
 * Refuses a change the status does not allow: NOT_ALLOW_IN_CURRENT_STATUS
 * naming the status and the ones that would allow it.
 */
export function requireStatus<Status extends string>(kind: Pick<ResourceKind<object, Status>, 'noun'>, record: Pick<ResourceRecord<object, Status>, 'id' | 'status'>, allowed: readonly Status[], action: string): void {
  if (!allowed.includes(record.status)) {
    throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `${kind.noun} ${record.id} is ${record.status}: only ${allowed.join(' or ')} can be ${action}`);
  }
}

/** Removes undefined values (documents are stored and answered without them). */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
