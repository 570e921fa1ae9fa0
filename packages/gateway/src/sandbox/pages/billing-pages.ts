/**
 * The pages Billing's answers link to, served in both modes:
 *
 *   GET /billing/invoices/:invoiceId/view?token=…   the hosted invoice
 *   GET /billing/receipts/:receiptId/view?token=…   the hosted receipt (a receipt's fileUrl)
 *   GET /billing/exports/:exportId?token=…           an invoice or receipt export (CSV or XLSX)
 *   GET /billing/portal/:token                        the customer portal
 *   GET /billing/products/:productId/images/:name     a product's placeholder image
 *
 * The first three open with a bearer token only; a wrong, expired or
 * invalidated one answers the same 404 as an unknown id.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Database } from '../../schema.js';
import { newNonce, pageHeaders } from '../../web/page-security.js';
import { renderMessagePage } from './checkout/result-page.js';
import { exportByToken, invoiceByViewToken, portalByToken, productImage, receiptByViewToken, type ExportContent } from './billing/bearer-lookups.js';
import { renderReceiptPage } from './billing/receipt-page.js';
import { toCsv } from './billing/csv.js';
import { invoiceTable, receiptTable } from './billing/export-table.js';
import { renderInvoicePage } from './billing/invoice-page.js';
import { placeholderSvg } from './billing/placeholder-image.js';
import { renderPortalPage } from './billing/portal-page.js';
import { toXlsx, XLSX_MIME } from './billing/xlsx.js';

export interface BillingPagesDeps {
  readonly database: Database;
  readonly clock: Clock;
}

type TokenQuery = { Querystring: { token?: unknown } };

/** The token from `?token=`: one non-empty value, else none. */
function tokenOf(query: { token?: unknown }): string | undefined {
  return typeof query.token === 'string' && query.token !== '' ? query.token : undefined;
}

function sendHtml(reply: FastifyReply, status: number, render: (nonce: string) => string) {
  const nonce = newNonce();
  return reply.status(status).headers(pageHeaders(nonce)).send(render(nonce));
}

function sendNotFound(reply: FastifyReply) {
  return sendHtml(reply, 404, (nonce) => renderMessagePage(nonce, 'Link not valid', 'This link does not open anything. It may have expired or been replaced: ask the merchant for a new one.'));
}

function exportFile(content: ExportContent): { body: Buffer | string; contentType: string } {
  const table = content.kind === 'INVOICE' ? invoiceTable(content.doc.columnPreset, content.rows) : receiptTable(content.doc.columnPreset, content.rows);
  if (content.doc.fileFormat === 'xlsx') return { body: toXlsx(table, content.kind === 'INVOICE' ? 'Invoices' : 'Receipts', new Date(content.createdAt)), contentType: XLSX_MIME };
  return { body: toCsv(table), contentType: 'text/csv; charset=utf-8' };
}

/** A file name safe in a quoted header parameter (ours are `invoices_20260401_20260430_<ms>.csv`). */
function attachmentName(fileName: string): string {
  return fileName.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function registerBillingPages(app: FastifyInstance, deps: BillingPagesDeps): void {
  const { database, clock } = deps;

  app.get<{ Params: { invoiceId: string } } & TokenQuery>('/billing/invoices/:invoiceId/view', async (request, reply) => {
    const token = tokenOf(request.query);
    const invoice = token === undefined ? undefined : await database.read((db) => invoiceByViewToken(db, request.params.invoiceId, token, clock.now()));
    return invoice === undefined ? sendNotFound(reply) : sendHtml(reply, 200, (nonce) => renderInvoicePage(invoice, nonce));
  });

  app.get<{ Params: { receiptId: string } } & TokenQuery>('/billing/receipts/:receiptId/view', async (request, reply) => {
    const token = tokenOf(request.query);
    const receipt = token === undefined ? undefined : await database.read((db) => receiptByViewToken(db, request.params.receiptId, token));
    return receipt === undefined ? sendNotFound(reply) : sendHtml(reply, 200, (nonce) => renderReceiptPage(receipt, nonce));
  });

  app.get<{ Params: { exportId: string } } & TokenQuery>('/billing/exports/:exportId', async (request, reply) => {
    const token = tokenOf(request.query);
    const content = token === undefined ? undefined : await database.read((db) => exportByToken(db, request.params.exportId, token, clock.now()));
    if (content === undefined) return sendNotFound(reply);
    const file = exportFile(content);
    return reply.status(200).headers({
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${attachmentName(content.doc.fileName)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    }).send(file.body);
  });

  app.get<{ Params: { token: string } }>('/billing/portal/:token', async (request, reply) => {
    const view = await database.read((db) => portalByToken(db, request.params.token, clock.now()));
    return view === undefined ? sendNotFound(reply) : sendHtml(reply, 200, (nonce) => renderPortalPage(view, nonce));
  });

  app.get<{ Params: { productId: string; name: string } }>('/billing/products/:productId/images/:name', async (request, reply) => {
    const { productId, name } = request.params;
    const image = await database.read((db) => productImage(db, productId, name));
    if (image === undefined) return sendNotFound(reply);
    return reply.status(200).headers({
      'content-type': 'image/svg+xml; charset=utf-8',
      // An SVG opened on its own is a document: it may run nothing.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=300',
    }).send(placeholderSvg(image.productName, name));
  });
}
