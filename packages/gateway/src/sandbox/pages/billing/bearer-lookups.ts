/**
 * Resolving the Billing pages' bearer links to what they show. Each finds
 * its resource by id whatever client owns it, then checks the presented
 * token in constant time and the link's expiry; anything after that reads
 * only the owning client's resources. Undefined means "no such link", with
 * no hint of why.
 */
import { findByTag, findResource, findResourceOfAnyClient } from '../../../resources/resource-store.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { equalSecret } from '../../../web/equal-secret.js';
import type { Tx } from '../../../schema.js';
import { BILLING_EXPORT, BILLING_SUBSCRIPTION, INVOICE, RECEIPT, type ExportDoc, type InvoiceDoc, type InvoiceStatus } from '../../../products/billing/invoicing/kinds.js';
import { invoiceDetails, invoiceNumberOf } from '../../../products/billing/invoicing/lookup.js';
import { receiptDetails } from '../../../products/billing/invoicing/receipts.js';
import { CUSTOMER, PORTAL_LINK, PRODUCT } from '../../../products/billing/catalog/kinds.js';
import type { InvoiceView } from './invoice-page.js';
import type { PortalInvoice, PortalView } from './portal-page.js';
import type { ReceiptView } from './receipt-page.js';
import type { InvoiceRow, ReceiptRow } from './export-table.js';

/** The portal lists this many invoices, newest first. */
const PORTAL_INVOICES = 100;

/** Whether `token` opens the invoice now: its latest view token, unexpired, and the invoice not voided. */
function invoiceLinkValid(record: ResourceRecord<InvoiceDoc, InvoiceStatus>, token: string, now: number): boolean {
  const { viewToken, viewTokenExpiresAt } = record.doc.internal;
  if (viewToken === undefined || !equalSecret(token, viewToken)) return false;
  // Voiding drops the token already (invoice-endpoints.ts `voided`); the status check keeps that true of any other way to VOID.
  if (record.status === 'VOID') return false;
  return viewTokenExpiresAt === undefined || now < Date.parse(viewTokenExpiresAt);
}

export async function invoiceByViewToken(db: Tx, invoiceId: string, token: string, now: number): Promise<InvoiceView | undefined> {
  const record = await findResourceOfAnyClient(db, INVOICE, invoiceId);
  if (record === undefined || !invoiceLinkValid(record, token, now)) return undefined;
  return invoiceDetails(record, await invoiceNumberOf(db, record.clientId, record.id));
}

/**
 * Every invoice number of a client at once: the same rule as
 * `invoiceNumberOf` (the invoice's place among the client's invoices by id),
 * in one query instead of one per row.
 */
async function invoiceNumbers(db: Tx, clientId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('resources').select('id').where('client_id', '=', clientId).where('kind', '=', INVOICE.kind).orderBy('id', 'asc').execute();
  return new Map(rows.map((row, index) => [row.id, `INV-${String(index + 1).padStart(4, '0')}`]));
}

/** A receipt by its hosted page's token (`fileUrl`). */
export async function receiptByViewToken(db: Tx, receiptId: string, token: string): Promise<ReceiptView | undefined> {
  const record = await findResourceOfAnyClient(db, RECEIPT, receiptId);
  const viewToken = record?.doc.internal.viewToken;
  if (record === undefined || viewToken === undefined || !equalSecret(token, viewToken)) return undefined;
  return receiptDetails(record);
}

export type ExportContent =
  | { readonly doc: ExportDoc; readonly createdAt: number; readonly kind: 'INVOICE'; readonly rows: InvoiceRow[] }
  | { readonly doc: ExportDoc; readonly createdAt: number; readonly kind: 'RECEIPT'; readonly rows: ReceiptRow[] };

