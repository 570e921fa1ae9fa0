/**
 * Turns a schema (TypeBox / JSON Schema, restricted to what `builder.ts`
 * produces) into a plan of plain nodes the validator walks. Done once per
 * schema; the plan holds no per-call state and no closures. A keyword the
 * plan cannot honour is a programming error and throws here, at start-up,
 * rather than being silently ignored at validation time.
 */
import type { TSchema } from 'typebox';
import { KEYWORD, rulesOf, type AmsFormat, type Rule } from './builder.js';

export interface StringNode {
  readonly kind: 'string';
  readonly minLength: number;
  readonly maxLength: number | undefined;
  readonly pattern: RegExp | undefined;
  readonly patternSource: string | undefined;
}
export interface EnumNode {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly caseInsensitive: boolean;
  /** Lookup key (lower-cased when case-insensitive) → canonical spelling. */
  readonly lookup: ReadonlyMap<string, string>;
}
export interface BooleanNode {
  readonly kind: 'boolean';
}
export interface IntegerNode {
  readonly kind: 'integer';
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
}
export interface MinorUnitsNode {
  readonly kind: 'minor-units';
}
export interface CurrencyNode {
  readonly kind: 'currency';
}
export interface DateTimeNode {
  readonly kind: 'date-time';
}
export interface UrlNode {
  readonly kind: 'url';
  readonly httpOnly: boolean;
  readonly maxLength: number | undefined;
}
export interface DecimalNode {
  readonly kind: 'decimal';
}
export interface JsonNode {
  readonly kind: 'json';
  readonly objectOnly: boolean;
}
export interface Property {
  readonly name: string;
  readonly node: Node;
  readonly required: boolean;
}
export interface ObjectNode {
  readonly kind: 'object';
  readonly properties: readonly Property[];
  readonly rules: readonly Rule<unknown>[];
}
export interface ArrayNode {
  readonly kind: 'array';
  readonly items: Node;
  readonly minItems: number;
  readonly maxItems: number | undefined;
}
export interface UnionNode {
  readonly kind: 'union';
  readonly discriminator: string;
  readonly tag: EnumNode;
  /** Canonical discriminator value → variant. */
  readonly variants: ReadonlyMap<string, ObjectNode>;
}

export type Node =
  | StringNode
  | EnumNode
  | BooleanNode
  | IntegerNode
  | MinorUnitsNode
  | CurrencyNode
  | DateTimeNode
  | UrlNode
  | JsonNode
  | DecimalNode
  | ObjectNode
  | ArrayNode
  | UnionNode;

/** Keywords that only annotate; everything else must be understood. */
const ANNOTATIONS = new Set(['title', 'description', 'examples', '$id', '$schema', 'deprecated', 'readOnly', 'writeOnly']);

const MAX_SCHEMA_DEPTH = 32;

export class SchemaCompileError extends Error {
  override name = 'SchemaCompileError';
}

type Json = Record<string, unknown>;

const cache = new WeakMap<object, Node>();

/** The plan for a schema, built on first use and cached per schema object. */
export function planOf(schema: TSchema): Node {
  let plan = cache.get(schema);
  if (plan === undefined) {
    plan = compileNode(schema as Json, '(root)', 0);
    cache.set(schema, plan);
  }
  return plan;
}

function fail(where: string, problem: string): never {
  throw new SchemaCompileError(`schema at ${where}: ${problem}`);
}

function assertKnownKeys(schema: Json, where: string, allowed: readonly string[]): void {
  for (const key of Object.keys(schema)) {
    if (allowed.includes(key) || ANNOTATIONS.has(key) || key === KEYWORD.format) continue;
    fail(where, `keyword "${key}" is not supported by the amsgate validator`);
  }
}

function optionalNumber(schema: Json, key: string, where: string): number | undefined {
  const value = schema[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, `${key} must be a finite number`);
  return value;
}

function compileNode(schema: Json, where: string, depth: number): Node {
  if (depth > MAX_SCHEMA_DEPTH) fail(where, 'nested too deeply (recursive schemas are not supported)');
  if (schema === null || typeof schema !== 'object') fail(where, 'not a schema object');
  const format = schema[KEYWORD.format] as AmsFormat | undefined;

  if (format !== undefined) return compileFormat(schema, format, where);
  if (Array.isArray(schema['anyOf'])) return compileUnion(schema, where, depth);
  if (Array.isArray(schema['enum'])) return compileEnum(schema, where);

  switch (schema['type']) {
    case 'string': {
      assertKnownKeys(schema, where, ['type', 'minLength', 'maxLength', 'pattern']);
      const patternSource = schema['pattern'];
      if (patternSource !== undefined && typeof patternSource !== 'string') fail(where, 'pattern must be a string');
      return {
        kind: 'string',
        minLength: optionalNumber(schema, 'minLength', where) ?? 0,
        maxLength: optionalNumber(schema, 'maxLength', where),
        pattern: patternSource === undefined ? undefined : new RegExp(patternSource, 'u'),
        patternSource,
      };
    }
    case 'boolean':
      assertKnownKeys(schema, where, ['type']);
      return { kind: 'boolean' };
    case 'integer':
      assertKnownKeys(schema, where, ['type', 'minimum', 'maximum']);
      return {
        kind: 'integer',
        minimum: optionalNumber(schema, 'minimum', where),
        maximum: optionalNumber(schema, 'maximum', where),
      };
    case 'object':
      return compileObject(schema, where, depth);
    case 'array': {
      assertKnownKeys(schema, where, ['type', 'items', 'minItems', 'maxItems']);
      const items = schema['items'];
      if (items === null || typeof items !== 'object' || Array.isArray(items)) fail(where, 'array needs a single items schema');
      return {
        kind: 'array',
        items: compileNode(items as Json, `${where}[]`, depth + 1),
        minItems: optionalNumber(schema, 'minItems', where) ?? 0,
        maxItems: optionalNumber(schema, 'maxItems', where),
      };
    }
    default:
      return fail(where, `type ${JSON.stringify(schema['type'])} is not supported`);
  }
}

