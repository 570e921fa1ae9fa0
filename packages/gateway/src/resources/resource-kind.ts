/**
 * A resource kind, declared once: what the engine needs to store, find,
 * refuse and list it. Products declare theirs beside their service
 * (`products/billing/kinds.ts`); the engine knows none of them.
 */
import type { ResultCode } from '@amsgate/protocol';

export interface ResourceKind<Doc extends object, Status extends string = string> {
  /** Stored in `resources.kind`: `billing.invoice`. */
  readonly kind: string;
  /** Three capital letters the kind's ids start with (`INV`). */
  readonly idPrefix: string;
  /** In messages: `invoice`. */
  readonly noun: string;
  /** The request field that names one (`invoiceId`), in messages about a missing one. */
  readonly idField: string;
  /** What a missing one is answered with. */
  readonly notFoundCode: ResultCode;
  /** Every status the kind can be in; the first is where a created one starts unless its create says otherwise. */
  readonly statuses: readonly Status[];
  /**
   * What lists filter by: a value per filter (as the list request sends it),
   * or undefined when the resource has none. `status` is always a filter.
   */
  readonly filters?: { readonly [name: string]: (doc: Doc) => string | undefined };
  /** Its documents hold secrets (a card's number and CVV): the dashboard neither lists nor shows them. */
  readonly sensitive?: boolean;
}

/** Declares a kind, keeping its document and status types. */
export function defineResourceKind<Doc extends object, const Status extends string>(kind: ResourceKind<Doc, Status>): ResourceKind<Doc, Status> {
  if (!/^[A-Z]{3}$/.test(kind.idPrefix)) throw new Error(`${kind.kind}: idPrefix must be three capital letters`);
  return kind;
}

/** A stored resource. */
export interface ResourceRecord<Doc extends object, Status extends string = string> {
  readonly id: string;
  readonly clientId: string;
  readonly requestId: string | null;
  readonly status: Status;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly doc: Doc;
}
