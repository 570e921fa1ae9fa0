/** Finding Billing resources by something other than their id, and the answers that strip what is internal. */
import { AmsError } from '@amsgate/protocol';
import type { ResourceKind, ResourceRecord } from '../../../resources/resource-kind.js';
import { findByTag } from '../../../resources/resource-store.js';

export { findByTag };
import { requireStatus } from '../../../resources/resource-endpoints.js';
import type { Db, Tx } from '../../../schema.js';
import { INVOICE, type InvoiceDoc, type InvoiceStatus } from './kinds.js';


/**
 * The invoice an `invoiceId` or `invoiceRequestId` names (one at least;
 * both must name the same one).
 */
export async function invoiceIdOf(db: Tx | Db, clientId: string, request: { invoiceId?: string; invoiceRequestId?: string }): Promise<string> {
  if (request.invoiceId === undefined && request.invoiceRequestId === undefined) throw AmsError.paramIllegal('invoiceId', 'give invoiceId or invoiceRequestId');
  if (request.invoiceRequestId === undefined) return request.invoiceId!;
  // The newest: a customer change replaces an invoice under the same request id.
  const byRequest = (await findByTag(db, INVOICE, clientId, 'invoiceRequestId', request.invoiceRequestId)).at(-1);
  if (byRequest === undefined) throw new AmsError('RECORD_NOT_FOUND', `invoiceRequestId: no invoice ${request.invoiceRequestId}`, { field: 'invoiceRequestId' });
  if (request.invoiceId !== undefined && request.invoiceId !== byRequest.id) throw AmsError.paramIllegal('invoiceRequestId', `names invoice ${byRequest.id}, not ${request.invoiceId}`);
  return byRequest.id;
}

/** `INV-0001`: the invoice's place among the client's invoices (ids are time-ordered). */
export async function invoiceNumberOf(db: Tx | Db, clientId: string, id: string): Promise<string> {
  const row = await db.selectFrom('resources').select((eb) => eb.fn.countAll().as('n')).where('client_id', '=', clientId).where('kind', '=', INVOICE.kind).where('id', '<=', id).executeTakeFirst();
  return `INV-${String(Number(row?.n ?? 0)).padStart(4, '0')}`;
}

/** An invoice as its details answer it. */
export function invoiceDetails(record: ResourceRecord<InvoiceDoc, InvoiceStatus>, invoiceNumber?: string): Omit<InvoiceDoc, 'internal'> {
  const { internal: _internal, ...doc } = record.doc;
  return { ...doc, invoiceId: record.id, status: record.status, ...(invoiceNumber === undefined ? {} : { invoiceNumber }) };
}

/** `requireStatus`, under the name the invoicing code reads best with. */
export function mustBe<Doc extends object, Status extends string>(kind: ResourceKind<Doc, Status>, record: ResourceRecord<Doc, Status>, allowed: readonly Status[], action: string): void {
  requireStatus(kind, record, allowed, action);
}
