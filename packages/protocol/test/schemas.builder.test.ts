/**
 * The builder writes plain JSON Schema objects so that TypeBox's runtime is
 * never loaded; their static types are TypeBox's. These tests hold the two
 * equal: the same keywords in the same order as TypeBox's own builders give,
 * so the static type describes what the validator and the OpenAPI document see.
 */
import Type, { type TSchema } from 'typebox';
import { describe, expect, it } from 'vitest';
import {
  ArrayOf, Bool, DATE_TIME_PATTERN, Const, CurrencyCode, DateTime, Discriminated, Enum, HttpUrl, Int, JsonObject, JsonValue, MinorUnits, NonEmpty, Obj, Optional, Text, Url,
} from '../src/schemas/builder.js';

/** JSON text keeps key order, so equal text means equal keywords in equal order. */
const text = (schema: unknown) => JSON.stringify(schema);

describe('builder schemas equal what TypeBox builds', () => {
  it('for each kind of field', () => {
    const pairs: Array<[TSchema, TSchema]> = [
      [Text(), Type.String()],
      [Text(64, { description: 'd', minLength: 2 }), Type.String({ minLength: 2, maxLength: 64, description: 'd' })],
      [NonEmpty(8), Type.String({ minLength: 1, maxLength: 8 })],
      [Enum(['A', 'B'], { caseInsensitive: true }), Type.Enum(['A', 'B'], { type: 'string', 'x-ams-case-insensitive': true })],
      [Const('X'), Type.Enum(['X'], { type: 'string' })],
      [Bool({ description: 'b' }), Type.Boolean({ description: 'b' })],
      [Int({ minimum: 1, maximum: 9 }), Type.Integer({ minimum: 1, maximum: 9 })],
      [MinorUnits(), Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$', maxLength: 16, 'x-ams-format': 'minor-units', description: 'Amount in the smallest currency unit as a decimal string, e.g. "100" for USD 1.00' })],
      [CurrencyCode(), Type.String({ minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$', 'x-ams-format': 'currency' })],
      [DateTime({ description: 't' }), Type.String({ pattern: DATE_TIME_PATTERN, maxLength: 64, 'x-ams-format': 'date-time', description: 't' })],
      [Url(10), Type.String({ maxLength: 10, format: 'uri', 'x-ams-format': 'url' })],
      [HttpUrl(10), Type.String({ maxLength: 10, format: 'uri', 'x-ams-format': 'http-url' })],
      [JsonObject(), Type.Unsafe({ type: 'object', 'x-ams-format': 'json' })],
      [JsonValue(), Type.Unsafe({ 'x-ams-format': 'json' })],
      [ArrayOf(Text(), { maxItems: 3 }), Type.Array(Type.String(), { maxItems: 3 })],
      [Obj({}), Type.Object({})],
      [Obj({ a: Text(), b: Optional(Text()), c: Optional(Obj({ d: Int() })) }, { description: 'o' }),
        Type.Object({ a: Type.String(), b: Type.Optional(Type.String()), c: Type.Optional(Type.Object({ d: Type.Integer() })) }, { description: 'o' })],
      [Obj({ a: Optional(Text()) }), Type.Object({ a: Type.Optional(Type.String()) })],
      [Discriminated('k', [Obj({ k: Const('A') }), Obj({ k: Const('B') })]),
        Type.Union([Type.Object({ k: Type.Enum(['A'], { type: 'string' }) }), Type.Object({ k: Type.Enum(['B'], { type: 'string' }) })], { 'x-ams-discriminator': 'k' })],
    ];
    for (const [ours, typebox] of pairs) expect(text(ours)).toBe(text(typebox));
  });

  it('Optional marks a copy: the schema it was given stays required where it is used as is', () => {
    const shared = Text();
    const object = Obj({ required: shared, optional: Optional(shared) });
    expect(object.required).toEqual(['required']);
  });
});
