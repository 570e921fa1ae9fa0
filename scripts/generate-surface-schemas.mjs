// Writes the message schemas of the resource products (Billing, metering,
// tax, the Business Account) from the official SDKs' surface digest
// (`ams-surface.json`: field names, types, required flags, lengths, ranges
// and enum values), so 92 endpoints' fields are facts, not retyping.
//
//   node scripts/generate-surface-schemas.mjs [path/to/ams-surface.json]   (default: packages/protocol/spec/)
//
// Output: packages/protocol/src/schemas/surface/*.ts (committed; the
// project's build and tests never read the digest itself).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const AREAS = { billing: 'billing', meter: 'metering', tax: 'tax', aba: 'business-account' };
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'packages/protocol/src/schemas/surface');
const surface = JSON.parse(readFileSync(process.argv[2] ?? join(root, 'packages/protocol/spec/ams-surface.json'), 'utf8'));

/**
 * Where the SDKs' message differs from what Antom's pages say (each noted):
 * a field's schema replaced, or a field the SDKs lack added.
 */
const OVERRIDES = {
  // The createQuote page: one of the two amounts carries a value, the other names only its currency.
  AlipayCreateQuoteRequest: {
    sellAmount: 'Obj({ currency: CurrencyCode(), value: Optional(MinorUnits()) })',
    buyAmount: 'Obj({ currency: CurrencyCode(), value: Optional(MinorUnits()) })',
  },
  // The inquiry pages: either id finds the payment or refund.
  AlipayInquireDirectPaymentRequest: { paymentId: 'Optional(Text(64))', paymentRequestId: 'Optional(Text(64))' },
  AlipayInquireDirectRefundRequest: { refundId: 'Optional(Text(64))', refundRequestId: 'Optional(Text(64))' },
  // Absent means false: the Go SDK's `Void bool` is omitempty (request/billing/AlipayInvoiceReviseRequest.go), so a
  // revision that keeps the original never carries the field, though the SDKs' docs call it required.
  AlipayInvoiceReviseRequest: { void: 'Optional(Bool())' },
};
/**
 * Request ids the SDKs mark optional but the gateway keys a create by:
 * required, as every keyed endpoint's id is (a create without one could
 * not be retried safely). Our choice; Antom's pages for these are not public.
 */
const REQUIRED_IDS = {
  AlipayProductCreateRequest: 'productRequestId',
  AlipayPriceCreateRequest: 'priceRequestId',
  AlipayApplyCardRequest: 'requestId',
  AlipayCreateExchangeRequest: 'exchangeRequestId',
};
const EXTRA_FIELDS = {
  // The createExchange page requires the quote the exchange is made at; the SDK request class has no such field.
  AlipayCreateExchangeRequest: { quote: 'Optional(QuoteModel)' },
};

/** Models the hand-written schemas already give (same fields). */
const SHARED = { Amount: 'AmountSchema', Result: 'ResultSchema' };

const endpoints = surface.endpoints.filter((e) => e.area in AREAS);
const modelNames = new Set();
const visiting = new Set();
const modelOrder = [];
/** Models already written: a reference to one not yet written closes a cycle. */
const emitted = new Set();

function baseType(type) {
  let t = type;
  while (t.startsWith('array<')) t = t.slice(6, -1);
  return t;
}

function visitModel(name) {
  if (SHARED[name] || modelNames.has(name)) return;
  if (visiting.has(name)) return; // a cycle (Goods ↔ …): the back reference is written as a JSON object
  visiting.add(name);
  for (const field of surface.models[name].fields) {
    const base = baseType(field.type);
    if (surface.models[base]) visitModel(base);
  }
  visiting.delete(name);
  modelNames.add(name);
  modelOrder.push(name);
}

/** The notifications the resource products send (bodies as the SDKs read them). */
const NOTIFY_CLASSES = ['AlipayInvoiceNotify', 'AlipayCreditNoteNotify', 'AlipayBillingSubscriptionNotify', 'AlipayMeterEventNotify', 'AlipayABATransferNotify', 'AlipayDirectRefundNotify', 'AlipayCardBillNotify', 'AlipayCardStatusNotify'];
const notifyClasses = surface.notifications.filter((n) => NOTIFY_CLASSES.includes(n.class));
for (const n of notifyClasses) {
  for (const field of n.fields) {
    const base = baseType(field.type);
    if (surface.models[base]) visitModel(base);
  }
}

for (const e of endpoints) {
  for (const message of [e.request, e.response]) {
    for (const field of surface.messages[message].fields) {
      const base = baseType(field.type);
      if (surface.models[base]) visitModel(base);
    }
  }
}

function schemaOf(type, field, strict) {
  if (type.startsWith('array<')) return `ArrayOf(${schemaOf(type.slice(6, -1), field, strict)})`;
  if (SHARED[type]) return SHARED[type];
  if (surface.models[type]) return emitted.has(type) ? `${type}Model` : 'JsonObject()';
  if (surface.enums[type]) {
    const values = surface.enums[type];
    return strict ? `Enum(${JSON.stringify(values)})` : `Text(undefined, { description: ${JSON.stringify(`One of ${values.join(', ')}`)} })`;
  }
  switch (type) {
    case 'string':
      return field.required === true && strict ? `NonEmpty(${field.maxLength ?? ''})` : `Text(${field.maxLength ?? ''})`;
    case 'integer': {
      const range = field.range ?? {};
      const options = [range.min !== undefined && range.min !== null ? `minimum: ${range.min}` : '', range.max !== undefined && range.max !== null ? `maximum: ${range.max}` : ''].filter(Boolean);
      return options.length > 0 ? `Int({ ${options.join(', ')} })` : 'Int()';
    }
    case 'number':
      return 'Decimal()';
    case 'boolean':
      return 'Bool()';
    case 'object':
      return 'JsonObject()';
    default:
      throw new Error(`unknown type ${type}`);
  }
}

