/**
 * The resource engine: what every declared resource gets without code of
 * its own.
 * - `create`: idempotent by the request id the SDK sends (a repeat answers
 *   the resource the first one made; other values are REPEAT_REQ_INCONSISTENT
 *   naming the fields);
 * - `change`: read (locked), decide, write if the version is still the one
 *   read: two concurrent changes never overwrite each other, each is
 *   decided on what the other left, and each caller is answered for its own;
 * - `get`, `list`: scoped to the client; lists page by cursor.
 */
import { AmsError } from '@amsgate/protocol';
import type { Clock } from '../clock.js';
import type { KeyedHandlerContext } from '../endpoints/contract.js';
import { claimOrRecorded, type Fingerprint } from '../endpoints/idempotency.js';
import { newResourceId } from '../ids.js';
import type { Database, Db, Tx } from '../schema.js';
import type { ResourceKind, ResourceRecord } from './resource-kind.js';
import { findResource, insertResource, listResources, saveResource, type Page, type PageQuery } from './resource-store.js';

/** What a create decides: the new resource's status and fields. */
export interface Creation<Doc extends object, Status extends string> {
  readonly status: Status;
  readonly doc: Doc;
  readonly detail?: string;
  /** Work in the same transaction once the row exists (journal lines, notifications). */
  readonly after?: (tx: Tx, record: ResourceRecord<Doc, Status>) => Promise<void>;
}

/** What a change decides: the new state, or nothing to do (a repeat of a change already made). */
export type Decision<Doc extends object, Status extends string> =
  | {
      readonly status: Status;
      readonly doc: Doc;
      readonly event: string;
      readonly detail?: string;
      readonly after?: (tx: Tx, record: ResourceRecord<Doc, Status>) => Promise<void>;
    }
  | { readonly unchanged: true };

/** How often a change that keeps losing races is decided again before it is answered U. */
const CHANGE_ATTEMPTS = 8;

export class ResourceEngine {
  constructor(
    readonly database: Database,
    readonly clock: Clock,
  ) {}

