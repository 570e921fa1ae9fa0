/**
 * The lenient validator. It reads a parsed JSON body against a schema and
 * returns a NEW, normalised value, or the first problem with the dotted path
 * of the field at fault.
 *
 * Leniency (what real clients send, see spec endpoints.md §0):
 * - scalars may arrive as JSON strings or as numbers/booleans: a string field
 *   given `20` gets `"20"` (a boolean gives `"true"`), a boolean field accepts
 *   `"true"`/`"false"` in any case, an integer field accepts `"20"`, an Amount
 *   value accepts a safe non-negative JSON integer;
 * - `null` means absent, so `"required"` applies to it;
 * - properties the schema does not define are dropped from the output;
 * - enums marked case-insensitive accept any letter case and give the
 *   canonical spelling.
 * Strictness: lengths are counted in Unicode code points; required strings
 * built with `NonEmpty` must not be empty; nested free-form JSON is limited
 * to {@link MAX_JSON_DEPTH} levels.
 *
 * Guarantees: never throws on any input (a schema that cannot be compiled
 * throws once, from `compile`), never mutates the input, recursion depth is
 * bounded by the schema's depth (free-form JSON is copied iteratively).
 */
import type Type from 'typebox';
import type { TSchema } from 'typebox';
import { isKnownCurrency, isValidMinorUnits } from '../money.js';
import { AmsError } from '../result.js';
import { planOf, type ArrayNode, type EnumNode, type Node, type ObjectNode, type StringNode, type UnionNode } from './compile.js';
import { DATE_TIME_PATTERN } from './builder.js';

export interface ValidationSuccess<T> {
  readonly ok: true;
  readonly value: T;
}

export interface ValidationFailure {
  readonly ok: false;
  /** Dotted path of the field at fault (`order.goods[3].goodsName`), or `(body)` for the body itself. */
  readonly field: string;
  /** What is wrong and what was expected, without the field name. */
  readonly problem: string;
  /** `field: problem`, ready for a `resultMessage`. */
  readonly message: string;
}

export type ValidationResult<T> = ValidationSuccess<T> | ValidationFailure;

export type Validator<T> = (input: unknown) => ValidationResult<T>;

/** The field name used when the body as a whole is wrong. */
export const BODY_FIELD = '(body)';

/** Free-form JSON (`JsonObject`, `JsonValue`) deeper than this is refused. */
export const MAX_JSON_DEPTH = 32;

/** Builds a failure; exported so callers (dispatchers, gateway checks) report in the same shape. */
export function failure(field: string, problem: string): ValidationFailure {
  return { ok: false, field, problem, message: `${field}: ${problem}` };
}

/** `PARAM_ILLEGAL` naming the field. */
export function toParamIllegal(result: ValidationFailure): AmsError {
  return AmsError.paramIllegal(result.field, result.problem);
}

/** Compiles once; the returned function validates and normalises. */
export function compile<S extends TSchema>(schema: S): Validator<Type.Static<S>> {
  const plan = planOf(schema);
  return (input: unknown) => run(plan, input) as ValidationResult<Type.Static<S>>;
}

/** Validates with the schema's cached plan. */
export function validate<S extends TSchema>(schema: S, input: unknown): ValidationResult<Type.Static<S>> {
  return run(planOf(schema), input) as ValidationResult<Type.Static<S>>;
}

/** Validates with a plan (used by dispatchers that already hold one). */
export function runPlan(plan: Node, input: unknown): ValidationResult<unknown> {
  return run(plan, input);
}

// ---------------------------------------------------------------------------

/** Returned by the walk on failure; the details are in the context. */
const FAIL: unique symbol = Symbol('fail');

type Segment = string | number;

interface Context {
  readonly path: Segment[];
  problem: string;
  /** Path of the failure, captured when it happens (the stack unwinds afterwards). */
  failedAt: Segment[] | undefined;
}

