/**
 * The AMS endpoints, one definition each (`payments.ts`,
 * `authorizations.ts`), and what is derived from their list: the table by
 * path, the request and response types, validation, examples, and which
 * endpoint a request path names.
 */
import type Type from 'typebox';
import type { TSchema } from 'typebox';
import { validate, type ValidationResult } from '../schemas/validate.js';
import { AUTHORIZATION_ENDPOINTS } from './authorizations.js';
import { CARD_ENDPOINTS } from './cards.js';
import { DISPUTE_ENDPOINTS } from './disputes.js';
import { CUSTOMS_ENDPOINTS } from './customs.js';
import { RISK_ENDPOINTS } from './risk.js';
import { MARKETPLACE_ENDPOINTS } from './marketplace.js';
import { canonicalRequestPath, sandboxRequestPath, type EndpointDefinition } from './definition.js';
import { PAYMENT_ENDPOINTS } from './payments.js';
import { REGISTRATION_ENDPOINTS } from './registration.js';
import { USER_ENDPOINTS } from './users.js';
import { SUBSCRIPTION_ENDPOINTS } from './subscriptions.js';
import { VAULT_ENDPOINTS } from './vaults.js';
import { BILLING_ENDPOINTS } from './billing.js';
import { METERING_ENDPOINTS } from './metering.js';
import { TAX_ENDPOINTS } from './tax.js';
import { BUSINESS_ACCOUNT_ENDPOINTS } from './business-account.js';

export * from './definition.js';

const DEFINITION_LIST: readonly [...typeof PAYMENT_ENDPOINTS, ...typeof AUTHORIZATION_ENDPOINTS, ...typeof VAULT_ENDPOINTS, ...typeof CARD_ENDPOINTS, ...typeof DISPUTE_ENDPOINTS, ...typeof SUBSCRIPTION_ENDPOINTS, ...typeof CUSTOMS_ENDPOINTS, ...typeof RISK_ENDPOINTS, ...typeof MARKETPLACE_ENDPOINTS, ...typeof REGISTRATION_ENDPOINTS, ...typeof USER_ENDPOINTS, ...typeof BILLING_ENDPOINTS, ...typeof METERING_ENDPOINTS, ...typeof TAX_ENDPOINTS, ...typeof BUSINESS_ACCOUNT_ENDPOINTS] = [...PAYMENT_ENDPOINTS, ...AUTHORIZATION_ENDPOINTS, ...VAULT_ENDPOINTS, ...CARD_ENDPOINTS, ...DISPUTE_ENDPOINTS, ...SUBSCRIPTION_ENDPOINTS, ...CUSTOMS_ENDPOINTS, ...RISK_ENDPOINTS, ...MARKETPLACE_ENDPOINTS, ...REGISTRATION_ENDPOINTS, ...USER_ENDPOINTS, ...BILLING_ENDPOINTS, ...METERING_ENDPOINTS, ...TAX_ENDPOINTS, ...BUSINESS_ACCOUNT_ENDPOINTS];

type AnyDefinition = (typeof DEFINITION_LIST)[number];
export type EndpointPath = AnyDefinition['path'];
/** An endpoint's definition with its literal types (a union of them for a union of paths). */
export type EndpointDefinitionOf<P extends EndpointPath> = Extract<AnyDefinition, { readonly path: P }>;
type DefinitionsByPath = { readonly [D in AnyDefinition as D['path']]: D };

/** Endpoint path (after `/ams/api/v1/`) → its definition, in the list's order. */
export const ENDPOINT_DEFINITIONS: DefinitionsByPath = byPath(DEFINITION_LIST);

function byPath(definitions: readonly EndpointDefinition[]): DefinitionsByPath {
  const table: Record<string, EndpointDefinition> = {};
  for (const definition of definitions) {
    if (Object.prototype.hasOwnProperty.call(table, definition.path)) throw new Error(`Two endpoint definitions for ${definition.path}`);
    table[definition.path] = definition;
  }
  return table as DefinitionsByPath;
}

export type EndpointRequest<P extends EndpointPath> = Type.Static<EndpointDefinitionOf<P>['request']>;
export type EndpointResponse<P extends EndpointPath> = Type.Static<EndpointDefinitionOf<P>['response']>;

export interface EndpointSchemas {
  readonly request: TSchema;
  readonly response: TSchema;
}

/**
 * Endpoint path → request and response schema (the definitions, seen
 * through their schemas). `payments/pay`'s request is the
 * productCode-discriminated union.
 */
export const ENDPOINTS: { readonly [P in EndpointPath]: Pick<EndpointDefinitionOf<P>, keyof EndpointSchemas> } = ENDPOINT_DEFINITIONS;

export const ENDPOINT_PATHS: EndpointPath[] = DEFINITION_LIST.map((definition) => definition.path);

export function isEndpointPath(path: string): path is EndpointPath {
  return Object.prototype.hasOwnProperty.call(ENDPOINT_DEFINITIONS, path);
}

/** A value per endpoint, computed from its definition. */
export function mapEndpoints<T>(valueOf: (definition: AnyDefinition) => T): Record<EndpointPath, T> {
  return Object.fromEntries(DEFINITION_LIST.map((definition) => [definition.path, valueOf(definition)])) as Record<EndpointPath, T>;
}

/** Validates and normalises a request body for an endpoint. */
export function validateRequest<P extends EndpointPath>(path: P, body: unknown): ValidationResult<EndpointRequest<P>> {
  return validate(ENDPOINT_DEFINITIONS[path].request, body) as ValidationResult<EndpointRequest<P>>;
}

/** Validates and normalises a response body for an endpoint. */
export function validateResponse<P extends EndpointPath>(path: P, body: unknown): ValidationResult<EndpointResponse<P>> {
  return validate(ENDPOINT_DEFINITIONS[path].response, body) as ValidationResult<EndpointResponse<P>>;
}

/** Endpoint → minimal valid request (a fresh object each call). */
export const EXAMPLE_REQUESTS = mapEndpoints((definition) => definition.example.request);
/** Endpoint → a typical response (a fresh object each call). */
export const EXAMPLE_RESPONSES = mapEndpoints((definition) => definition.example.response);

const ENDPOINT_BY_REQUEST_PATH: ReadonlyMap<string, EndpointPath> = new Map(
  DEFINITION_LIST.flatMap((definition) => {
    const live = [canonicalRequestPath(definition), ...(definition.sdkRequestPaths ?? [])];
    return [...live, ...live.map(sandboxRequestPath)].map((requestPath) => [requestPath, definition.path] as const);
  }),
);

/**
 * The endpoint a request path (without its query) names: `/ams/api/v1/{path}`,
 * its `/ams/sandbox/api/` form, or a path an official SDK sends; exact
 * matches only.
 */
export function endpointForRequestPath(pathWithoutQuery: string): EndpointPath | undefined {
  return ENDPOINT_BY_REQUEST_PATH.get(pathWithoutQuery);
}
