import { describe, expect, it } from 'vitest';
import {
  canonicalRequestPath,
  ENDPOINT_DEFINITIONS,
  ENDPOINT_PATHS,
  NOTIFICATIONS,
  RESULT_CODES,
  endpointForRequestPath,
  sandboxRequestPath,
  validateRequest,
} from '../src/index.js';

const definitions = Object.values(ENDPOINT_DEFINITIONS);

describe('endpoint definitions', () => {
  it('are keyed by their own path, in the order of ENDPOINT_PATHS', () => {
    expect(Object.entries(ENDPOINT_DEFINITIONS).map(([key, definition]) => [key, definition.path])).toEqual(ENDPOINT_PATHS.map((path) => [path, path]));
  });

  it('have unique client method names of at most one namespace', () => {
    const methods = definitions.map((definition) => definition.method);
    expect(new Set(methods).size).toBe(methods.length);
    for (const method of methods) expect(method).toMatch(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)?$/);
  });

  it.each(definitions)('$path: its example request carries its request id; its in-process code is a U code; its notifications exist', (definition) => {
    const { idempotency, inProcessCode } = definition;
    if (idempotency.kind === 'keyed') {
      expect(definition.example.request()).toHaveProperty(idempotency.requestIdField);
      // The schema requires it: an optional id would let requests without one share a key.
      const { [idempotency.requestIdField]: _id, ...withoutId } = definition.example.request();
      const refused = validateRequest(definition.path, withoutId);
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.field).toBe(idempotency.requestIdField);
    }
    if (inProcessCode !== undefined) expect(RESULT_CODES[inProcessCode].status).toBe('U');
    for (const cause of definition.notifications) {
      const known: readonly string[] = NOTIFICATIONS[cause.kind].types;
      for (const type of cause.types ?? []) expect(known).toContain(type);
    }
  });
});

describe('endpointForRequestPath', () => {
  it('knows the live and sandbox paths of every endpoint', () => {
    for (const path of ENDPOINT_PATHS) {
      const live = canonicalRequestPath(ENDPOINT_DEFINITIONS[path]);
      // `/ams/api/v1/{path}`, but for an endpoint Antom serves elsewhere (the attachment upload's openapiv2_file path).
      expect(live).toBe(ENDPOINT_DEFINITIONS[path].requestPath ?? `/ams/api/v1/${path}`);
      expect(endpointForRequestPath(live)).toBe(path);
      expect(endpointForRequestPath(sandboxRequestPath(live))).toBe(path);
    }
    expect(endpointForRequestPath('/ams/api/open/openapiv2_file/v1/business/attachment/submitAttachment')).toBe('business/attachment/submitAttachment');
    expect(endpointForRequestPath('/ams/api/v1/business/attachment/submitAttachment')).toBeUndefined();
  });

  it('matches exactly: no query, other version, trailing slash, doubled slash or case', () => {
    for (const requestPath of [
      '/ams/api/v1/payments/pay?x=1',
      '/ams/api/v2/payments/pay',
      '/ams/api/v1/payments/pay/',
      '/ams/api//v1/payments/pay',
      '/ams/api/v1/Payments/Pay',
      'payments/pay',
      '/ams/api/v1/toString',
    ]) {
      expect(endpointForRequestPath(requestPath)).toBeUndefined();
    }
  });

  it('rewrites only the /ams/api/ prefix for the sandbox', () => {
    expect(sandboxRequestPath('/ams/api//v1/payments/retrievePaymentSession')).toBe('/ams/sandbox/api//v1/payments/retrievePaymentSession');
    expect(sandboxRequestPath('/other/ams/api/v1/x')).toBe('/other/ams/api/v1/x');
  });
});
