/**
 * Message schemas of the AMS protocol: one TypeBox schema per request,
 * response and notification, a lenient validator that normalises what real
 * clients send, and JSON Schema export for the OpenAPI document.
 */
/** The field vocabulary schemas are written in (for schemas defined outside this package). */
export * as SchemaBuilder from './builder.js';
export { KEYWORD, type AmsFormat, type Rule, type RuleViolation } from './builder.js';
export { SchemaCompileError } from './compile.js';
export {
  BODY_FIELD,
  MAX_JSON_DEPTH,
  compile,
  validate,
  failure,
  toParamIllegal,
  codePointLength,
  isIsoDateTimeWithOffset,
  type ValidationFailure,
  type ValidationResult,
  type ValidationSuccess,
  type Validator,
} from './validate.js';
export { jsonSchemaOf, type JsonSchema, type JsonSchemaOptions, type JsonSchemaValue } from './json-schema.js';
export * from './common.js';
export * from './pay.js';
export * from './in-store.js';
export * from './pay-request.js';
export * from './payment-ops.js';
export * from './checkout.js';
export * from './payment-updates.js';
export * from './exchange-rate.js';
export * from './cards.js';
export * from './payment-tools.js';
export * from './vaults.js';
export * from './subscriptions.js';
export * from './disputes.js';
export * from './customs.js';
export * from './risk.js';
export * from './registration.js';
export * from './users.js';
export * from './marketplace.js';
export * from './authorizations.js';
export * from './notifications.js';
export * from './notification-registry.js';
export * from './examples.js';
