/**
 * The vocabulary message schemas are written in. Every helper returns a plain
 * TypeBox schema (that is, JSON Schema) whose static type is the NORMALISED
 * value the validator hands out; anything JSON Schema cannot say is carried by
 * `x-ams-*` keywords that `compile.ts` reads and `json-schema.ts` documents.
 *
 * The schemas are built as plain objects, in the key order TypeBox writes
 * them (`builder.test.ts` holds the two equal): TypeBox is needed for the
 * static types only, and not loading its runtime (700 modules) at start-up
 * is most of what keeps `amsgate sign` and the SDK's import fast.
 *
 * Wire leniency that applies to every field of a kind (a string field given
 * `20`, a boolean given `"true"`, `null` meaning absent) is the validator's
 * rule, not a per-field option; see `validate.ts`.
 */
import type Type from 'typebox';
import type { TArray, TArrayOptions, TBoolean, TEnum, TInteger, TNumber, TObject, TOptional, TProperties, TSchema, TString, TUnion, TUnsafe } from 'typebox';

/** Custom keywords. Names start with `x-ams-` so JSON Schema tools treat them as annotations. */
export const KEYWORD = {
  /** `true` on an `enum`: input matches in any letter case and is normalised to the listed spelling. */
  caseInsensitive: 'x-ams-case-insensitive',
  /** A value format the validator checks itself (see {@link AmsFormat}). */
  format: 'x-ams-format',
  /** On an `anyOf` of objects: the property whose value picks the variant. */
  discriminator: 'x-ams-discriminator',
  /** Names of the cross-field rules attached with {@link Refine}. */
  rules: 'x-ams-rules',
} as const;

/**
 * - `minor-units`: an Amount value, a decimal string of minor units (`"100"`); a safe JSON integer is accepted and turned into its string.
 * - `currency`: an ISO 4217 alphabetic code known to `money.ts`, upper case.
 * - `date-time`: ISO 8601 date and time with an offset (`Z`, `+08:00`, `+0800`); kept as sent.
 * - `url`: an absolute URL; app deep links (`myapp://…`) are allowed, script/data/file schemes are not; a percent-encoded URL is decoded.
 * - `http-url`: as `url`, restricted to http and https (we POST to it).
 * - `json`: any JSON value (or, with `type: "object"`, any JSON object), copied as is.
 * - `decimal`: a decimal number (an exchange rate): a JSON number, or a decimal string turned into one.
 */
export type AmsFormat = 'minor-units' | 'currency' | 'date-time' | 'url' | 'http-url' | 'json' | 'decimal';

export const MINOR_UNITS_PATTERN = '^(0|[1-9][0-9]{0,15})$';
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
/**
 * ISO 8601 calendar date and time with an offset. Lenient on the forms the
 * official SDKs produce: `T`/`t`/space separator, optional seconds and
 * fraction, offset `Z`, `±hh:mm`, `±hhmm` or `±hh`.
 */
export const DATE_TIME_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,9})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$';

export interface FieldOptions {
  /** Shown in the JSON Schema; use it for spec notes (`[?]` where the spec is unsure). */
  description?: string;
}

function annotate(options: FieldOptions | undefined): Record<string, unknown> {
  return options?.description === undefined ? {} : { description: options.description };
}

/** A string of at most `maxLength` Unicode code points (no limit when omitted). May be empty. */
export function Text(maxLength?: number, options?: FieldOptions & { minLength?: number }): TString {
  return asTypeBox<TString>({
    type: 'string',
    ...(options?.minLength === undefined ? {} : { minLength: options.minLength }),
    ...(maxLength === undefined ? {} : { maxLength }),
    ...annotate(options),
  });
}

/** A string of 1 to `maxLength` code points: identifiers and other fields that mean nothing when empty. */
export function NonEmpty(maxLength?: number, options?: FieldOptions): TString {
  return Text(maxLength, { ...options, minLength: 1 });
}

export interface EnumOptions extends FieldOptions {
  /** Accept any letter case on input and normalise to the spelling listed here. */
  caseInsensitive?: boolean;
}

/** One of the listed strings. Case-sensitive unless `caseInsensitive` is set. */
export function Enum<const Values extends string[]>(values: readonly [...Values], options?: EnumOptions): TEnum<Values> {
  return asTypeBox<TEnum<Values>>({
    enum: [...values],
    type: 'string',
    ...(options?.caseInsensitive === true ? { [KEYWORD.caseInsensitive]: true } : {}),
    ...annotate(options),
  });
}

