/**
 * Plain JSON Schema out of our TypeBox schemas, for the OpenAPI document.
 *
 * - `canonical` (default): the normalised shape, i.e. what the validator
 *   outputs and what the gateway sends. Standard keywords carry what they can
 *   (`maxLength`, `pattern`, `required`, `anyOf` for rules); `x-ams-*`
 *   keywords stay as annotations unless `extensions: false`.
 * - `accepted`: what a request may look like on the wire given the
 *   validator's leniency (numbers for strings, `"true"` for booleans, `null`
 *   for optional fields, any case for case-insensitive enums).
 */
import type { TSchema } from 'typebox';
import { KEYWORD } from './builder.js';

export type JsonSchema = { [key: string]: JsonSchemaValue };
export type JsonSchemaValue = string | number | boolean | null | JsonSchemaValue[] | JsonSchema;

export interface JsonSchemaOptions {
  mode?: 'canonical' | 'accepted';
  /** Keep `x-ams-*` keywords (default true). */
  extensions?: boolean;
}

const MAX_DEPTH = 64;

export function jsonSchemaOf(schema: TSchema, options: JsonSchemaOptions = {}): JsonSchema {
  const copy = plain(schema, options.extensions ?? true, 0);
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) throw new TypeError('not a schema object');
  return options.mode === 'accepted' ? accepted(copy, 0) : copy;
}

/** Deep copy of the enumerable JSON-compatible parts (TypeBox markers are non-enumerable; functions are dropped). */
function plain(value: unknown, extensions: boolean, depth: number): JsonSchemaValue | undefined {
  if (depth > MAX_DEPTH) throw new RangeError('schema nested too deeply (cyclic?)');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof RegExp) return value.source;
  if (Array.isArray(value)) {
    return value.map((item) => plain(item, extensions, depth + 1)).filter((item): item is JsonSchemaValue => item !== undefined);
  }
  if (typeof value === 'object') {
    const out: JsonSchema = {};
    for (const key of Object.keys(value)) {
      if (!extensions && key.startsWith('x-ams-')) continue;
      const item = plain((value as Record<string, unknown>)[key], extensions, depth + 1);
      if (item !== undefined) out[key] = item;
    }
    return out;
  }
  return undefined;
}

function isSchema(value: JsonSchemaValue | undefined): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `^(?:[Pp][Aa]…)$` for case-insensitive matching without the non-standard `i` flag. */
function caseInsensitivePattern(values: readonly string[]): string {
  const escape = (c: string): string => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c);
  const alternatives = values.map((value) =>
    [...value].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toUpperCase()}${c.toLowerCase()}]` : escape(c))).join(''),
  );
  return `^(?:${alternatives.join('|')})$`;
}

function withoutAnnotations(schema: JsonSchema): { core: JsonSchema; notes: JsonSchema } {
  const core: JsonSchema = {};
  const notes: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'title' || key === 'examples') notes[key] = value;
    else core[key] = value;
  }
  return { core, notes };
}

function allowNull(schema: JsonSchema): JsonSchema {
  const { core, notes } = withoutAnnotations(schema);
  return { ...notes, anyOf: [core, { type: 'null' }] };
}

function accepted(schema: JsonSchema, depth: number): JsonSchema {
  if (depth > MAX_DEPTH) throw new RangeError('schema nested too deeply');
  const format = schema[KEYWORD.format];
  if (format === 'minor-units') {
    const { core, notes } = withoutAnnotations(schema);
    return { ...notes, anyOf: [core, { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }] };
  }
  if (format === 'decimal') {
    const { core, notes } = withoutAnnotations(schema);
    return { ...notes, anyOf: [core, { type: 'string', pattern: '^-?[0-9]{1,16}(\\.[0-9]{1,20})?$' }] };
  }
  if (format !== undefined) return schema;

  const values = schema['enum'];
  if (Array.isArray(values)) {
    if (schema[KEYWORD.caseInsensitive] !== true) return schema;
    const { enum: _enum, ...rest } = schema;
    return { ...rest, type: 'string', pattern: caseInsensitivePattern(values.filter((v): v is string => typeof v === 'string')) };
  }

  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) {
    return { ...schema, anyOf: anyOf.map((variant) => (isSchema(variant) ? accepted(variant, depth + 1) : variant)) };
  }

  switch (schema['type']) {
    case 'string':
      return { ...schema, type: ['string', 'number', 'boolean'] };
    case 'boolean': {
      const { core, notes } = withoutAnnotations(schema);
      return { ...notes, anyOf: [core, { type: 'string', pattern: caseInsensitivePattern(['true', 'false']) }] };
    }
    case 'integer': {
      const { core, notes } = withoutAnnotations(schema);
      return { ...notes, anyOf: [core, { type: 'string', pattern: '^-?[0-9]{1,16}$' }] };
    }
    case 'array': {
      const items = schema['items'];
      return isSchema(items) ? { ...schema, items: accepted(items, depth + 1) } : schema;
    }
    case 'object': {
      const properties = schema['properties'];
      if (!isSchema(properties)) return schema;
      const required = new Set(Array.isArray(schema['required']) ? schema['required'] : []);
      const out: JsonSchema = {};
      for (const [name, property] of Object.entries(properties)) {
        if (!isSchema(property)) continue;
        const widened = accepted(property, depth + 1);
        out[name] = required.has(name) ? widened : allowNull(widened);
      }
      return { ...schema, properties: out };
    }
    default:
      return schema;
  }
}