function run(plan: Node, input: unknown): ValidationResult<unknown> {
  const ctx: Context = { path: [], problem: '', failedAt: undefined };
  try {
    if (!isPlainObjectLike(input) && (plan.kind === 'object' || plan.kind === 'union')) {
      return failure(BODY_FIELD, `must be a JSON object, got ${describe(input)}`);
    }
    const value = walk(plan, input, ctx);
    if (value === FAIL) return failure(formatPath(ctx.failedAt ?? []), ctx.problem);
    return { ok: true, value };
  } catch (error) {
    // Not reachable with JSON input; a getter or proxy in a hand-made input could throw.
    return failure(formatPath(ctx.path), `could not be read (${error instanceof Error ? error.message : 'unknown error'})`);
  }
}

function reject(ctx: Context, problem: string): typeof FAIL {
  ctx.problem = problem;
  ctx.failedAt = ctx.path.slice();
  return FAIL;
}

function walk(node: Node, value: unknown, ctx: Context): unknown {
  switch (node.kind) {
    case 'object':
      return walkObject(node, value, ctx);
    case 'array':
      return walkArray(node, value, ctx);
    case 'union':
      return walkUnion(node, value, ctx);
    case 'string':
      return walkString(node, value, ctx);
    case 'enum':
      return walkEnum(node, value, ctx);
    case 'boolean':
      return walkBoolean(value, ctx);
    case 'integer':
      return walkInteger(node.minimum, node.maximum, value, ctx);
    case 'minor-units':
      return walkMinorUnits(value, ctx);
    case 'currency':
      return walkCurrency(value, ctx);
    case 'date-time':
      return walkDateTime(value, ctx);
    case 'url':
      return walkUrl(node.httpOnly, node.maxLength, value, ctx);
    case 'json':
      return walkJson(node.objectOnly, value, ctx);
    case 'decimal':
      return walkDecimal(value, ctx);
  }
}

function isPlainObjectLike(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const hasOwn = Object.prototype.hasOwnProperty;

function walkObject(node: ObjectNode, value: unknown, ctx: Context): unknown {
  if (!isPlainObjectLike(value)) return reject(ctx, `must be an object, got ${describe(value)}`);
  const out: Record<string, unknown> = {};
  const { path } = ctx;
  for (const property of node.properties) {
    const raw = hasOwn.call(value, property.name) ? value[property.name] : undefined;
    path.push(property.name);
    if (raw === undefined || raw === null) {
      if (property.required) return reject(ctx, `is required (${expectation(property.node)})`);
      path.pop();
      continue;
    }
    const result = walk(property.node, raw, ctx);
    if (result === FAIL) return FAIL;
    path.pop();
    out[property.name] = result;
  }
  for (const rule of node.rules) {
    const violation = rule.check(out);
    if (violation !== undefined) {
      const depth = path.length;
      path.push(...violation.path);
      const failed = reject(ctx, violation.problem);
      path.length = depth;
      return failed;
    }
  }
  return out;
}

function walkArray(node: ArrayNode, value: unknown, ctx: Context): unknown {
  if (!Array.isArray(value)) return reject(ctx, `must be an array, got ${describe(value)}`);
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    return reject(ctx, `must have at most ${node.maxItems} item${node.maxItems === 1 ? '' : 's'}, got ${value.length}`);
  }
  if (value.length < node.minItems) {
    return reject(ctx, `must have at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}, got ${value.length}`);
  }
  const out: unknown[] = new Array(value.length);
  const { path } = ctx;
  for (let index = 0; index < value.length; index++) {
    path.push(index);
    const item: unknown = value[index];
    if (item === undefined || item === null) return reject(ctx, `must be ${expectation(node.items)}, got ${describe(item)}`);
    const result = walk(node.items, item, ctx);
    if (result === FAIL) return FAIL;
    path.pop();
    out[index] = result;
  }
  return out;
}

function walkUnion(node: UnionNode, value: unknown, ctx: Context): unknown {
  if (!isPlainObjectLike(value)) return reject(ctx, `must be an object, got ${describe(value)}`);
  const raw = hasOwn.call(value, node.discriminator) ? value[node.discriminator] : undefined;
  ctx.path.push(node.discriminator);
  if (raw === undefined || raw === null) return reject(ctx, `is required (${expectation(node.tag)})`);
  const tag = walkEnum(node.tag, raw, ctx);
  if (tag === FAIL) return FAIL;
  ctx.path.pop();
  const variant = node.variants.get(tag as string);
  if (variant === undefined) return reject(ctx, `has no schema for ${String(tag)}`); // unreachable: tag comes from the variants
  return walkObject(variant, value, ctx);
}

