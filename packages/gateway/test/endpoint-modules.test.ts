/**
 * The endpoint modules against the protocol definitions: every definition
 * has a module (checked by the compiler, shown here), and a module declares
 * an idempotency key exactly when the protocol keys the endpoint by a
 * request id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsError, ENDPOINT_DEFINITIONS, ENDPOINT_PATHS, EXAMPLE_REQUESTS, SUCCESS_RESULT, type RefundRequest } from '@amsgate/protocol';
import { keyedEndpointModule } from '../src/endpoints/contract.js';
import { runModule } from '../src/endpoints/route-table.js';
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

  const carelessRefund = (claims: boolean) => keyedEndpointModule({
    path: 'payments/refund',
    idempotency: { scope: 'refund', fingerprint: () => ({}) },
    handle: async (context) => {
      if (claims) context.idempotencyKey.fingerprint();
      return { result: { ...SUCCESS_RESULT } };
    },
  });
  const refund = EXAMPLE_REQUESTS['payments/refund']() as RefundRequest;

  it('a keyed handler that answers without claiming its key is a programming error, not an answer', async () => {
    await expect(runModule(carelessRefund(false), 'client-1', refund)).rejects.toThrow(/without claiming its idempotency key/);
    await expect(runModule(carelessRefund(true), 'client-1', refund)).resolves.toMatchObject({ result: { resultCode: 'SUCCESS' } });
  });

  it('a keyed request without its request id is PARAM_ILLEGAL naming the field (never one shared key)', async () => {
    const { refundRequestId: _id, ...withoutId } = refund;
    const refused = await runModule(carelessRefund(true), 'client-1', withoutId as RefundRequest).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AmsError);
    expect((refused as AmsError).toResult()).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('refundRequestId') });
  });
});