/** An export's rows as the resources are now, in the order the export listed them. */
export async function exportByToken(db: Tx, exportId: string, token: string, now: number): Promise<ExportContent | undefined> {
  const record = await findResourceOfAnyClient(db, BILLING_EXPORT, exportId);
  if (record === undefined || !equalSecret(token, record.doc.token) || now >= Date.parse(record.doc.expiresAt)) return undefined;
  const { doc, clientId, createdAt } = record;
  if (doc.downloadType === 'RECEIPT') {
    const rows: ReceiptRow[] = [];
    for (const id of doc.ids) {
      const receipt = await findResource(db, RECEIPT, clientId, id);
      if (receipt !== undefined) rows.push({ id: receipt.id, status: receipt.status, doc: receiptDetails(receipt) });
    }
    return { doc, createdAt, kind: 'RECEIPT', rows };
  }
  const numbers = await invoiceNumbers(db, clientId);
  const rows: InvoiceRow[] = [];
  for (const id of doc.ids) {
    const invoice = await findResource(db, INVOICE, clientId, id);
    if (invoice !== undefined) rows.push({ id: invoice.id, status: invoice.status, number: numbers.get(invoice.id) ?? '', doc: invoiceDetails(invoice) });
  }
  return { doc, createdAt, kind: 'INVOICE', rows };
}

/**
 * The portal link holding `token`. The URL carries only the token, so it is
 * found by its tag across clients (a random 192-bit value: the lookup says
 * nothing about other tokens), then compared in constant time as the others are.
 */
async function portalLinkOf(db: Tx, token: string) {
  const tag = await db.selectFrom('resource_tags').select('id').where('kind', '=', PORTAL_LINK.kind).where('name', '=', 'token').where('value', '=', token).executeTakeFirst();
  if (tag === undefined) return undefined;
  const link = await findResourceOfAnyClient(db, PORTAL_LINK, tag.id);
  return link !== undefined && equalSecret(token, link.doc.token) ? link : undefined;
}

function viewPathOf(record: ResourceRecord<InvoiceDoc, InvoiceStatus>, now: number): string | undefined {
  const token = record.doc.internal.viewToken;
  if (token === undefined || !invoiceLinkValid(record, token, now)) return undefined;
  return `/billing/invoices/${encodeURIComponent(record.id)}/view?token=${encodeURIComponent(token)}`;
}

export async function portalByToken(db: Tx, token: string, now: number): Promise<PortalView | undefined> {
  const link = await portalLinkOf(db, token);
  if (link === undefined || now >= link.doc.expiresAt) return undefined;
  const { clientId } = link;
  const customer = await findResource(db, CUSTOMER, clientId, link.doc.customerId);
  // A link to a customer since deleted opens nothing.
  if (customer === undefined || customer.status === 'DELETED') return undefined;
  const features = link.doc.features;
  let invoices: PortalInvoice[] = [];
  if (features.includes('INVOICE')) {
    const numbers = await invoiceNumbers(db, clientId);
    const records = (await findByTag(db, INVOICE, clientId, 'customerId', customer.id)).filter((record) => record.status !== 'DRAFT').reverse().slice(0, PORTAL_INVOICES);
    invoices = records.map((record) => {
      const viewPath = viewPathOf(record, now);
      return {
        invoiceId: record.id, number: numbers.get(record.id) ?? '', status: record.status, total: record.doc.totalAmount, remaining: record.doc.remainAmount,
        ...(viewPath === undefined ? {} : { viewPath }),
      };
    });
  }
  const subscriptions = !features.includes('SUBSCRIPTION') ? [] : (await findByTag(db, BILLING_SUBSCRIPTION, clientId, 'customerId', customer.id)).reverse().map((record) => ({
    subscriptionId: record.id, status: record.status, total: record.doc.totalAmount,
    ...(record.doc.description === undefined ? {} : { description: record.doc.description }),
    ...(record.doc.currentPeriodEnd === undefined ? {} : { currentPeriodEnd: record.doc.currentPeriodEnd }),
  }));
  return { customer: { ...customer.doc, status: customer.status }, features, invoices, subscriptions, expiresAt: new Date(link.doc.expiresAt).toISOString() };
}

/** The product's name, when `name` is one of the images it records under this gateway's image path. */
export async function productImage(db: Tx, productId: string, name: string): Promise<{ productName: string } | undefined> {
  const product = await findResourceOfAnyClient(db, PRODUCT, productId);
  if (product === undefined) return undefined;
  const path = `/billing/products/${productId}/images/${name}`;
  const recorded = (product.doc.images ?? []).some((url) => {
    try {
      return decodeURIComponent(new URL(url).pathname) === path;
    } catch {
      return false;
    }
  });
  return recorded ? { productName: product.doc.name ?? productId } : undefined;
}