function objectOf(fields, { strict, allOptional, message = true, name }) {
  const overrides = OVERRIDES[name] ?? {};
  const extra = Object.entries(EXTRA_FIELDS[name] ?? {}).map(([field, schema]) => `  ${field}: ${schema},`);
  const lines = fields.map((field) => {
    if (overrides[field.name] !== undefined) return `  ${field.name}: ${overrides[field.name]},`;
    if (REQUIRED_IDS[name] === field.name) return `  ${field.name}: NonEmpty(${field.maxLength ?? ''}),`;
    // A message's `result` is the AMS result every answer carries; a model's is an ordinary optional field.
    if (message && field.name === 'result' && field.type === 'Result') return '  ...responseBase,';
    const schema = schemaOf(field.type, field, strict);
    const required = !allOptional && field.required === true;
    return `  ${field.name}: ${required ? schema : `Optional(${schema})`},`;
  });
  return `Obj({\n${[...lines, ...extra].join('\n')}\n})`;
}

function schemaName(message) {
  return `${message.replace(/^Alipay/, '')}Schema`;
}

const header = (what) => `// Generated by scripts/generate-surface-schemas.mjs from the official SDKs' surface digest; do not edit.\n// ${what}\n`;

mkdirSync(outDir, { recursive: true });
const modelLines = [
  header('The models the resource products\' messages use (models of the SDKs; all fields optional: they are read from answers and notifications).'),
  "import { ArrayOf, Bool, Decimal, Int, JsonObject, Obj, Optional, Text } from '../builder.js';",
  "import { AmountSchema, ResultSchema } from '../common.js';",
  '',
];
for (const name of modelOrder) {
  modelLines.push(`export const ${name}Model = ${objectOf(surface.models[name].fields, { strict: false, allOptional: true, message: false })};`, '');
  emitted.add(name);
}
writeFileSync(join(outDir, 'models.ts'), modelLines.join('\n').replace(/\n+$/, '\n').replace(/Text\(\)/g, 'Text()'));

for (const [area, file] of Object.entries(AREAS)) {
  const used = new Set();
  const body = [];
  for (const e of endpoints.filter((x) => x.area === area)) {
    const request = objectOf(surface.messages[e.request].fields, { strict: true, allOptional: false, name: e.request });
    const response = objectOf(surface.messages[e.response].fields, { strict: false, allOptional: true });
    body.push(`/** \`${e.path}\` */`, `export const ${schemaName(e.request)} = ${request};`, `export const ${schemaName(e.response)} = ${response};`, '');
    for (const m of `${request}\n${response}`.matchAll(/\b([A-Z][A-Za-z]*)Model\b/g)) used.add(m[1]);
  }
  const text = body.join('\n');
  const builders = ['ArrayOf', 'Bool', 'CurrencyCode', 'Decimal', 'Enum', 'Int', 'JsonObject', 'MinorUnits', 'NonEmpty', 'Obj', 'Optional', 'Text'].filter((b) => new RegExp(`\\b${b}\\(`).test(text));
  const common = ['AmountSchema', 'ResultSchema', 'responseBase'].filter((c) => new RegExp(`\\b${c}\\b`).test(text));
  const lines = [
    header(`The ${file.replace('-', ' ')} messages: one request and one response schema per endpoint.`),
    `import { ${builders.join(', ')} } from '../builder.js';`,
    ...(common.length > 0 ? [`import { ${common.join(', ')} } from '../common.js';`] : []),
    ...(used.size > 0 ? [`import { ${[...used].sort().map((u) => `${u}Model`).join(', ')} } from './models.js';`] : []),
    '',
    text,
  ];
  writeFileSync(join(outDir, `${file}.ts`), lines.join('\n').replace(/\n+$/, '\n'));
}
{
  const body = notifyClasses.map((n) => `/** \`${n.class}\` */\nexport const ${n.class.replace(/^Alipay/, '').replace(/Notify$/, '')}NotifyBodySchema = ${objectOf(n.fields, { strict: false, allOptional: true })};\n`).join('\n');
  const used = [...new Set([...body.matchAll(/\b([A-Z][A-Za-z]*)Model\b/g)].map((m) => m[1]))].sort();
  const builders = ['ArrayOf', 'Bool', 'Decimal', 'Int', 'JsonObject', 'Obj', 'Optional', 'Text'].filter((b) => new RegExp(`\\b${b}\\(`).test(body));
  const common = ['AmountSchema', 'ResultSchema', 'responseBase'].filter((c) => new RegExp(`\\b${c}\\b`).test(body));
  writeFileSync(join(outDir, 'notifications.ts'), [
    header('The resource products\' notification bodies (all fields optional: a receiver reads what it knows).'),
    `import { ${builders.join(', ')} } from '../builder.js';`,
    ...(common.length > 0 ? [`import { ${common.join(', ')} } from '../common.js';`] : []),
    ...(used.length > 0 ? [`import { ${used.map((u) => `${u}Model`).join(', ')} } from './models.js';`] : []),
    '',
    body,
  ].join('\n').replace(/\n+$/, '\n'));
}
console.log(`${endpoints.length} endpoints, ${modelOrder.length} models written to ${outDir}`);
