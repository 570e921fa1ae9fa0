/**
 * The OpenAPI 3.1 document of the AMS endpoints, generated from their
 * definitions: one POST operation per endpoint (request and response
 * schemas, examples, idempotency, the notifications it causes), the signed
 * headers as parameters and a security scheme, and the notifications as
 * webhooks. Schemas are the canonical shape for answers and notifications,
 * and what the validator accepts for requests (numbers for strings, `null`
 * for absent optional fields, any case where the SDKs vary).
 */
import { HEADER } from '../headers.js';
import { jsonSchemaOf } from '../schemas/json-schema.js';
import { NOTIFICATIONS, type NotificationKind } from '../schemas/notification-registry.js';
import { canonicalRequestPath, COMMON_RESULT_CODES, isIdempotent, resultCodesOf, type EndpointDefinition, type NotificationCause } from './definition.js';
import { RESULT_CODES, type ResultCode } from '../result.js';
import { ENDPOINT_DEFINITIONS } from './index.js';

export interface OpenApiOptions {
  /** Where the document says the API is; default: Antom's global domain. */
  serverUrl?: string;
  /** `info.version`; default the AMS API version, `v1`. */
  version?: string;
}

/** A JSON object of the document (examples are whatever the definitions give). */
export type OpenApiObject = Record<string, unknown>;

const ANTOM_GLOBAL = 'https://open-sea-global.alipay.com';
const SIGNATURE_SCHEME = 'amsSignature';

const SIGNING = [
  'Every request and answer is signed with RSA-SHA256 (PKCS#1 v1.5) over',
  '`POST <path as requested>\\n<client-id>.<request-time or response-time>.<body bytes>`;',
  'the `signature` header carries `algorithm=RSA256,keyVersion=<n>,signature=<URL-encoded base64>`.',
  'Every answer is HTTP 200 with a JSON `result` (`resultStatus` S, F or U, `resultCode`, `resultMessage`).',
].join(' ');

export function openApiDocument(options: OpenApiOptions = {}): OpenApiObject {
  const paths: OpenApiObject = {};
  for (const definition of Object.values(ENDPOINT_DEFINITIONS) as EndpointDefinition[]) {
    paths[canonicalRequestPath(definition)] = { post: operationOf(definition) };
  }
  const webhooks: OpenApiObject = {};
  for (const kind of Object.keys(NOTIFICATIONS) as NotificationKind[]) webhooks[kind] = { post: webhookOf(kind) };
  return {
    openapi: '3.1.0',
    info: { title: 'Antom AMS API', version: options.version ?? 'v1', description: SIGNING },
    servers: [{ url: options.serverUrl ?? ANTOM_GLOBAL }],
    security: [{ [SIGNATURE_SCHEME]: [] }],
    paths,
    webhooks,
    components: {
      securitySchemes: {
        [SIGNATURE_SCHEME]: { type: 'apiKey', in: 'header', name: HEADER.signature, description: SIGNING },
      },
      parameters: {
        clientId: header(HEADER.clientId, true, 'The merchant\'s client id (sandbox ids start with `SANDBOX_`).'),
        requestTime: header(HEADER.requestTime, true, 'When the request was sent: epoch milliseconds or ISO 8601; signed verbatim.'),
        agentToken: header(HEADER.agentToken, false, 'An ISV acting for the merchant: the token the merchant issued it.'),
      },
      headers: {
        clientId: { description: 'The client id the answer is for.', schema: { type: 'string' } },
        responseTime: { description: 'When the answer was made, ISO 8601 with offset; signed verbatim.', schema: { type: 'string' } },
        signature: { description: 'The answer\'s signature (absent on an F to a request that could not be authenticated).', schema: { type: 'string' } },
      },
    },
  };
}

function operationOf(definition: EndpointDefinition): OpenApiObject {
  const sdkPaths = definition.sdkRequestPaths ?? [];
  return {
    operationId: definition.method,
    summary: definition.summary,
    tags: [definition.path.split('/')[0] ?? definition.path],
    parameters: [{ $ref: '#/components/parameters/clientId' }, { $ref: '#/components/parameters/requestTime' }, { $ref: '#/components/parameters/agentToken' }],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: jsonSchemaOf(definition.request, { mode: 'accepted' }), example: definition.example.request() } },
    },
    responses: {
      '200': {
        description: `The answer; \`result\` says whether the call succeeded (S), failed (F) or is unknown (U: inquire or retry). Its \`resultCode\` is one of:\n\n${resultCodeList(definition)}`,
        headers: {
          [HEADER.clientId]: { $ref: '#/components/headers/clientId' },
          [HEADER.responseTime]: { $ref: '#/components/headers/responseTime' },
          [HEADER.signature]: { $ref: '#/components/headers/signature' },
        },
        content: { 'application/json': { schema: jsonSchemaOf(definition.response), example: definition.example.response() } },
      },
    },
    'x-ams-idempotency': {
      idempotent: isIdempotent(definition),
      ...definition.idempotency,
      ...(definition.inProcessCode !== undefined ? { inProcessCode: definition.inProcessCode } : {}),
    },
    'x-ams-notifications': definition.notifications.map(notificationOf),
    'x-ams-result-codes': resultCodesOf(definition).map((code) => ({ code, status: RESULT_CODES[code].status })),
    ...(sdkPaths.length > 0 ? { 'x-ams-sdk-request-paths': [...sdkPaths] } : {}),
  };
}

/** A Markdown list: the endpoint's own codes, then those any endpoint can answer. */
function resultCodeList(definition: EndpointDefinition): string {
  const item = (code: ResultCode) => `- \`${code}\` (${RESULT_CODES[code].status}): ${RESULT_CODES[code].message}`;
  const own = definition.resultCodes.map(item);
  const common = COMMON_RESULT_CODES.filter((code) => !definition.resultCodes.includes(code)).map((code) => `\`${code}\``);
  return `${own.join('\n')}\n\nand, as any endpoint: ${common.join(', ')}.`;
}

function notificationOf(cause: NotificationCause): OpenApiObject {
  return { webhook: cause.kind, ...(cause.types !== undefined ? { types: [...cause.types] } : {}) };
}

function webhookOf(kind: NotificationKind): OpenApiObject {
  const { schema, typeField, types } = NOTIFICATIONS[kind];
  return {
    operationId: kind,
    summary: `${kind}: ${types.join(', ')} (in \`${typeField}\`), signed like an answer; acknowledge it with the SUCCESS result body.`,
    parameters: [{ $ref: '#/components/parameters/clientId' }, { $ref: '#/components/parameters/requestTime' }],
    requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(schema) } } },
    responses: {
      '200': {
        description: 'The acknowledgement: until it comes, the notification is sent again on the retry schedule.',
        content: {
          'application/json': {
            schema: { type: 'object', required: ['result'], properties: { result: { type: 'object' } } },
            example: { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } },
          },
        },
      },
    },
  };
}

function header(name: string, required: boolean, description: string): OpenApiObject {
  return { name, in: 'header', required, description, schema: { type: 'string' } };
}