/** A scalar given where a string is expected, as the string it stands for; `undefined` if it is not a scalar. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/** Length in Unicode code points, counting a lone surrogate as one. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** `undefined` when `text` fits in `max` code points, else its length. Avoids counting in the common case. */
function overLength(text: string, max: number): number | undefined {
  if (text.length <= max) return undefined; // code points ≤ UTF-16 units
  const length = codePointLength(text);
  return length > max ? length : undefined;
}

function tooLong(max: number, length: number): string {
  return `must be at most ${max} character${max === 1 ? '' : 's'}, got ${length}`;
}

/** A lone UTF-16 surrogate: no UTF-8 form, so stored it would become U+FFFD and two different values could compare equal. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function walkString(node: StringNode, value: unknown, ctx: Context): unknown {
  // A number where a string is expected stands for its digits only if JSON carried them exactly.
  if (typeof value === 'number' && Number.isFinite(value) && (!Number.isSafeInteger(Math.trunc(value)) || /e/i.test(String(value)))) {
    // A long number is likely a card or account number: its length says enough, its digits must not be echoed or logged.
    const shown = /^\d{12,}$/.test(Math.trunc(Math.abs(value)).toFixed(0)) ? `a ${Math.trunc(Math.abs(value)).toFixed(0).length}-digit number` : `the number ${describe(value)}`;
    return reject(ctx, `must be ${expectation(node)}, got ${shown}, which JSON cannot carry exactly (send it as a JSON string)`);
  }
  const text = scalarText(value);
  if (text === undefined) return reject(ctx, `must be ${expectation(node)}, got ${describe(value)}`);
  if (text.includes('\u0000')) return reject(ctx, 'must not contain the NUL character (U+0000)');
  if (LONE_SURROGATE.test(text)) return reject(ctx, 'must not contain an unpaired UTF-16 surrogate (not a Unicode character)');
  if (text.length === 0 && node.minLength > 0) return reject(ctx, 'must not be empty');
  if (node.maxLength !== undefined) {
    const length = overLength(text, node.maxLength);
    if (length !== undefined) return reject(ctx, tooLong(node.maxLength, length));
  }
  if (node.minLength > 1 && codePointLength(text) < node.minLength) {
    return reject(ctx, `must be at least ${node.minLength} characters, got ${codePointLength(text)}`);
  }
  if (node.pattern !== undefined && !node.pattern.test(text)) {
    return reject(ctx, `must match ${node.patternSource ?? ''}, got ${describe(text)}`);
  }
  return text;
}

function walkEnum(node: EnumNode, value: unknown, ctx: Context): unknown {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? scalarText(value) : undefined;
  if (text !== undefined) {
    const canonical = node.lookup.get(node.caseInsensitive ? text.toLowerCase() : text);
    if (canonical !== undefined) return canonical;
  }
  return reject(ctx, `must be ${expectation(node)}, got ${describe(value)}`);
}

function walkBoolean(value: unknown, ctx: Context): unknown {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (value.length === 4 && value.toLowerCase() === 'true') return true;
    if (value.length === 5 && value.toLowerCase() === 'false') return false;
  }
  return reject(ctx, `must be a boolean (true or false, or the string "true" or "false"), got ${describe(value)}`);
}

const DECIMAL_TEXT = /^-?[0-9]{1,16}(\.[0-9]{1,20})?$/;

function walkDecimal(value: unknown, ctx: Context): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return Number(value);
  return reject(ctx, `must be a decimal number (e.g. 7.8, or the string "7.8"), got ${describe(value)}`);
}

const INTEGER_TEXT = /^-?[0-9]{1,16}$/;

function walkInteger(minimum: number | undefined, maximum: number | undefined, value: unknown, ctx: Context): unknown {
  let number: number | undefined;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && INTEGER_TEXT.test(value)) number = Number(value);
  if (
    number === undefined ||
    !Number.isSafeInteger(number) ||
    (minimum !== undefined && number < minimum) ||
    (maximum !== undefined && number > maximum)
  ) {
    return reject(ctx, `must be ${integerExpectation(minimum, maximum)}, got ${describe(value)}`);
  }
  return number === 0 ? 0 : number; // no -0
}

const MINOR_UNITS_EXPECTATION = 'a non-negative integer in minor units as a decimal string';
/** Antom's Amount object: `value` is String (16). */
const MAX_AMOUNT_DIGITS = 16;