/** Exactly this string (a one-value enum, so case-insensitivity works the same way). */
export function Const<const Value extends string>(value: Value, options?: EnumOptions): TEnum<[Value]> {
  return Enum([value], options);
}

/** A boolean; the validator also accepts the strings `"true"` / `"false"` (docs tell clients to send strings). */
export function Bool(options?: FieldOptions): TBoolean {
  return asTypeBox<TBoolean>({ type: 'boolean', ...annotate(options) });
}

/** An integer; the validator also accepts it as a decimal string (`"20"`). */
export function Int(options?: FieldOptions & { minimum?: number; maximum?: number }): TInteger {
  return asTypeBox<TInteger>({
    type: 'integer',
    ...(options?.minimum === undefined ? {} : { minimum: options.minimum }),
    ...(options?.maximum === undefined ? {} : { maximum: options.maximum }),
    ...annotate(options),
  });
}

/** `Amount.value`: non-negative minor units as a decimal string of at most 16 digits (Antom's String(16)). */
export function MinorUnits(options?: FieldOptions): TString {
  return asTypeBox<TString>({
    type: 'string',
    pattern: MINOR_UNITS_PATTERN,
    maxLength: 16,
    [KEYWORD.format]: 'minor-units',
    description: options?.description ?? 'Amount in the smallest currency unit as a decimal string, e.g. "100" for USD 1.00',
  });
}

/** A known ISO 4217 alphabetic currency code (`USD`). */
export function CurrencyCode(options?: FieldOptions): TString {
  return asTypeBox<TString>({
    type: 'string',
    minLength: 3,
    maxLength: 3,
    pattern: CURRENCY_PATTERN,
    [KEYWORD.format]: 'currency',
    ...annotate(options),
  });
}

/** ISO 8601 date-time with offset, e.g. `2019-11-27T12:01:01+08:00`. The value is kept as sent. */
export function DateTime(options?: FieldOptions): TString {
  return asTypeBox<TString>({
    type: 'string',
    pattern: DATE_TIME_PATTERN,
    maxLength: 64,
    [KEYWORD.format]: 'date-time',
    ...annotate(options),
  });
}

/** An absolute URL of at most `maxLength` code points; any scheme (app deep links are valid redirect targets). */
export function Url(maxLength: number, options?: FieldOptions): TString {
  return asTypeBox<TString>({ type: 'string', maxLength, format: 'uri', [KEYWORD.format]: 'url', ...annotate(options) });
}

/** An absolute http(s) URL of at most `maxLength` code points: a URL we send requests to. */
export function HttpUrl(maxLength: number, options?: FieldOptions): TString {
  return asTypeBox<TString>({ type: 'string', maxLength, format: 'uri', [KEYWORD.format]: 'http-url', ...annotate(options) });
}

/** A decimal number such as an exchange rate: a JSON number on the wire (the SDKs decode `quotePrice` as one); a decimal string is accepted and turned into a number. */
export function Decimal(options?: FieldOptions): TNumber {
  return asTypeBox<TNumber>({ type: 'number', [KEYWORD.format]: 'decimal', ...annotate(options) });
}

/** Any JSON object, passed through (copied). For SDK-model objects whose shape the spec does not fix. */
export function JsonObject(options?: FieldOptions): TUnsafe<Record<string, unknown>> {
  return asTypeBox<TUnsafe<Record<string, unknown>>>({ type: 'object', [KEYWORD.format]: 'json', ...annotate(options) });
}

/** Any JSON value, passed through (copied). */
export function JsonValue(options?: FieldOptions): TUnsafe<unknown> {
  return asTypeBox<TUnsafe<unknown>>({ [KEYWORD.format]: 'json', ...annotate(options) });
}

/** An array with an optional maximum item count. */
export function ArrayOf<Item extends TSchema>(items: Item, options?: FieldOptions & Pick<TArrayOptions, 'minItems' | 'maxItems'>): TArray<Item> {
  return asTypeBox<TArray<Item>>({
    type: 'array',
    items,
    ...(options?.minItems === undefined ? {} : { minItems: options.minItems }),
    ...(options?.maxItems === undefined ? {} : { maxItems: options.maxItems }),
    ...annotate(options),
  });
}

/** An object; properties are required unless wrapped in {@link Optional}. Unknown input properties are dropped. */
export function Obj<Properties extends TProperties>(properties: Properties, options?: FieldOptions): TObject<Properties> {
  const required = Object.keys(properties).filter((name) => !isOptional(properties[name]!));
  return asTypeBox<TObject<Properties>>({ type: 'object', ...(required.length > 0 ? { required } : {}), properties, ...annotate(options) });
}

