/** The OpenAPI document: valid OpenAPI 3.1 (checked by a maintained validator), and exactly the defined endpoints and notifications. */
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { canonicalRequestPath, ENDPOINT_DEFINITIONS, ENDPOINT_PATHS, NOTIFICATIONS, openApiDocument } from '../src/index.js';

type Operation = { operationId: string; 'x-ams-sdk-request-paths'?: string[]; requestBody: { content: Record<string, { example: unknown }> } };
const post = (document: Record<string, unknown>, path: string): Operation =>
  ((document.paths as Record<string, { post: Operation }>)[path] as { post: Operation }).post;

describe('openApiDocument', () => {
  it('is valid OpenAPI 3.1', async () => {
    const document = openApiDocument({ serverUrl: 'http://127.0.0.1:8080' });
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:8080' }]);
  });

  it('has one POST operation per defined endpoint, named by its client method, and nothing else', () => {
    const document = openApiDocument();
    const expected = ENDPOINT_PATHS.map((path) => canonicalRequestPath(ENDPOINT_DEFINITIONS[path])).sort();
    expect(Object.keys(document.paths as object).sort()).toEqual(expected);
    for (const path of ENDPOINT_PATHS) {
      const operation = post(document, canonicalRequestPath(ENDPOINT_DEFINITIONS[path]));
      expect(operation.operationId).toBe(ENDPOINT_DEFINITIONS[path].method);
      expect(operation.requestBody.content['application/json']!.example).toEqual(ENDPOINT_DEFINITIONS[path].example.request());
    }
    expect(post(document, '/ams/api/v1/payments/retrievePaymentSession')['x-ams-sdk-request-paths']).toEqual(['/ams/api//v1/payments/retrievePaymentSession']);
  });

  it('lists each operation\'s result codes: its own, then those any endpoint can answer', () => {
    const document = openApiDocument();
    const refund = post(document, '/ams/api/v1/payments/refund') as unknown as {
      'x-ams-result-codes': Array<{ code: string; status: string }>;
      responses: { '200': { description: string } };
    };
    const codes = refund['x-ams-result-codes'];
    expect(codes.slice(0, 3)).toEqual([{ code: 'SUCCESS', status: 'S' }, { code: 'REFUND_IN_PROCESS', status: 'U' }, { code: 'ORDER_NOT_EXIST', status: 'F' }]);
    expect(codes.map((c) => c.code)).toContain('REFUND_AMOUNT_EXCEED');
    expect(codes.map((c) => c.code)).toContain('INVALID_SIGNATURE');
    expect(codes.map((c) => c.code)).not.toContain('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT');
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    expect(refund.responses['200'].description).toContain('- `REFUND_AMOUNT_EXCEED` (F): ');
    for (const path of ENDPOINT_PATHS) {
      const own = ENDPOINT_DEFINITIONS[path].resultCodes;
      // Every endpoint can succeed, and declares each code once.
      expect(own.some((code) => code === 'SUCCESS'), path).toBe(true);
      expect(new Set(own).size, path).toBe(own.length);
    }
  });

  it('describes every notification as a webhook, and the signature as a security scheme', () => {
    const document = openApiDocument() as { webhooks: object; components: { securitySchemes: Record<string, { in: string; name: string }> } };
    expect(Object.keys(document.webhooks).sort()).toEqual(Object.keys(NOTIFICATIONS).sort());
    expect(document.components.securitySchemes.amsSignature).toMatchObject({ in: 'header', name: 'signature' });
  });
});
