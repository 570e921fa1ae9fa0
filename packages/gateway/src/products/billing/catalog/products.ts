/** `billing/product/*`: what is sold; `active` false keeps it, closed to new prices. */
import { AmsError, SUCCESS_RESULT } from '@amsgate/protocol';
import { endpointModule } from '../../../endpoints/contract.js';
import { DEFAULT_PAGE_SIZE, pageAnswer, pageQueryOf } from '../../../resources/list-request.js';
import { changeEndpoint, createEndpoint, defined } from '../../../resources/resource-endpoints.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { metadataOf, noMarkup, oneOf } from './fields.js';
import { PRICE, PRODUCT, type ProductDoc } from './kinds.js';
import { priceItem } from './prices.js';
import { filteredListEndpoint } from './scan-list.js';
import { isoOf } from './times.js';

const PRODUCT_TYPES = ['SERVICE', 'GOOD'] as const;
const MAX_IMAGES = 8;

function imagesOf(images: readonly string[] | undefined): string[] | undefined {
  if (images === undefined) return undefined;
  if (images.length > MAX_IMAGES) throw AmsError.paramIllegal('images', `may have at most ${MAX_IMAGES} URLs`);
  images.forEach((url, index) => {
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw AmsError.paramIllegal(`images[${index}]`, 'must be an http or https URL');
  });
  return [...images];
}

function nameOf(name: string): string {
  if (name.trim() === '') throw AmsError.paramIllegal('name', 'must not be blank');
  return noMarkup(name, 'name');
}

/** A product as answered (without its prices; details add them). */
function productFields(record: ResourceRecord<ProductDoc, string>) {
  const { imageName: _name, ...doc } = record.doc;
  return { ...doc, productId: record.id, active: record.status === 'ACTIVE' };
}

export function productEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/product/create': createEndpoint(engine, PRODUCT, {
      path: 'billing/product/create',
      requestIdField: 'productRequestId',
      build: (request, { id, now }) => {
        const doc: ProductDoc = defined({
          productId: id,
          productRequestId: request.productRequestId,
          name: nameOf(request.name),
          type: oneOf(request.type, PRODUCT_TYPES, 'type') ?? 'SERVICE',
          description: request.description,
          images: imagesOf(request.images),
          unitLabel: request.unitLabel,
          metadata: metadataOf(request.metadata, 'metadata', 20),
          active: true,
          createdAt: isoOf(now),
          updatedAt: isoOf(now),
        });
        return { status: 'ACTIVE', doc };
      },
      answer: (record) => productFields(record),
    }),

    'billing/product/update': changeEndpoint(engine, PRODUCT, {
      path: 'billing/product/update',
      idOf: (request) => request.productId,
      decide: (record, request, { now }) => {
        const active = request.active ?? record.status === 'ACTIVE';
        const wasActive = record.status === 'ACTIVE';
        const doc: ProductDoc = defined({
          ...record.doc,
          ...(request.name !== undefined ? { name: nameOf(request.name) } : {}),
          ...(request.description !== undefined ? { description: request.description === '' ? undefined : request.description } : {}),
          ...(request.images !== undefined ? { images: request.images.length === 0 ? undefined : imagesOf(request.images) } : {}),
          ...(request.unitLabel !== undefined ? { unitLabel: request.unitLabel === '' ? undefined : request.unitLabel } : {}),
          ...(request.metadata !== undefined ? { metadata: metadataOf(request.metadata, 'metadata', 20) } : {}),
          active,
          deactivatedAt: active ? undefined : wasActive ? isoOf(now) : record.doc.deactivatedAt,
          updatedAt: isoOf(now),
        });
        return { status: active ? 'ACTIVE' : 'INACTIVE', doc, event: active === wasActive ? 'updated' : active ? 'activated' : 'deactivated' };
      },
      answer: (record) => productFields(record),
    }),

    'billing/product/uploadImage': changeEndpoint(engine, PRODUCT, {
      path: 'billing/product/uploadImage',
      idOf: (request) => request.productId,
      // The request models no file part: the sandbox records a placeholder image the gateway would serve.
      decide: (record, _request, { now }) => {
        const imageName = `${record.id}-${now}.png`;
        const imageUrl = `${deps.baseUrl()}/billing/products/${record.id}/images/${imageName}`;
        const images = [...(record.doc.images ?? []), imageUrl].slice(-MAX_IMAGES);
        return { status: record.status, doc: { ...record.doc, images, imageName, updatedAt: isoOf(now) }, event: 'image uploaded', detail: imageName };
      },
      answer: (record) => ({ productId: record.id, imageName: record.doc.imageName, imageUrl: record.doc.images?.[record.doc.images.length - 1] }),
    }),

    'billing/product/inquireDetails': endpointModule({
      path: 'billing/product/inquireDetails',
      handle: async (context, request) => {
        const record = await engine.get(PRODUCT, context.clientId, request.productId, 'productId');
        // Only the product's active default price (there is at most one).
        const prices = await engine.list(PRICE, context.clientId, { filters: { defaultOf: record.id, status: 'ACTIVE' }, limit: DEFAULT_PAGE_SIZE, includeTotal: false });
        return { ...productFields(record), prices: prices.items.map(priceItem), result: { ...SUCCESS_RESULT } };
      },
    }),

    'billing/product/inquireList': filteredListEndpoint(engine, PRODUCT, {
      path: 'billing/product/inquireList',
      query: (request) => {
        if (request.usageType !== undefined) throw AmsError.paramIllegal('usageType', 'filtering products by their prices\' usage type is not supported by the sandbox');
        // Antom's product list counts by default.
        const query = pageQueryOf({ ...request, includeTotal: request.includeTotal ?? true }, {
          status: request.active === undefined ? undefined : request.active ? 'ACTIVE' : 'INACTIVE',
          type: oneOf(request.type, PRODUCT_TYPES, 'type'),
        });
        const keyword = request.keyword?.toLowerCase();
        if (keyword === undefined || keyword === '') return { query };
        return { query, match: (record) => [record.doc.name, record.doc.description].some((text) => text?.toLowerCase().includes(keyword) === true) };
      },
      answer: (page) => {
        const { nextCursor: _next, previousCursor: _previous, ...fields } = pageAnswer(page, 'products', productFields);
        return fields;
      },
    }),
  };
}