function walkMinorUnits(value: unknown, ctx: Context): unknown {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return String(value);
    const hint = Number.isInteger(value) && value > 0 ? ' (JSON numbers this large lose precision; send the value as a string)' : '';
    return reject(ctx, `must be ${MINOR_UNITS_EXPECTATION}, got ${describe(value)}${hint}`);
  }
  if (typeof value !== 'string') return reject(ctx, `must be ${MINOR_UNITS_EXPECTATION}, got ${describe(value)}`);
  if (value.length <= MAX_AMOUNT_DIGITS && isValidMinorUnits(value)) return value;
  let detail = '';
  if (/^[0-9]+$/.test(value)) {
    detail = value.length > 1 && value.startsWith('0') ? ' without leading zeros' : ` of at most ${MAX_AMOUNT_DIGITS} digits (Antom's Amount.value is String(16))`;
  }
  return reject(ctx, `must be ${MINOR_UNITS_EXPECTATION}${detail}, got ${describe(value)}`);
}

function walkCurrency(value: unknown, ctx: Context): unknown {
  if (typeof value === 'string' && isKnownCurrency(value)) return value;
  return reject(ctx, `must be ${expectationOfKind('currency')}, got ${describe(value)}`);
}

const DATE_TIME = new RegExp(DATE_TIME_PATTERN);
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Shape by the pattern, then the calendar: month 1–12, a day the month has, hh ≤ 23, mm ≤ 59, ss ≤ 60, offset ≤ 18:00. */
export function isIsoDateTimeWithOffset(text: string): boolean {
  if (text.length > 64 || !DATE_TIME.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const hour = Number(text.slice(11, 13));
  const minute = Number(text.slice(14, 16));
  const second = text.charAt(16) === ':' ? Number(text.slice(17, 19)) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > maxDay) return false;
  const offset = /[+-]([0-9]{2}):?([0-9]{2})?$/.exec(text);
  if (offset !== null && (Number(offset[1]) > 18 || Number(offset[2] ?? '0') > 59)) return false;
  return true;
}

function walkDateTime(value: unknown, ctx: Context): unknown {
  if (typeof value === 'string' && isIsoDateTimeWithOffset(value)) return value;
  return reject(ctx, `must be ${expectationOfKind('date-time')}, got ${describe(value)}`);
}

/** Schemes that run code or read local data where a browser follows them; never a valid place to send a buyer. */
const UNSAFE_SCHEMES = new Set(['javascript:', 'vbscript:', 'data:', 'file:', 'blob:', 'about:']);

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function walkUrl(httpOnly: boolean, maxLength: number | undefined, value: unknown, ctx: Context): unknown {
  if (typeof value !== 'string') return reject(ctx, `must be ${urlExpectation(httpOnly)}, got ${describe(value)}`);
  if (maxLength !== undefined) {
    const length = overLength(value, maxLength);
    if (length !== undefined) return reject(ctx, tooLong(maxLength, length));
  }
  let text = value;
  let url = parseUrl(text);
  if (url === undefined && /^[a-z][a-z0-9+.-]*%3a/i.test(text)) {
    // The docs once told clients to URL-encode URL values; accept that and store the decoded URL.
    try {
      text = decodeURIComponent(text);
      url = parseUrl(text);
    } catch {
      url = undefined;
    }
  }
  if (url === undefined || (httpOnly ? url.protocol !== 'http:' && url.protocol !== 'https:' : UNSAFE_SCHEMES.has(url.protocol))) {
    return reject(ctx, `must be ${urlExpectation(httpOnly)}, got ${describe(value)}`);
  }
  return text;
}

