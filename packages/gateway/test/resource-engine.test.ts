/**
 * The resource engine's contract, run for every declared resource kind of
 * the resource products (Billing, metering, tax, the Business Account) on
 * SQLite and PostgreSQL:
 * - create is idempotent by request id (a repeat answers the first
 *   resource; other values are REPEAT_REQ_INCONSISTENT naming the fields;
 *   concurrent repeats make one);
 * - concurrent changes of one resource never overwrite each other: each is
 *   decided on what the previous one left, so none is lost;
 * - lists page without gaps or repeats while others are created, by cursor
 *   (newest first) and by page number (oldest first);
 * - no client sees, changes or lists another's resources.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsError } from '@amsgate/protocol';
import type { KeyedHandlerContext } from '../src/endpoints/contract.js';
import { RESOURCE_KINDS } from '../src/products/resource-kinds.js';
import type { ResourceEngine } from '../src/resources/resource-engine.js';
import type { ResourceKind } from '../src/resources/resource-kind.js';
import { DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
if (!postgresOk) console.warn('resource-engine.test: PostgreSQL unreachable: its half is SKIPPED');

type AnyKind = ResourceKind<Record<string, unknown>>;
const KINDS = RESOURCE_KINDS as readonly AnyKind[];

function keyedContext(clientId: string, kind: AnyKind, requestId: string, fields: Record<string, string>): KeyedHandlerContext {
  return {
    clientId,
    requestJson: JSON.stringify(fields),
    idempotencyKey: { clientId, scope: kind.kind, requestId, idName: 'requestId', fingerprint: () => fields },
  };
}

async function refusal(promise: Promise<unknown>): Promise<AmsError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AmsError);
  return error as AmsError;
}

describe.each(DIALECTS)('resource engine contract on %s', (dialect) => {
  const skip = dialect === 'postgres' && !postgresOk;
  let t: TestGateway;
  let engine: ResourceEngine;
  const alice = 'CLIENT_ALICE';
  const bob = 'CLIENT_BOB';

  beforeAll(async () => {
    if (skip) return;
    t = await startTestGateway(dialect);
    engine = t.gateway.resources;
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it('declares every kind once, with its own id prefix', () => {
    expect(KINDS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(KINDS.map((k) => k.kind)).size).toBe(KINDS.length);
    expect(new Set(KINDS.map((k) => k.idPrefix)).size).toBe(KINDS.length);
  });

  describe.each(KINDS.map((kind) => [kind.kind, kind] as const))('%s', (_name, kind) => {
    const status = kind.statuses[0]!;
    const doc = (n: number) => ({ note: `doc ${n}` });

    it.skipIf(skip)('create is idempotent by request id; other values are REPEAT_REQ_INCONSISTENT naming them; concurrent repeats make one', async () => {
      const requestId = uniqueId('req');
      let builds = 0;
      const build = async () => {
        builds += 1;
        return { status, doc: doc(1) };
      };
      const runs = await Promise.all(Array.from({ length: 5 }, () => engine.create(keyedContext(alice, kind, requestId, { a: '1' }), kind, build)));
      expect(new Set(runs.map((run) => run.record.id)).size).toBe(1);
      expect(runs.filter((run) => run.created)).toHaveLength(1);
      expect(builds).toBe(1);
      expect(runs[0]!.record.id.startsWith(kind.idPrefix)).toBe(true);
      const other = await refusal(engine.create(keyedContext(alice, kind, requestId, { a: '2' }), kind, build));
      expect(other.code).toBe('REPEAT_REQ_INCONSISTENT');
      expect(other.message).toContain('a');
      // The same request id from another client is its own key.
      const bobs = await engine.create(keyedContext(bob, kind, requestId, { a: '1' }), kind, build);
      expect(bobs.created).toBe(true);
      expect(bobs.record.id).not.toBe(runs[0]!.record.id);
    });

    it.skipIf(skip)('concurrent changes are each decided on the last: none is lost', async () => {
      const created = await t.gateway.database.transaction((tx) => engine.insert(tx, kind, alice, { status, doc: { count: 0 } }, t.gateway.clock.now()));
      const changes = 12;
      await Promise.all(Array.from({ length: changes }, () =>
        engine.change(alice, kind, created.id, (record) => ({ status: record.status, doc: { count: (record.doc.count as number) + 1 }, event: 'counted' })),
      ));
      const after = await engine.get(kind, alice, created.id);
      expect(after.doc.count).toBe(changes);
      expect(after.version).toBe(changes + 1);
      const timeline = await t.gateway.database.read((db) => import('../src/resources/resource-store.js').then((m) => m.resourceEvents(db, alice, created.id)));
      expect(timeline.map((e) => e.seq)).toEqual(Array.from({ length: changes + 1 }, (_, i) => i + 1));
    });

    it.skipIf(skip)('another client can neither see, change nor list it', async () => {
      const mine = await t.gateway.database.transaction((tx) => engine.insert(tx, kind, alice, { status, doc: doc(2) }, t.gateway.clock.now()));
      const seen = await refusal(engine.get(kind, bob, mine.id));
      expect(seen.code).toBe(kind.notFoundCode);
      expect(seen.message).toContain(kind.idField);
      const changed = await refusal(engine.change(bob, kind, mine.id, (record) => ({ status: record.status, doc: { stolen: true }, event: 'x' })));
      expect(changed.code).toBe(kind.notFoundCode);
      expect((await engine.get(kind, alice, mine.id)).doc).toEqual(doc(2));
      const page = await engine.list(kind, bob, { filters: {}, limit: 100, includeTotal: true });
      expect(page.items.map((item) => item.id)).not.toContain(mine.id);
      const cursor = await refusal(engine.list(kind, bob, { filters: {}, limit: 10, includeTotal: false, startingAfter: mine.id }));
      expect(cursor.code).toBe('PARAM_ILLEGAL');
    });

    it.skipIf(skip)('pages without gaps or repeats while others are created, by cursor and by page number; filters by status', async () => {
      const client = uniqueId('PAGER');
      const now = () => t.gateway.clock.now();
      const first = [];
      for (let i = 0; i < 23; i++) first.push(await t.gateway.database.transaction((tx) => engine.insert(tx, kind, client, { status, doc: doc(i) }, now())));
      const existing = new Set(first.map((r) => r.id));

      const seen: string[] = [];
      let cursor: string | undefined;
      let inserts = 0;
      do {
        const page = await engine.list(kind, client, { filters: { status }, limit: 5, includeTotal: false, ...(cursor ? { startingAfter: cursor } : {}) });
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        // Others arrive between pages.
        await Promise.all([0, 1].map(() => t.gateway.database.transaction((tx) => engine.insert(tx, kind, client, { status, doc: doc(100 + inserts++) }, now()))));
      } while (cursor !== undefined);
      const fromStart = seen.filter((id) => existing.has(id));
      expect(new Set(seen).size).toBe(seen.length);
      expect(fromStart.sort()).toEqual([...existing].sort());

      const numbered: string[] = [];
      for (let pageNumber = 1; ; pageNumber++) {
        const page = await engine.list(kind, client, { filters: {}, limit: 7, pageNumber, includeTotal: true });
        numbered.push(...page.items.map((item) => item.id));
        await t.gateway.database.transaction((tx) => engine.insert(tx, kind, client, { status, doc: doc(200 + pageNumber) }, now()));
        if (!page.hasMore) break;
      }
      expect(new Set(numbered).size).toBe(numbered.length);
      for (const id of existing) expect(numbered).toContain(id);

      const back = await engine.list(kind, client, { filters: {}, limit: 5, includeTotal: false, endingBefore: seen[10]! });
      expect(back.items.map((item) => item.id)).toEqual(seen.slice(5, 10));
      expect(back.nextCursor).toBe(seen[9]);

      const other = kind.statuses.find((s) => s !== status);
      if (other !== undefined) {
        const none = await engine.list(kind, client, { filters: { status: other }, limit: 10, includeTotal: true });
        expect(none.items).toEqual([]);
        expect(none.total).toBe(0);
      }
    });
  });
});
