/**
 * The paging fields every `inquireList` request of the resource products
 * carries (`startingAfter`, `endingBefore`, `limit`, `includeTotal`), and
 * the answer fields a page gives (`hasMore`, `nextCursor`,
 * `previousCursor`, `total`).
 */
import { AmsError } from '@amsgate/protocol';
import type { Page, PageQuery } from './resource-store.js';

export interface ListRequestPaging {
  startingAfter?: string;
  endingBefore?: string;
  limit?: number;
  includeTotal?: boolean;
}

/** Antom's default page size when `limit` is absent (our choice: the SDKs allow 1 to 100). */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

export function pageQueryOf(request: ListRequestPaging, filters: PageQuery['filters'], bounds: Pick<PageQuery, 'createdFrom' | 'createdTo'> = {}): PageQuery {
  if (request.startingAfter !== undefined && request.endingBefore !== undefined) {
    throw AmsError.paramIllegal('endingBefore', 'give startingAfter or endingBefore, not both');
  }
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw AmsError.paramIllegal('limit', `must be 1 to ${MAX_PAGE_SIZE}`);
  return {
    filters,
    limit,
    includeTotal: request.includeTotal === true,
    ...(request.startingAfter !== undefined ? { startingAfter: request.startingAfter } : {}),
    ...(request.endingBefore !== undefined ? { endingBefore: request.endingBefore } : {}),
    ...bounds,
  };
}

/** A numbered page (`pageNumber`/`pageNum`, `pageSize`), 1-based, always counted (the answers carry a total). */
export function numberedPageQuery(pageNumber: number | undefined, pageSize: number | undefined, filters: PageQuery['filters'], fields: { number: string; size: string } = { number: 'pageNumber', size: 'pageSize' }, bounds: Pick<PageQuery, 'createdFrom' | 'createdTo'> = {}): PageQuery {
  const number = pageNumber ?? 1;
  const size = pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(number) || number < 1) throw AmsError.paramIllegal(fields.number, 'must be 1 or more');
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw AmsError.paramIllegal(fields.size, `must be 1 to ${MAX_PAGE_SIZE}`);
  return { filters, limit: size, pageNumber: number, includeTotal: true, ...bounds };
}

/** A page's answer fields, its items under `itemsField` (`coupons`). */
export function pageAnswer<Doc extends object, Status extends string, Item>(page: Page<Doc, Status>, itemsField: string, itemOf: (record: Page<Doc, Status>['items'][number]) => Item): Record<string, unknown> {
  return {
    [itemsField]: page.items.map(itemOf),
    hasMore: page.hasMore,
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    ...(page.previousCursor !== undefined ? { previousCursor: page.previousCursor } : {}),
    ...(page.total !== undefined ? { total: page.total } : {}),
  };
}
