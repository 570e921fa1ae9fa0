/**
 * Postman and Bruno collections of the AMS endpoints, derived from the
 * OpenAPI document: one POST request per endpoint (a folder per area:
 * payments, authorizations), its example request as the JSON body, sent to
 * `{{baseUrl}}` (default: `amsgate proxy`, which signs it and verifies the
 * answer), with a test per request that the answer is HTTP 200, an AMS
 * answer (`result.resultStatus`) and verified by the proxy.
 *
 * The requests keep the document's order (pay, then inquiryPayment of the
 * same paymentRequestId, ...), so a run against a fresh sandbox gateway
 * passes: calls whose example cannot succeed there (a refund of a payment
 * that does not exist, an unknown auth code) get a signed F answer.
 */
import { openApiDocument, type OpenApiObject } from '@amsgate/protocol';

export const DEFAULT_COLLECTION_BASE_URL = 'http://127.0.0.1:8081';
export const COLLECTION_NAME = 'Antom AMS API (amsgate)';
/** The Bruno environment the collection comes with, naming `baseUrl`. */
export const BRUNO_ENVIRONMENT = 'amsgate-proxy';

const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const CONTENT_TYPE = 'application/json; charset=UTF-8';
const VERIFIED_HEADER = 'x-amsgate-proxy-verified';
const REASON_HEADER = 'x-amsgate-proxy-reason';
const DESCRIPTION = [
  'One request per Antom AMS endpoint, with the example body of the OpenAPI document.',
  'Requests are plain JSON: send them through `amsgate proxy` (the baseUrl variable, default http://127.0.0.1:8081),',
  'which signs them with the merchant key, forwards them to Antom or amsgate and says in the',
  '`x-amsgate-proxy-verified` header whether the answer\'s signature verified.',
].join(' ');

/** One request of the collections. */
export interface CollectionRequest {
  /** The area (the OpenAPI tag): `payments`, `authorizations`. */
  folder: string;
  /**
   * The endpoint's last path segment (`pay`, `consult`); where two of a
   * folder share it, the segments after the area, joined by `-`
   * (`billing/coupon/create` → `coupon-create`).
   */
  name: string;
  summary: string;
  /** `/ams/api/v1/payments/pay`. */
  path: string;
  /** The example request, as indented JSON text. */
  body: string;
}

/** The document's operations in its order; every AMS operation is a POST with a JSON example. */
export function collectionRequests(document: OpenApiObject = openApiDocument()): CollectionRequest[] {
  const requests = Object.entries(document['paths'] as Record<string, { post: Operation }>).map(([path, { post }]) => ({
    folder: post.tags[0] ?? 'ams',
    name: path.slice(path.lastIndexOf('/') + 1),
    summary: post.summary,
    path,
    body: JSON.stringify(post.requestBody.content['application/json'].example, null, 2),
  }));
  const uses = new Map<string, number>();
  for (const request of requests) uses.set(`${request.folder}/${request.name}`, (uses.get(`${request.folder}/${request.name}`) ?? 0) + 1);
  return requests.map((request) => (uses.get(`${request.folder}/${request.name}`)! > 1 ? { ...request, name: afterArea(request.path, request.folder) } : request));
}

function afterArea(path: string, folder: string): string {
  const at = path.indexOf(`/${folder}/`);
  return at < 0 ? path.slice(path.lastIndexOf('/') + 1) : path.slice(at + folder.length + 2).replaceAll('/', '-');
}

interface Operation {
  tags: string[];
  summary: string;
  requestBody: { content: { 'application/json': { example: unknown } } };
}

/** The requests by folder, folders in the order of their first request. */
function byFolder(requests: readonly CollectionRequest[]): Map<string, CollectionRequest[]> {
  const folders = new Map<string, CollectionRequest[]>();
  for (const request of requests) folders.set(request.folder, [...(folders.get(request.folder) ?? []), request]);
  return folders;
}

// ------------------------------------------------------------------ Postman