/** Iterative copy of free-form JSON with a depth limit; refuses values JSON cannot carry. */
function walkJson(objectOnly: boolean, value: unknown, ctx: Context): unknown {
  if (objectOnly && !isPlainObjectLike(value)) return reject(ctx, `must be a JSON object, got ${describe(value)}`);
  if (value === null || typeof value !== 'object') {
    return isJsonScalar(value) ? value : reject(ctx, `must be a JSON value, got ${describe(value)}`);
  }
  const root: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  const stack: { source: object; target: Record<string, unknown> | unknown[]; depth: number }[] = [{ source: value, target: root, depth: 1 }];
  while (stack.length > 0) {
    const { source, target, depth } = stack.pop() as (typeof stack)[number];
    if (depth > MAX_JSON_DEPTH) return reject(ctx, `is nested too deeply (more than ${MAX_JSON_DEPTH} levels)`);
    const entries: [string | number, unknown][] = Array.isArray(source)
      ? source.map((item: unknown, index): [number, unknown] => [index, item])
      : Object.keys(source).map((key): [string, unknown] => [key, (source as Record<string, unknown>)[key]]);
    for (const [key, item] of entries) {
      let copy: unknown;
      if (item !== null && typeof item === 'object') {
        copy = Array.isArray(item) ? [] : {};
        stack.push({ source: item, target: copy as Record<string, unknown> | unknown[], depth: depth + 1 });
      } else if (item === undefined && !Array.isArray(target)) {
        continue; // as JSON.stringify does
      } else if (item === undefined) {
        copy = null;
      } else if (isJsonScalar(item)) {
        copy = item;
      } else {
        return reject(ctx, `must be a JSON value, got ${describe(item)} inside`);
      }
      if (Array.isArray(target)) target[key as number] = copy;
      else Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

function isJsonScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

// ---------------------------------------------------------------------------
// Messages

function integerExpectation(minimum: number | undefined, maximum: number | undefined): string {
  if (minimum !== undefined && maximum !== undefined) return `an integer between ${minimum} and ${maximum}`;
  if (minimum !== undefined) return `an integer of at least ${minimum}`;
  if (maximum !== undefined) return `an integer of at most ${maximum}`;
  return 'an integer';
}

function urlExpectation(httpOnly: boolean): string {
  return httpOnly ? 'an absolute http or https URL' : 'an absolute URL (not javascript:, data: or file:)';
}

function expectationOfKind(kind: 'currency' | 'date-time'): string {
  return kind === 'currency'
    ? 'a 3-letter upper-case ISO 4217 currency code such as USD'
    : 'an ISO 8601 date-time with offset, e.g. 2019-11-27T12:01:01+08:00';
}

function listValues(node: EnumNode): string {
  const shown = node.values.length > 12 ? [...node.values.slice(0, 12), '…'] : node.values;
  return `${node.values.length === 1 ? '' : 'one of '}${shown.join(', ')}${node.caseInsensitive ? ' (any letter case)' : ''}`;
}

/** What a node expects, for "is required (…)" and "must be …" messages. */
export function expectation(node: Node): string {
  switch (node.kind) {
    case 'string': {
      const limit = node.maxLength === undefined ? '' : ` of at most ${node.maxLength} characters`;
      return `a string${limit}`;
    }
    case 'enum':
      return listValues(node);
    case 'boolean':
      return 'a boolean';
    case 'integer':
      return integerExpectation(node.minimum, node.maximum);
    case 'minor-units':
      return MINOR_UNITS_EXPECTATION;
    case 'currency':
    case 'date-time':
      return expectationOfKind(node.kind);
    case 'url':
      return urlExpectation(node.httpOnly);
    case 'json':
      return node.objectOnly ? 'a JSON object' : 'a JSON value';
    case 'decimal':
      return 'a decimal number';
    case 'object':
    case 'union':
      return 'an object';
    case 'array':
      return 'an array';
  }
}

function truncate(text: string): string {
  if (text.length <= 40) return text;
  // Do not cut a surrogate pair in half.
  const end = text.charCodeAt(39) >= 0xd800 && text.charCodeAt(39) <= 0xdbff ? 39 : 40;
  return `${text.slice(0, end)}…`;
}

/** A short, safe description of a received value. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function formatPath(path: readonly Segment[]): string {
  if (path.length === 0) return BODY_FIELD;
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text.length === 0 ? segment : `.${segment}`;
  }
  return text;
}