/** Marks a property schema optional in the {@link Obj} that holds it (a marked copy: the schema itself may be required elsewhere). */
export function Optional<S extends TSchema>(property: S): TOptional<S> {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(property));
  Object.defineProperty(copy, OPTIONAL, { value: true, enumerable: false });
  return copy as TOptional<S>;
}

const OPTIONAL = Symbol('amsgate.schema.optional');

function isOptional(property: TSchema): boolean {
  return (property as Record<PropertyKey, unknown>)[OPTIONAL] === true;
}

/** A JSON Schema object typed as the TypeBox schema it is equal to. */
function asTypeBox<S extends TSchema>(keywords: Record<string, unknown>): S {
  return keywords as S;
}

/**
 * A union of object schemas told apart by one property (`productCode`) whose
 * schema in each variant is a {@link Const}. The validator picks the variant
 * from that property (honouring the variants' case-insensitivity) instead of
 * trying each in turn, so errors name the real field.
 */
export function Discriminated<const Variants extends TObject[]>(property: string, variants: [...Variants], options?: FieldOptions): TUnion<Variants> {
  return asTypeBox<TUnion<Variants>>({ anyOf: variants, [KEYWORD.discriminator]: property, ...annotate(options) });
}

// ---------------------------------------------------------------------------
// Cross-field rules

/** Where a rule failed, relative to the object it is attached to, and why. */
export interface RuleViolation {
  readonly path: readonly (string | number)[];
  readonly problem: string;
}

/**
 * A check JSON Schema keywords cannot express with good messages ("one of
 * paymentId or paymentRequestId"). `check` receives the already normalised
 * object. `jsonSchema` optionally gives standard keywords that state the same
 * rule for external tools; they are merged into `allOf`.
 */
export interface Rule<T> {
  readonly name: string;
  readonly jsonSchema?: Record<string, unknown>;
  check(value: T): RuleViolation | undefined;
}

/** Non-enumerable, so neither JSON.stringify nor `jsonSchemaOf` sees the functions. */
export const RULES = Symbol.for('amsgate.schema.rules');

/** Returns a copy of `schema` carrying `rules`, checked in order after the object itself validated. */
export function Refine<S extends TObject>(schema: S, ...rules: Rule<Type.Static<S>>[]): S {
  const copy: Record<PropertyKey, unknown> = Object.defineProperties({}, Object.getOwnPropertyDescriptors(schema));
  const all = [...rulesOf(schema), ...(rules as Rule<unknown>[])];
  Object.defineProperty(copy, RULES, { value: all, enumerable: false });
  copy[KEYWORD.rules] = all.map((rule) => rule.name);
  const fragments = all.flatMap((rule) => (rule.jsonSchema === undefined ? [] : [rule.jsonSchema]));
  if (fragments.length > 0) copy['allOf'] = fragments;
  else delete copy['allOf'];
  return copy as S;
}

/** The rules attached to a schema by {@link Refine}. */
export function rulesOf(schema: TSchema): readonly Rule<unknown>[] {
  return ((schema as Record<PropertyKey, unknown>)[RULES] as Rule<unknown>[] | undefined) ?? [];
}

function isPresent(value: unknown): boolean {
  return value !== undefined;
}

/** At least one of `fields` must be present; the first is named in the error. */
export function oneOfRequired<T extends object>(fields: readonly [keyof T & string, ...(keyof T & string)[]]): Rule<T> {
  const list = fields.join(' or ');
  return {
    name: `one-of-required(${fields.join(',')})`,
    jsonSchema: { anyOf: fields.map((field) => ({ required: [field] })) },
    check(value) {
      const record = value as Record<string, unknown>;
      if (fields.some((field) => isPresent(record[field]))) return undefined;
      return { path: [fields[0]], problem: `is required: give ${list}` };
    },
  };
}

/** Reads a dotted path out of a normalised value; `undefined` when any step is missing. */
export function pick(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/**
 * `target` (a dotted path) is required when `when` holds. `reason` completes
 * "is required when …". `jsonSchema` is optional because conditions on
 * nested fields get unwieldy in if/then.
 */
export function requiredWhen<T>(
  name: string,
  target: readonly string[],
  when: (value: T) => boolean,
  reason: string,
  jsonSchema?: Record<string, unknown>,
): Rule<T> {
  return {
    name,
    ...(jsonSchema === undefined ? {} : { jsonSchema }),
    check(value) {
      if (!when(value) || isPresent(pick(value, target))) return undefined;
      return { path: target, problem: `is required when ${reason}` };
    },
  };
}