/** A Postman collection (schema v2.1.0). */
export function postmanCollection(baseUrl: string = DEFAULT_COLLECTION_BASE_URL, requests = collectionRequests()): OpenApiObject {
  return {
    info: { name: COLLECTION_NAME, description: DESCRIPTION, schema: POSTMAN_SCHEMA },
    item: [...byFolder(requests)].map(([folder, items]) => ({ name: folder, item: items.map(postmanItem) })),
    variable: [{ key: 'baseUrl', value: baseUrl, type: 'string' }],
  };
}

function postmanItem(request: CollectionRequest): OpenApiObject {
  return {
    name: request.name,
    request: {
      method: 'POST',
      description: request.summary,
      header: [{ key: 'Content-Type', value: CONTENT_TYPE }],
      url: { raw: `{{baseUrl}}${request.path}`, host: ['{{baseUrl}}'], path: request.path.split('/').slice(1) },
      body: { mode: 'raw', raw: request.body, options: { raw: { language: 'json' } } },
    },
    event: [{ listen: 'test', script: { type: 'text/javascript', exec: POSTMAN_TESTS } }],
  };
}

const POSTMAN_TESTS = [
  "pm.test('HTTP 200', function () { pm.response.to.have.status(200); });",
  "pm.test('an AMS answer: result.resultStatus is S, F or U', function () { pm.expect(pm.response.json().result.resultStatus).to.be.oneOf(['S', 'F', 'U']); });",
  `pm.test('the proxy verified the answer signature', function () { pm.expect(pm.response.headers.get('${VERIFIED_HEADER}'), pm.response.headers.get('${REASON_HEADER}')).to.eql('true'); });`,
];

// ------------------------------------------------------------------ Bruno

/** A Bruno collection: file path (relative to the collection directory, `/`-separated) → text. */
export function brunoCollection(baseUrl: string = DEFAULT_COLLECTION_BASE_URL, requests = collectionRequests()): Map<string, string> {
  const files = new Map<string, string>();
  files.set('bruno.json', `${JSON.stringify({ version: '1', name: COLLECTION_NAME, type: 'collection', ignore: ['node_modules', '.git'] }, null, 2)}\n`);
  files.set('collection.bru', block('docs', DESCRIPTION));
  files.set(`environments/${BRUNO_ENVIRONMENT}.bru`, block('vars', `baseUrl: ${baseUrl}`));
  let folderSeq = 0;
  for (const [folder, items] of byFolder(requests)) {
    folderSeq += 1;
    // Bruno runs folders by name unless they have a seq: keep the document's order.
    files.set(`${folder}/folder.bru`, block('meta', `name: ${folder}\nseq: ${folderSeq}`));
    items.forEach((request, index) => files.set(`${folder}/${request.name}.bru`, brunoRequest(request, index + 1)));
  }
  return files;
}

function brunoRequest(request: CollectionRequest, seq: number): string {
  return [
    block('meta', `name: ${request.name}\ntype: http\nseq: ${seq}`),
    block('post', `url: {{baseUrl}}${request.path}\nbody: json\nauth: none`),
    block('headers', `Content-Type: ${CONTENT_TYPE}`),
    block('body:json', request.body),
    block('tests', BRUNO_TESTS),
    block('docs', request.summary),
  ].join('\n');
}

const BRUNO_TESTS = [
  'test("HTTP 200", function () { expect(res.getStatus()).to.equal(200); });',
  'test("an AMS answer: result.resultStatus is S, F or U", function () { expect(res.getBody().result.resultStatus).to.be.oneOf(["S", "F", "U"]); });',
  `test("the proxy verified the answer signature", function () { expect(res.getHeader("${VERIFIED_HEADER}"), res.getHeader("${REASON_HEADER}")).to.equal("true"); });`,
].join('\n');

/** `name {`, the content indented by two spaces (a line starting `}` would end the block), `}`. */
function block(name: string, content: string): string {
  return `${name} {\n${content.split('\n').map((line) => `  ${line}`).join('\n')}\n}\n`;
}
