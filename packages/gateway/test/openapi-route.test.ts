/** `GET /openapi.json`: the protocol's document, naming the gateway as its server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@amsgate/protocol';
import { startTestGateway, type TestGateway } from './harness.js';

describe('GET /openapi.json', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite', { mode: 'gateway', notifyDispatch: false });
  });
  afterAll(async () => t?.close());

  it('answers the OpenAPI document with this gateway as its server, in gateway mode too', async () => {
    const response = await fetch(`${t.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as Record<string, unknown>;
    expect(document.servers).toEqual([{ url: t.baseUrl }]);
    expect(document).toEqual({ ...openApiDocument(), servers: [{ url: t.baseUrl }] });
  });
});