  /**
   * Creates a resource once per request id: `build` runs only for the first
   * request, inside the transaction that claims the key.
   */
  async create<Doc extends object, Status extends string>(
    context: KeyedHandlerContext,
    kind: ResourceKind<Doc, Status>,
    build: (tx: Tx, id: string, now: number) => Promise<Creation<Doc, Status>>,
  ): Promise<{ record: ResourceRecord<Doc, Status>; created: boolean }> {
    const now = this.clock.now();
    const id = newResourceId(kind.idPrefix, now);
    return this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, id, now, (recorded) => findResource(tx, kind, context.clientId, recorded));
      if (!claim.claimed) return { record: claim.recorded, created: false };
      const creation = await build(tx, id, now);
      const record = await insertResource(tx, kind, context.clientId, { id, requestId: context.idempotencyKey.requestId, status: creation.status, doc: creation.doc, now, ...(creation.detail === undefined ? {} : { detail: creation.detail }) });
      await creation.after?.(tx, record);
      return { record, created: true };
    });
  }

  /** Creates a resource no request id keys (made by the engine's own clock work, or by a call that is not keyed). */
  async insert<Doc extends object, Status extends string>(tx: Tx, kind: ResourceKind<Doc, Status>, clientId: string, creation: Creation<Doc, Status>, now: number, requestId?: string): Promise<ResourceRecord<Doc, Status>> {
    const id = newResourceId(kind.idPrefix, now);
    const record = await insertResource(tx, kind, clientId, { id, status: creation.status, doc: creation.doc, now, ...(requestId === undefined ? {} : { requestId }), ...(creation.detail === undefined ? {} : { detail: creation.detail }) });
    await creation.after?.(tx, record);
    return record;
  }

  /**
   * Changes one resource in its own transaction: `decide` sees it as stored
   * and answers the new state (or refuses by throwing an AmsError). Changes
   * of one resource are serialised (its row is locked on PostgreSQL; SQLite
   * has one writer), and the write compares the version it read, so a
   * change is always decided on the state the previous one left; a write
   * that finds another version (a path that read without the lock) is
   * decided again, in a new transaction.
   */
  async change<Doc extends object, Status extends string>(
    clientId: string,
    kind: ResourceKind<Doc, Status>,
    id: string,
    decide: (record: ResourceRecord<Doc, Status>, tx: Tx, now: number) => Promise<Decision<Doc, Status>> | Decision<Doc, Status>,
  ): Promise<ResourceRecord<Doc, Status>> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.database.transaction((tx) => this.decideAndSave(tx, clientId, kind, id, decide));
      if (outcome !== undefined) return outcome;
      if (attempt >= CHANGE_ATTEMPTS) throw new AmsError('UNKNOWN_EXCEPTION', `The ${kind.noun} ${id} kept changing under this request; nothing was changed by it: retry`);
    }
  }

  /**
   * The same, inside a transaction the caller holds (a change that must
   * commit with others: an invoice paid and its coupon redeemed). A lost
   * compare-and-swap throws, rolling the caller's transaction back.
   */
  async changeWithin<Doc extends object, Status extends string>(
    tx: Tx,
    clientId: string,
    kind: ResourceKind<Doc, Status>,
    id: string,
    decide: (record: ResourceRecord<Doc, Status>, tx: Tx, now: number) => Promise<Decision<Doc, Status>> | Decision<Doc, Status>,
  ): Promise<ResourceRecord<Doc, Status>> {
    const saved = await this.decideAndSave(tx, clientId, kind, id, decide);
    if (saved === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `The ${kind.noun} ${id} changed under this request; nothing was changed by it: retry`);
    return saved;
  }

  /**
   * A change keyed by a request id (updateCard, cancelRegistration, …): the
   * key is claimed in the transaction that makes the change, on the
   * resource locked for it, so a resend answers the resource as it is now
   * without acting twice, and a refusal claims nothing.
   */
  async changeKeyed<Doc extends object, Status extends string>(
    context: KeyedHandlerContext,
    kind: ResourceKind<Doc, Status>,
    id: string,
    decide: (record: ResourceRecord<Doc, Status>, tx: Tx, now: number) => Promise<Decision<Doc, Status>> | Decision<Doc, Status>,
    field: string = kind.idField,
  ): Promise<ResourceRecord<Doc, Status>> {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now();
      const record = await this.requireLocked(tx, kind, context.clientId, id, field);
      const claim = await claimOrRecorded(tx, context.idempotencyKey, record.id, now, async () => record);
      if (!claim.claimed) return record;
      return this.saveDecision(tx, kind, record, await decide(record, tx, now), now, true) as Promise<ResourceRecord<Doc, Status>>;
    });
  }

  private async decideAndSave<Doc extends object, Status extends string>(
    tx: Tx,
    clientId: string,
    kind: ResourceKind<Doc, Status>,
    id: string,
    decide: (record: ResourceRecord<Doc, Status>, tx: Tx, now: number) => Promise<Decision<Doc, Status>> | Decision<Doc, Status>,
  ): Promise<ResourceRecord<Doc, Status> | undefined> {
    const now = this.clock.now();
    const record = await this.requireLocked(tx, kind, clientId, id, kind.idField);
    return this.saveDecision(tx, kind, record, await decide(record, tx, now), now, false);
  }

  /** The resource, locked for a change (PostgreSQL), or the kind's not-found answer. */
  private async requireLocked<Doc extends object, Status extends string>(tx: Tx, kind: ResourceKind<Doc, Status>, clientId: string, id: string, field: string): Promise<ResourceRecord<Doc, Status>> {
    const record = await findResource(tx, kind, clientId, id, { forUpdate: this.database.dialect });
    if (record === undefined) throw new AmsError(kind.notFoundCode, `${field}: no ${kind.noun} ${id}`, { field });
    return record;
  }

  /**
   * Writes a decision on `record` (read locked in this transaction) and runs
   * its follow-up work. A lost compare-and-swap gives undefined, or throws
   * U when the caller cannot decide again (`mustLand`).
   */
  private async saveDecision<Doc extends object, Status extends string>(
    tx: Tx, kind: ResourceKind<Doc, Status>, record: ResourceRecord<Doc, Status>, decision: Decision<Doc, Status>, now: number, mustLand: boolean,
  ): Promise<ResourceRecord<Doc, Status> | undefined> {
    if ('unchanged' in decision) return record;
    const saved = await saveResource(tx, kind, record, { status: decision.status, doc: decision.doc, now, event: decision.event, ...(decision.detail === undefined ? {} : { detail: decision.detail }) });
    if (saved === undefined) {
      if (mustLand) throw new AmsError('UNKNOWN_EXCEPTION', `The ${kind.noun} ${record.id} changed under this request; nothing was changed by it: retry`);
      return undefined;
    }
    await decision.after?.(tx, saved);
    return saved;
  }

  /** The resource, or the kind's not-found answer naming its id field. */
  async require<Doc extends object, Status extends string>(tx: Tx | Db, kind: ResourceKind<Doc, Status>, clientId: string, id: string, field: string = kind.idField): Promise<ResourceRecord<Doc, Status>> {
    const record = await findResource(tx, kind, clientId, id);
    if (record === undefined) throw new AmsError(kind.notFoundCode, `${field}: no ${kind.noun} ${id}`, { field });
    return record;
  }

  get<Doc extends object, Status extends string>(kind: ResourceKind<Doc, Status>, clientId: string, id: string, field?: string): Promise<ResourceRecord<Doc, Status>> {
    return this.database.read((db) => this.require(db, kind, clientId, id, field));
  }

  list<Doc extends object, Status extends string>(kind: ResourceKind<Doc, Status>, clientId: string, query: PageQuery): Promise<Page<Doc, Status>> {
    return this.database.read(async (db) => {
      for (const [field, cursor] of [['startingAfter', query.startingAfter], ['endingBefore', query.endingBefore]] as const) {
        if (cursor !== undefined && (await findResource(db, kind, clientId, cursor)) === undefined) {
          throw AmsError.paramIllegal(field, `no ${kind.noun} ${cursor} to page from`);
        }
      }
      return listResources(db, kind, clientId, query);
    });
  }
}

/**
 * A create request's fingerprint: each top-level field as canonical JSON,
 * so a repeat with other values names the fields that differ.
 */
export function requestFingerprint(request: object, idField: string): Fingerprint {
  return Object.fromEntries(
    Object.entries(request).filter(([name]) => name !== idField).map(([name, value]) => [name, canonicalJson(value)]),
  );
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
