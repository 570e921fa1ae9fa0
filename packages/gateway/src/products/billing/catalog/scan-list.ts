/**
 * A cursor page under a filter the resource tags cannot express (a keyword
 * in a name, an email prefix, one of several countries): pages of the
 * tag-filtered list are read in id order and matched in memory, so cursors
 * mean what they mean for any list (an id; no repeats, no gaps).
 */
import { SUCCESS_RESULT, type EndpointPath, type EndpointRequest } from '@amsgate/protocol';
import { endpointModule, type AnswerBody, type EndpointModule } from '../../../endpoints/contract.js';
import type { ResourceEngine } from '../../../resources/resource-engine.js';
import type { ResourceKind, ResourceRecord } from '../../../resources/resource-kind.js';
import type { Page, PageQuery } from '../../../resources/resource-store.js';

const BATCH = 100;

export async function scanList<Doc extends object, Status extends string>(
  engine: ResourceEngine, kind: ResourceKind<Doc, Status>, clientId: string, query: PageQuery, matches: (record: ResourceRecord<Doc, Status>) => boolean,
): Promise<Page<Doc, Status>> {
  const batch = (cursor: Pick<PageQuery, 'startingAfter' | 'endingBefore'>) =>
    engine.list(kind, clientId, { filters: query.filters, limit: BATCH, includeTotal: false, ...cursor, ...bounds(query) });
  const found: ResourceRecord<Doc, Status>[] = [];
  const backwards = query.endingBefore !== undefined;
  let cursor = backwards ? query.endingBefore : query.startingAfter;
  for (;;) {
    const page = await batch(backwards ? { endingBefore: cursor } : cursor === undefined ? {} : { startingAfter: cursor });
    // Nearest the cursor first: newest first going on, oldest first going back.
    const items = backwards ? [...page.items].reverse() : page.items;
    for (const item of items) if (matches(item)) found.push(item);
    const more = backwards ? page.previousCursor !== undefined : page.hasMore;
    if (found.length > query.limit || !more || items.length === 0) break;
    cursor = items[items.length - 1]!.id;
  }
  const beyond = found.length > query.limit;
  const taken = found.slice(0, query.limit);
  const items = backwards ? taken.reverse() : taken;
  const first = items[0];
  const last = items[items.length - 1];
  const olderRemain = backwards ? last !== undefined : beyond;
  const newerExist = backwards ? beyond : query.startingAfter !== undefined && first !== undefined;
  return {
    items,
    hasMore: olderRemain,
    ...(olderRemain && last !== undefined ? { nextCursor: last.id } : {}),
    ...(newerExist && first !== undefined ? { previousCursor: first.id } : {}),
    ...(query.includeTotal ? { total: await countAll(batch, matches) } : {}),
  };
}

async function countAll<Doc extends object, Status extends string>(
  batch: (cursor: Pick<PageQuery, 'startingAfter'>) => Promise<Page<Doc, Status>>, matches: (record: ResourceRecord<Doc, Status>) => boolean,
): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await batch(cursor === undefined ? {} : { startingAfter: cursor });
    total += page.items.filter(matches).length;
    if (!page.hasMore || page.items.length === 0) return total;
    cursor = page.items[page.items.length - 1]!.id;
  }
}

function bounds(query: PageQuery): Pick<PageQuery, 'createdFrom' | 'createdTo'> {
  return { ...(query.createdFrom !== undefined ? { createdFrom: query.createdFrom } : {}), ...(query.createdTo !== undefined ? { createdTo: query.createdTo } : {}) };
}

export interface FilteredListSpec<P extends EndpointPath, Doc extends object, Status extends string> {
  readonly path: P;
  /** The tag query, and a match for what the tags cannot express (absent: none). */
  readonly query: (request: EndpointRequest<P>) => { query: PageQuery; match?: (record: ResourceRecord<Doc, Status>) => boolean };
  readonly answer: (page: Page<Doc, Status>, request: EndpointRequest<P>) => Record<string, unknown>;
}

/** A list endpoint whose request may carry filters beyond the tags. */
export function filteredListEndpoint<P extends EndpointPath, Doc extends object, Status extends string>(engine: ResourceEngine, kind: ResourceKind<Doc, Status>, spec: FilteredListSpec<P, Doc, Status>): EndpointModule<P> {
  return endpointModule<P>({
    path: spec.path,
    handle: async (context, request) => {
      const { query, match } = spec.query(request);
      const page = match === undefined ? await engine.list(kind, context.clientId, query) : await scanList(engine, kind, context.clientId, query, match);
      return { ...spec.answer(page, request), result: { ...SUCCESS_RESULT } } as AnswerBody<P>;
    },
  });
}
