import { describe, expect, it } from 'vitest';
import {
  AmountSchema,
  ENDPOINTS,
  ENDPOINT_PATHS,
  InquiryPaymentRequestSchema,
  NOTIFICATIONS,
  PayCashierRequestSchema,
  PayInStoreRequestSchema,
  PayRequestSchema,
  jsonSchemaOf,
  type JsonSchema,
} from '../src/index.js';

function at(schema: JsonSchema, ...path: string[]): JsonSchema {
  let node: unknown = schema;
  for (const step of path) {
    if (node === null || typeof node !== 'object') throw new Error(`no ${path.join('.')}`);
    node = (node as Record<string, unknown>)[step];
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error(`${path.join('.')} is not a schema`);
  return node as JsonSchema;
}

describe('jsonSchemaOf', () => {
  const all = [
    ...ENDPOINT_PATHS.flatMap((path) => [ENDPOINTS[path].request, ENDPOINTS[path].response]),
    ...Object.values(NOTIFICATIONS).map((entry) => entry.schema),
  ];

  it('gives JSON-serialisable schemas for every message, in both modes', () => {
    for (const schema of all) {
      for (const mode of ['canonical', 'accepted'] as const) {
        const json = jsonSchemaOf(schema, { mode });
        expect(JSON.parse(JSON.stringify(json))).toEqual(json);
        expect(JSON.stringify(json)).not.toContain('~kind');
      }
    }
  });

  it('keeps required and maxLength as the spec says', () => {
    const pay = jsonSchemaOf(PayCashierRequestSchema);
    expect(pay['type']).toBe('object');
    expect(pay['required']).toEqual(['productCode', 'paymentRequestId', 'order', 'paymentAmount', 'paymentMethod', 'env', 'paymentRedirectUrl']);
    expect(at(pay, 'properties', 'paymentRequestId')).toMatchObject({ type: 'string', minLength: 1, maxLength: 64 });
    expect(at(pay, 'properties', 'order')['required']).toEqual(['referenceOrderId', 'orderDescription', 'orderAmount']);
    expect(at(pay, 'properties', 'order', 'properties', 'goods')).toMatchObject({ type: 'array', maxItems: 100 });
    expect(at(pay, 'properties', 'order', 'properties', 'goods', 'items', 'properties', 'goodsName')).toEqual({ type: 'string', maxLength: 256 });
    expect(at(pay, 'properties', 'paymentRedirectUrl')).toMatchObject({ type: 'string', maxLength: 2048, format: 'uri' });
  });

  it('maps custom formats to standard keywords and keeps x-ams annotations', () => {
    const amount = jsonSchemaOf(AmountSchema);
    expect(amount['required']).toEqual(['currency', 'value']);
    expect(at(amount, 'properties', 'value')).toMatchObject({ type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$', 'x-ams-format': 'minor-units' });
    expect(at(amount, 'properties', 'currency')).toMatchObject({ type: 'string', minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$' });
    const scenario = at(jsonSchemaOf(PayInStoreRequestSchema), 'properties', 'paymentFactor', 'properties', 'inStorePaymentScenario');
    expect(scenario).toEqual({ type: 'string', enum: ['PaymentCode', 'OrderCode', 'EntryCode'], 'x-ams-case-insensitive': true });
    const stripped = JSON.stringify(jsonSchemaOf(PayInStoreRequestSchema, { extensions: false }));
    expect(stripped).not.toContain('x-ams-');
    expect(stripped).toContain('"maxLength":64');
  });

  it('states one-of rules with standard keywords', () => {
    const inquiry = jsonSchemaOf(InquiryPaymentRequestSchema);
    expect(inquiry['allOf']).toEqual([{ anyOf: [{ required: ['paymentId'] }, { required: ['paymentRequestId'] }] }]);
    expect(inquiry['x-ams-rules']).toEqual(['one-of-required(paymentId,paymentRequestId)']);
  });

  it('describes the pay dispatcher as a discriminated anyOf', () => {
    const pay = jsonSchemaOf(PayRequestSchema);
    expect(pay['x-ams-discriminator']).toBe('productCode');
    const variants = pay['anyOf'] as JsonSchema[];
    expect(variants.map((variant) => at(variant, 'properties', 'productCode')['enum'])).toEqual([['CASHIER_PAYMENT'], ['AGREEMENT_PAYMENT'], ['IN_STORE_PAYMENT']]);
  });

  it('accepted mode widens what the validator accepts', () => {
    const pay = jsonSchemaOf(PayInStoreRequestSchema, { mode: 'accepted' });
    expect(at(pay, 'properties', 'paymentRequestId')['type']).toEqual(['string', 'number', 'boolean']);
    const value = at(pay, 'properties', 'paymentAmount', 'properties', 'value');
    expect(value['anyOf']).toEqual([
      { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$', maxLength: 16, 'x-ams-format': 'minor-units' },
      { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    ]);
    const factor = at(pay, 'properties', 'paymentFactor');
    expect((factor['anyOf'] as JsonSchema[])[1]).toEqual({ type: 'null' }); // optional → null allowed
    const scenario = at((factor['anyOf'] as JsonSchema[])[0] as JsonSchema, 'properties', 'inStorePaymentScenario', 'anyOf', '0');
    const pattern = new RegExp(scenario['pattern'] as string);
    expect(pattern.test('PAYMENTCODE')).toBe(true);
    expect(pattern.test('paymentcode')).toBe(true);
    expect(pattern.test('PaymentCodes')).toBe(false);
    const flag = at(pay, 'properties', 'order', 'properties', 'needDeclaration', 'anyOf', '0');
    expect(flag['anyOf']).toEqual([{ type: 'boolean' }, { type: 'string', pattern: '^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$' }]);
    // the canonical schema is untouched by the accepted view
    expect(at(jsonSchemaOf(PayInStoreRequestSchema), 'properties', 'paymentRequestId')['type']).toBe('string');
  });
});