function compileFormat(schema: Json, format: AmsFormat, where: string): Node {
  // The standard keywords a format schema carries restate the format for other tools; the format check covers them.
  assertKnownKeys(schema, where, ['type', 'pattern', 'minLength', 'maxLength', 'format']);
  switch (format) {
    case 'minor-units':
      return { kind: 'minor-units' };
    case 'currency':
      return { kind: 'currency' };
    case 'date-time':
      return { kind: 'date-time' };
    case 'url':
    case 'http-url':
      return { kind: 'url', httpOnly: format === 'http-url', maxLength: optionalNumber(schema, 'maxLength', where) };
    case 'json':
      return { kind: 'json', objectOnly: schema['type'] === 'object' };
    case 'decimal':
      return { kind: 'decimal' };
    default:
      return fail(where, `unknown ${KEYWORD.format} ${JSON.stringify(format)}`);
  }
}

function compileEnum(schema: Json, where: string): EnumNode {
  assertKnownKeys(schema, where, ['type', 'enum', KEYWORD.caseInsensitive]);
  const values = schema['enum'] as unknown[];
  if (values.length === 0 || !values.every((value): value is string => typeof value === 'string')) {
    fail(where, 'enum values must be non-empty strings');
  }
  const caseInsensitive = schema[KEYWORD.caseInsensitive] === true;
  const lookup = new Map<string, string>();
  for (const value of values) {
    const key = caseInsensitive ? value.toLowerCase() : value;
    if (lookup.has(key)) fail(where, `enum values ${JSON.stringify(value)} collide`);
    lookup.set(key, value);
  }
  return { kind: 'enum', values, caseInsensitive, lookup };
}

function compileObject(schema: Json, where: string, depth: number): ObjectNode {
  const rules = rulesOf(schema);
  // `allOf` on a refined object restates its rules for other tools; the rules themselves are checked.
  const allowed = ['type', 'properties', 'required', KEYWORD.rules, ...(rules.length > 0 ? ['allOf'] : [])];
  assertKnownKeys(schema, where, allowed);
  const properties = schema['properties'];
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    return fail(where, 'an object schema needs properties (use JsonObject() for free-form objects)');
  }
  const requiredList = schema['required'] ?? [];
  if (!Array.isArray(requiredList)) fail(where, 'required must be an array');
  const required = new Set(requiredList as unknown[]);
  const compiled: Property[] = [];
  for (const [name, child] of Object.entries(properties as Record<string, Json>)) {
    compiled.push({ name, node: compileNode(child, where === '(root)' ? name : `${where}.${name}`, depth + 1), required: required.has(name) });
  }
  for (const name of required) {
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(properties, name)) {
      fail(where, `required property ${JSON.stringify(name)} is not defined`);
    }
  }
  return { kind: 'object', properties: compiled, rules };
}

function compileUnion(schema: Json, where: string, depth: number): UnionNode {
  assertKnownKeys(schema, where, ['anyOf', KEYWORD.discriminator]);
  const discriminator = schema[KEYWORD.discriminator];
  if (typeof discriminator !== 'string') fail(where, `anyOf is only supported with ${KEYWORD.discriminator}`);
  const variants = new Map<string, ObjectNode>();
  const values: string[] = [];
  let caseInsensitive = true;
  for (const [index, variant] of (schema['anyOf'] as Json[]).entries()) {
    const node = compileNode(variant, `${where}|${index}`, depth + 1);
    if (node.kind !== 'object') return fail(where, 'discriminated union variants must be objects');
    const tag = node.properties.find((property) => property.name === discriminator);
    if (tag === undefined || !tag.required || tag.node.kind !== 'enum' || tag.node.values.length !== 1) {
      return fail(where, `each variant needs a required one-value enum ${discriminator}`);
    }
    const value = tag.node.values[0] as string;
    if (variants.has(value)) fail(where, `two variants share ${discriminator} ${value}`);
    variants.set(value, node);
    values.push(value);
    caseInsensitive &&= tag.node.caseInsensitive;
  }
  const tag = compileEnum({ type: 'string', enum: values, [KEYWORD.caseInsensitive]: caseInsensitive }, where);
  return { kind: 'union', discriminator, tag, variants };
}
