/**
 * The endpoint modules against the protocol definitions: every definition
 * has a module (checked by the compiler, shown here), and a module declares
 * an idempotency key exactly when the protocol keys the endpoint by a
 * request id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_DEFINITIONS, ENDPOINT_PATHS } from '@amsgate/protocol';
import type { EndpointModules } from '../src/endpoints/contract.js';
import { startTestGateway, type TestGateway } from './harness.js';

describe('endpoint modules', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('a module set without one of the definitions does not compile', () => {
    const { ['payments/consult']: _dropped, ...partial } = t.gateway.endpoints;
    // @ts-expect-error: payments/consult is defined by the protocol and has no module here
    const incomplete: EndpointModules = partial;
    expect(Object.keys(incomplete)).not.toContain('payments/consult');
  });

  it.each(ENDPOINT_PATHS)('%s: its module is for its path, keyed exactly when the protocol keys it', (path) => {
    const module = t.gateway.endpoints[path];
    expect(module.path).toBe(path);
    expect(module.idempotency !== undefined).toBe(ENDPOINT_DEFINITIONS[path].idempotency.kind === 'keyed');
  });
});
