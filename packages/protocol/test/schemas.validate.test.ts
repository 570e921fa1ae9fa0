import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { AmsError } from '../src/result.js';
import {
  BODY_FIELD,
  MAX_JSON_DEPTH,
  PayCashierRequestSchema,
  SchemaBuilder as B,
  SchemaCompileError,
  codePointLength,
  compile,
  exampleCashierPay,
  exampleOrder,
  isIsoDateTimeWithOffset,
  toParamIllegal,
  validate,
  type ValidationResult,
} from '../src/schemas/index.js';

function expectFailure<T>(result: ValidationResult<T>, field: string, problem?: string | RegExp): void {
  if (result.ok) throw new Error(`expected a failure at ${field}, got ok: ${JSON.stringify(result.value)}`);
  expect(result.field).toBe(field);
  expect(result.message).toBe(`${result.field}: ${result.problem}`);
  if (typeof problem === 'string') expect(result.problem).toBe(problem);
  else if (problem !== undefined) expect(result.problem).toMatch(problem);
}

function expectOk<T>(result: ValidationResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.message}`);
  return result.value;
}

const Sample = B.Obj({
  id: B.NonEmpty(8),
  note: B.Optional(B.Text(5)),
  flag: B.Optional(B.Bool()),
  count: B.Optional(B.Int({ minimum: -720, maximum: 720 })),
  amount: B.Optional(B.Obj({ currency: B.CurrencyCode(), value: B.MinorUnits() })),
  kind: B.Optional(B.Enum(['PaymentCode', 'OrderCode'], { caseInsensitive: true })),
  strictKind: B.Optional(B.Enum(['WEB', 'APP'])),
  at: B.Optional(B.DateTime()),
  link: B.Optional(B.Url(64)),
  hook: B.Optional(B.HttpUrl(64)),
  tags: B.Optional(B.ArrayOf(B.Obj({ name: B.Text(3) }), { maxItems: 2 })),
  extra: B.Optional(B.JsonObject()),
});

describe('leniency', () => {
  it('turns numbers and booleans given to string fields into strings', () => {
    expect(expectOk(validate(Sample, { id: 20 })).id).toBe('20');
    expect(expectOk(validate(Sample, { id: true })).id).toBe('true');
    expect(expectOk(validate(Sample, { id: -0 })).id).toBe('0');
  });

  it('accepts booleans as true/false or as strings in any case', () => {
    expect(expectOk(validate(Sample, { id: 'a', flag: 'true' })).flag).toBe(true);
    expect(expectOk(validate(Sample, { id: 'a', flag: 'FALSE' })).flag).toBe(false);
    expect(expectOk(validate(Sample, { id: 'a', flag: false })).flag).toBe(false);
    expectFailure(validate(Sample, { id: 'a', flag: 'yes' }), 'flag', /must be a boolean .*got "yes"/);
    expectFailure(validate(Sample, { id: 'a', flag: 1 }), 'flag', /got 1$/);
  });

  it('accepts integers as numbers or decimal strings, within bounds', () => {
    expect(expectOk(validate(Sample, { id: 'a', count: '20' })).count).toBe(20);
    expect(expectOk(validate(Sample, { id: 'a', count: -720 })).count).toBe(-720);
    expectFailure(validate(Sample, { id: 'a', count: 721 }), 'count', 'must be an integer between -720 and 720, got 721');
    expectFailure(validate(Sample, { id: 'a', count: '1.5' }), 'count', /got "1.5"/);
    expectFailure(validate(Sample, { id: 'a', count: 1.5 }), 'count', /got 1.5/);
  });

  it('treats null as absent: dropped when optional, "required" when not', () => {
    const value = expectOk(validate(Sample, { id: 'a', note: null, flag: null }));
    expect(value).toEqual({ id: 'a' });
    expect('note' in value).toBe(false);
    expectFailure(validate(Sample, { id: null }), 'id', 'is required (a string of at most 8 characters)');
  });

  it('drops unknown fields at every level', () => {
    const value = expectOk(validate(Sample, { id: 'a', bogus: 1, tags: [{ name: 'x', other: true }], amount: { currency: 'USD', value: '1', rate: 3 } }));
    expect(value).toEqual({ id: 'a', tags: [{ name: 'x' }], amount: { currency: 'USD', value: '1' } });
  });

  it('normalises case-insensitive enums to the canonical spelling and keeps others strict', () => {
    expect(expectOk(validate(Sample, { id: 'a', kind: 'PAYMENTCODE' })).kind).toBe('PaymentCode');
    expect(expectOk(validate(Sample, { id: 'a', kind: 'ordercode' })).kind).toBe('OrderCode');
    expectFailure(validate(Sample, { id: 'a', strictKind: 'web' }), 'strictKind', 'must be one of WEB, APP, got "web"');
    expectFailure(validate(Sample, { id: 'a', kind: 'Entry' }), 'kind', 'must be one of PaymentCode, OrderCode (any letter case), got "Entry"');
  });

  it('accepts an Amount value as a safe JSON integer and returns it as a string', () => {
    expect(expectOk(validate(Sample, { id: 'a', amount: { currency: 'JPY', value: 1 } })).amount).toEqual({ currency: 'JPY', value: '1' });
    expect(expectOk(validate(Sample, { id: 'a', amount: { currency: 'USD', value: 0 } })).amount?.value).toBe('0');
  });

  it('decodes a percent-encoded URL', () => {
    const value = expectOk(validate(Sample, { id: 'a', link: 'https%3A%2F%2Fm.example%2Fback' }));
    expect(value.link).toBe('https://m.example/back');
  });
});

describe('failures name the field and say what was expected', () => {
  const amountCases: [unknown, string][] = [
    ['1.5', 'must be a non-negative integer in minor units as a decimal string, got "1.5"'],
    ['-1', 'must be a non-negative integer in minor units as a decimal string, got "-1"'],
    ['01', 'must be a non-negative integer in minor units as a decimal string without leading zeros, got "01"'],
    ['', 'must be a non-negative integer in minor units as a decimal string, got ""'],
    ['12345678901234567', 'must be a non-negative integer in minor units as a decimal string of at most 16 digits (Antom\'s Amount.value is String(16)), got "12345678901234567"'],
    ['9223372036854775808', 'must be a non-negative integer in minor units as a decimal string of at most 16 digits (Antom\'s Amount.value is String(16)), got "9223372036854775808"'],
    [1.5, 'must be a non-negative integer in minor units as a decimal string, got 1.5'],
    [-1, 'must be a non-negative integer in minor units as a decimal string, got -1'],
    [true, 'must be a non-negative integer in minor units as a decimal string, got true'],
  ];
  it.each(amountCases)('amount value %j', (value, problem) => {
    const body = { ...exampleCashierPay(), order: { ...exampleOrder(), orderAmount: { currency: 'USD', value } } };
    const result = validate(PayCashierRequestSchema, body);
    expectFailure(result, 'order.orderAmount.value', problem);
    if (!result.ok) expect(result.message).toBe(`order.orderAmount.value: ${problem}`);
  });

  it('accepts 16 digits, the most Antom\'s Amount.value (String(16)) holds', () => {
    expect(expectOk(validate(Sample, { id: 'a', amount: { currency: 'USD', value: '9999999999999999' } })).amount?.value).toBe('9999999999999999');
  });

  it('refuses a number in a string field that JSON cannot carry exactly, a NUL and an unpaired surrogate, naming the field', () => {
    expectFailure(validate(Sample, { id: 2 ** 61 + 1 }), 'id', /got a 19-digit number, which JSON cannot carry exactly \(send it as a JSON string\)/);
    expectFailure(validate(Sample, { id: 1e-7 }), 'id', /cannot carry exactly/);
    expect(expectOk(validate(Sample, { id: 12345678 })).id).toBe('12345678');
    expect(expectOk(validate(Sample, { id: 1.5 })).id).toBe('1.5');
    expectFailure(validate(Sample, { id: 'R\u0000' }), 'id', 'must not contain the NUL character (U+0000)');
    expectFailure(validate(Sample, { id: 'a', note: 'x\ud800' }), 'note', /unpaired UTF-16 surrogate/);
    expectFailure(validate(Sample, { id: 'a', note: '\udc00x' }), 'note', /unpaired UTF-16 surrogate/);
    expect(expectOk(validate(Sample, { id: 'a', note: '😀' })).note).toBe('😀');
  });

  it('suggests a string for JSON integers beyond 2^53', () => {
    expectFailure(validate(Sample, { id: 'a', amount: { currency: 'USD', value: 2 ** 60 } }), 'amount.value', /lose precision; send the value as a string/);
  });

  it('refuses unknown and lower-case currencies', () => {
    expectFailure(validate(Sample, { id: 'a', amount: { currency: 'ABC', value: '1' } }), 'amount.currency', /ISO 4217 .*got "ABC"/);
    expectFailure(validate(Sample, { id: 'a', amount: { currency: 'usd', value: '1' } }), 'amount.currency', /got "usd"/);
    expectFailure(validate(Sample, { id: 'a', amount: { currency: 840, value: '1' } }), 'amount.currency', /got 840/);
  });

  it('reports missing required fields inside nested objects', () => {
    expectFailure(validate(Sample, { id: 'a', amount: { currency: 'USD' } }), 'amount.value', /^is required \(a non-negative integer/);
  });

  it('counts length in code points, so multi-byte characters are one each', () => {
    expect(expectOk(validate(Sample, { id: 'a', note: '😀😀😀😀😀' })).note).toBe('😀😀😀😀😀'); // 10 UTF-16 units
    expectFailure(validate(Sample, { id: 'a', note: '😀😀😀😀😀😀' }), 'note', 'must be at most 5 characters, got 6');
    expect(expectOk(validate(Sample, { id: 'a', note: 'ééééé' })).note).toBe('ééééé');
    expectFailure(validate(Sample, { id: '123456789' }), 'id', 'must be at most 8 characters, got 9');
  });

  it('refuses an empty required string', () => {
    expectFailure(validate(Sample, { id: '' }), 'id', 'must not be empty');
  });

  it('reports wrong types', () => {
    expectFailure(validate(Sample, { id: {} }), 'id', 'must be a string of at most 8 characters, got an object');
    expectFailure(validate(Sample, { id: 'a', amount: [] }), 'amount', 'must be an object, got an array');
    expectFailure(validate(Sample, { id: 'a', tags: {} }), 'tags', 'must be an array, got an object');
    expectFailure(validate(Sample, { id: 'a', extra: 'x' }), 'extra', 'must be a JSON object, got "x"');
  });

  it('names array items by index', () => {
    expectFailure(validate(Sample, { id: 'a', tags: [{ name: 'ok' }, { name: 'toolong' }] }), 'tags[1].name', 'must be at most 3 characters, got 7');
    expectFailure(validate(Sample, { id: 'a', tags: [null] }), 'tags[0]', 'must be an object, got null');
  });

  it('enforces maxItems', () => {
    expectFailure(validate(Sample, { id: 'a', tags: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }), 'tags', 'must have at most 2 items, got 3');
  });

  it('checks date-times', () => {
    for (const ok of ['2019-11-27T12:01:01+08:00', '2019-11-27T12:01:01.123Z', '2005-08-15T15:52:01+0000', '2024-02-29T00:00Z', '2019-11-27 12:01:01-05']) {
      expect(expectOk(validate(Sample, { id: 'a', at: ok })).at).toBe(ok);
    }
    for (const bad of ['2019-11-27T12:01:01', '2019-11-27', '1685599933871', '2019-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2019-11-27T24:00:00Z']) {
      expectFailure(validate(Sample, { id: 'a', at: bad }), 'at', /ISO 8601 date-time with offset/);
    }
    expect(isIsoDateTimeWithOffset('2019-11-27T12:01:01+19:00')).toBe(false);
  });

  it('checks URLs and http(s)-only URLs', () => {
    expect(expectOk(validate(Sample, { id: 'a', link: 'myapp://result' })).link).toBe('myapp://result');
    expectFailure(validate(Sample, { id: 'a', link: 'not a url' }), 'link', 'must be an absolute URL (not javascript:, data: or file:), got "not a url"');
    expectFailure(validate(Sample, { id: 'a', link: 'javascript:alert(1)' }), 'link', /^must be an absolute URL/);
    expectFailure(validate(Sample, { id: 'a', link: 'DATA:text/html,x' }), 'link', /^must be an absolute URL/);
    expectFailure(validate(Sample, { id: 'a', hook: 'ftp://m.example/x' }), 'hook', /absolute http or https URL/);
    expectFailure(validate(Sample, { id: 'a', hook: `https://m.example/${'x'.repeat(60)}` }), 'hook', /at most 64 characters/);
  });

  it('reports a body that is not an object with the body field name', () => {
    for (const body of [null, undefined, [], 'text', 42, true]) {
      expectFailure(validate(Sample, body), BODY_FIELD, /^must be a JSON object, got /);
    }
    expectFailure(validate(Sample, []), '(body)', 'must be a JSON object, got an array');
  });

  it('limits the depth of free-form JSON without recursion', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expectFailure(validate(Sample, { id: 'a', extra: deep }), 'extra', `is nested too deeply (more than ${MAX_JSON_DEPTH} levels)`);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) ok = [ok];
    expect(expectOk(validate(Sample, { id: 'a', extra: { ok } })).extra).toEqual({ ok });
  });

  it('copies free-form JSON, including a "__proto__" key, without touching prototypes', () => {
    const extra = JSON.parse('{"__proto__": {"polluted": true}, "a": [1, {"b": null}]}') as Record<string, unknown>;
    const value = expectOk(validate(Sample, { id: 'a', extra }));
    expect(value.extra).toEqual(extra);
    expect(value.extra).not.toBe(extra);
    expect(Object.getPrototypeOf(value.extra)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('toParamIllegal', () => {
  it('gives PARAM_ILLEGAL naming the field', () => {
    const result = validate(Sample, { id: 'a', count: 'x' });
    if (result.ok) throw new Error('expected failure');
    const error = toParamIllegal(result);
    expect(error).toBeInstanceOf(AmsError);
    expect(error.code).toBe('PARAM_ILLEGAL');
    expect(error.status).toBe('F');
    expect(error.field).toBe('count');
    expect(error.message).toBe(result.message);
    expect(error.toResult().resultMessage).toBe(result.message);
  });
});

describe('compile', () => {
  it('returns a reusable validator', () => {
    const check = compile(Sample);
    expect(check({ id: 1 })).toEqual({ ok: true, value: { id: '1' } });
    expect(check({ id: 2 }).ok).toBe(true);
  });

  it('refuses schema keywords it would otherwise ignore', () => {
    expect(() => compile(B.Obj({ a: B.Text(3) }, { description: 'fine' }))).not.toThrow();
    expect(() => compile({ type: 'string', format: 'email' } as never)).toThrow(SchemaCompileError);
    expect(() => compile({ type: 'integer', multipleOf: 2 } as never)).toThrow(/multipleOf/);
    expect(() => compile(Type.Object({ a: Type.String() }, { additionalProperties: false }))).toThrow(/additionalProperties/);
    expect(() => compile({ anyOf: [{ type: 'string' }, { type: 'integer' }] } as never)).toThrow(/x-ams-discriminator/);
    expect(() => compile({ type: 'object' } as never)).toThrow(/JsonObject/);
  });

  it('counts code points', () => {
    expect(codePointLength('a😀é')).toBe(3);
    expect(codePointLength('\ud800x')).toBe(2); // lone surrogate counts once
  });
});

describe('robustness', () => {
  /** Deterministic PRNG so a failure reproduces. */
  function mulberry32(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const KEYS = ['id', 'note', 'flag', 'count', 'amount', 'currency', 'value', 'kind', 'at', 'tags', 'name', 'extra', 'x', '__proto__', 'constructor'];
  const STRINGS = ['', 'a', 'true', 'FALSE', '20', '1.5', '-1', '01', 'USD', 'usd', 'PAYMENTCODE', '😀😀😀😀😀😀', '2019-11-27T12:01:01+08:00', 'https%3A%2F%2Fx', 'x'.repeat(300)];

  function randomValue(random: () => number, depth: number): unknown {
    const pick = random();
    if (depth > 6 || pick < 0.35) {
      const scalar = random();
      if (scalar < 0.15) return null;
      if (scalar < 0.3) return random() < 0.5;
      if (scalar < 0.55) return [0, -0, 1, -1, 1.5, 20, 2 ** 53, 2 ** 64, -720, 721][Math.floor(random() * 10)];
      return STRINGS[Math.floor(random() * STRINGS.length)];
    }
    if (pick < 0.6) return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(random, depth + 1));
    const object: Record<string, unknown> = {};
    const count = Math.floor(random() * 6);
    for (let i = 0; i < count; i++) {
      Object.defineProperty(object, KEYS[Math.floor(random() * KEYS.length)] as string, {
        value: randomValue(random, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return object;
  }

  /** Replaces one random node of a valid body with a random value. */
  function mutate(body: unknown, random: () => number): unknown {
    const copy = structuredClone(body) as Record<string, unknown>;
    let node: Record<string, unknown> | unknown[] = copy;
    for (;;) {
      const keys = Object.keys(node);
      if (keys.length === 0) return copy;
      const key = keys[Math.floor(random() * keys.length)] as string;
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object' && random() < 0.6) {
        node = child as Record<string, unknown>;
        continue;
      }
      (node as Record<string, unknown>)[key] = randomValue(random, 3);
      return copy;
    }
  }

  it('never throws, never mutates its input, and returns normalised output that validates to itself', () => {
    const random = mulberry32(20240611);
    const check = compile(PayCashierRequestSchema);
    const checkSample = compile(Sample);
    let failures = 0;
    let passes = 0;
    for (let i = 0; i < 3000; i++) {
      const input = i % 2 === 0 ? mutate(exampleCashierPay(), random) : randomValue(random, 0);
      const snapshot = structuredClone(input);
      for (const run of [check, checkSample]) {
        const result = run(input);
        expect(input).toEqual(snapshot);
        if (result.ok) {
          passes++;
          expect(JSON.parse(JSON.stringify(result.value))).toEqual(result.value);
          expect(run(result.value)).toEqual(result);
        } else {
          failures++;
          expect(typeof result.field).toBe('string');
          expect(result.message.startsWith(`${result.field}: `)).toBe(true);
        }
      }
    }
    // the fuzzer reaches both outcomes, so both branches above were exercised
    expect(failures).toBeGreaterThan(100);
    expect(passes).toBeGreaterThan(100);
  });

  it('survives non-JSON values and deep arrays in the body', () => {
    const weird: unknown[] = [NaN, Infinity, () => 1, Symbol('s'), 10n, new Date(0), new Map()];
    for (const value of weird) {
      expect(() => validate(Sample, { id: 'a', note: value, extra: { v: value } })).not.toThrow();
      expect(() => validate(Sample, value)).not.toThrow();
    }
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => validate(Sample, { id: 'a', tags: deep, extra: { deep } })).not.toThrow();
  });

  it('does not share objects between input and output', () => {
    const input = { id: 'a', tags: [{ name: 'x' }], extra: { nested: { n: 1 } } };
    const value = expectOk(validate(Sample, input)) as unknown as { tags: { name: string }[]; extra: { nested: { n: number } } };
    value.tags[0]!.name = 'changed';
    value.extra.nested.n = 2;
    expect(input).toEqual({ id: 'a', tags: [{ name: 'x' }], extra: { nested: { n: 1 } } });
  });

  it('is fast enough for a request pipeline', () => {
    const check = compile(PayCashierRequestSchema);
    const body = {
      ...exampleCashierPay(),
      order: { ...exampleOrder(), goods: Array.from({ length: 20 }, (_, i) => ({ goodsName: `item ${i}`, goodsUnitAmount: { currency: 'USD', value: 5 } })) },
    };
    const started = performance.now();
    for (let i = 0; i < 5000; i++) check(body);
    const perCall = (performance.now() - started) / 5000;
    expect(perCall).toBeLessThan(0.5); // milliseconds; typically ~0.02
  });
});
