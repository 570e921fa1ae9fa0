/** Finding a client's resource by a tagged value (an email, a promotion code), inside a transaction. */
import type { ResourceKind, ResourceRecord } from '../../../resources/resource-kind.js';
import { listResources } from '../../../resources/resource-store.js';
import type { Db, Tx } from '../../../schema.js';

/** The newest resource whose tags match all of `filters`, if any. */
export async function findTagged<Doc extends object, Status extends string>(
  tx: Tx | Db, kind: ResourceKind<Doc, Status>, clientId: string, filters: Record<string, string>,
): Promise<ResourceRecord<Doc, Status> | undefined> {
  const page = await listResources(tx, kind, clientId, { filters, limit: 1, includeTotal: false });
  return page.items[0];
}

/** Up to `limit` resources (newest first) whose tags match all of `filters`. */
export async function listTagged<Doc extends object, Status extends string>(
  tx: Tx | Db, kind: ResourceKind<Doc, Status>, clientId: string, filters: Record<string, string>, limit: number,
): Promise<ResourceRecord<Doc, Status>[]> {
  return (await listResources(tx, kind, clientId, { filters, limit, includeTotal: false })).items;
}
