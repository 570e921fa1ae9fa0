/** `invoice/inquireList` and the invoice and receipt exports (files the sandbox serves under `/billing/exports/<id>`). */
import { randomBytes } from 'node:crypto';
import { AmsError, SUCCESS_RESULT } from '@amsgate/protocol';
import { endpointModule, type EndpointModules } from '../../../endpoints/contract.js';
import { pageQueryOf } from '../../../resources/list-request.js';
import { findResource, listResources } from '../../../resources/resource-store.js';
import type { ResourceKind } from '../../../resources/resource-kind.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { BILLING_EXPORT, INVOICE, RECEIPT, type InvoiceDoc } from './kinds.js';
import { dateBounds } from './list-filters.js';
import { minorOf } from './money.js';

const MIME: Record<string, string> = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
const MAX_EXPORT_IDS = 1000;
/** Our choice: export links last 7 days. */
const EXPORT_LIFETIME_MS = 7 * 86_400_000;
const EXPORT_ROWS = 10_000;

export function invoiceListEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/invoice/inquireList': endpointModule({
      path: 'billing/invoice/inquireList',
      handle: async (context, request) => {
        const bounds = dateBounds(request.startDate, request.endDate);
        if (request.invoiceId !== undefined) {
          const record = await deps.database.read((db) => findResource(db, INVOICE, context.clientId, request.invoiceId!));
          const items = record === undefined ? [] : [record];
          return { result: { ...SUCCESS_RESULT }, invoices: items.map(summary), hasMore: false, ...(request.includeTotal === true ? { total: String(items.length) } : {}) };
        }
        const min = request.minAmount === undefined ? undefined : minorOf(request.minAmount);
        const max = request.maxAmount === undefined ? undefined : minorOf(request.maxAmount);
        const page = await engine.list(INVOICE, context.clientId, pageQueryOf({ ...request, limit: request.limit ?? 20 }, {
          customerId: request.customerId, subscriptionId: request.subscriptionId, status: request.status, reason: request.reason,
        }, bounds));
        const items = page.items.filter((record) =>
          !(request.excludeDraft === true && record.status === 'DRAFT')
          && (min === undefined || minorOf(record.doc.totalAmount) >= min)
          && (max === undefined || minorOf(record.doc.totalAmount) <= max));
        return {
          result: { ...SUCCESS_RESULT },
          invoices: items.map(summary),
          hasMore: page.hasMore,
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
          ...(page.previousCursor === undefined ? {} : { previousCursor: page.previousCursor }),
          ...(page.total === undefined ? {} : { total: String(page.total) }),
        };
      },
    }),

    'billing/invoice/export': endpointModule({
      path: 'billing/invoice/export',
      handle: async (context, request) => {
        if (request.downloadType !== 'INVOICE') throw AmsError.paramIllegal('downloadType', `must be INVOICE, got ${request.downloadType}`);
        return { result: { ...SUCCESS_RESULT }, ...(await exportFile(deps, context.clientId, INVOICE, 'INVOICE', request, { customerId: request.customerId, status: request.status, subscriptionId: request.subscriptionId }, request.invoiceIds)) };
      },
    }),

    'billing/receipt/export': endpointModule({
      path: 'billing/receipt/export',
      handle: async (context, request) => {
        if (request.downloadType !== 'RECEIPT') throw AmsError.paramIllegal('downloadType', `must be RECEIPT, got ${request.downloadType}`);
        return { result: { ...SUCCESS_RESULT }, ...(await exportFile(deps, context.clientId, RECEIPT, 'RECEIPT', request, { customerId: request.customerId, status: request.status, subscriptionId: request.subscriptionId }, request.receiptIds)) };
      },
    }),
  } satisfies Partial<EndpointModules>;
}

function summary(record: { id: string; status: string; doc: InvoiceDoc }) {
  const d = record.doc;
  return {
    invoiceId: record.id, status: record.status,
    ...pick(d, ['subscriptionId', 'customerId', 'customerFirstName', 'customerLastName', 'customerEmail', 'reason', 'totalAmount', 'paidAmount', 'remainAmount', 'currency', 'periodStart', 'periodEnd', 'dueDate', 'gmtCreate', 'gmtUpdate', 'description'] as const),
  };
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]])) as Pick<T, K>;
}

async function exportFile<Doc extends object, Status extends string>(
  deps: ResourceProductDeps, clientId: string, kind: ResourceKind<Doc, Status>, downloadType: 'INVOICE' | 'RECEIPT',
  request: { fileFormat?: string; language?: string; columnPreset?: string; startDate?: string; endDate?: string },
  filters: Record<string, string | undefined>, ids: readonly string[] | undefined,
) {
  const format = (request.fileFormat ?? 'csv').toLowerCase();
  if (MIME[format] === undefined) throw AmsError.paramIllegal('fileFormat', `must be csv or xlsx, got ${request.fileFormat}`);
  const preset = request.columnPreset ?? 'DEFAULT';
  if (preset !== 'DEFAULT' && preset !== 'ALL') throw AmsError.paramIllegal('columnPreset', `must be DEFAULT or ALL, got ${preset}`);
  const idsField = downloadType === 'INVOICE' ? 'invoiceIds' : 'receiptIds';
  if (ids !== undefined && ids.length > MAX_EXPORT_IDS) throw AmsError.paramIllegal(idsField, `at most ${MAX_EXPORT_IDS}`);
  const bounds = dateBounds(request.startDate, request.endDate);
  return deps.database.transaction(async (tx) => {
    const now = deps.clock.now();
    let chosen: string[];
    if (ids !== undefined) {
      // Named ids override every other filter; ones the client does not have are left out.
      chosen = [];
      for (const id of ids) if ((await findResource(tx, kind, clientId, id)) !== undefined) chosen.push(id);
    } else {
      const page = await listResources(tx, kind, clientId, { filters, limit: EXPORT_ROWS, includeTotal: false, ...bounds });
      chosen = page.items.map((record) => record.id);
    }
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
    const fileName = `${downloadType === 'INVOICE' ? 'invoices' : 'receipts'}_${day(bounds.createdFrom ?? now)}_${day((bounds.createdTo ?? now + 1) - 1)}_${now}.${format}`;
    const expiresAt = new Date(now + EXPORT_LIFETIME_MS).toISOString();
    const token = randomBytes(24).toString('base64url');
    const record = await deps.engine.insert(tx, BILLING_EXPORT, clientId, {
      status: 'READY', doc: { downloadType, fileFormat: format, fileName, columnPreset: preset, language: request.language ?? 'en', ids: chosen, expiresAt, token }, detail: `${chosen.length} rows`,
    }, now);
    return {
      fileFormat: MIME[format]!, expiresAt, fileName,
      fileUrl: `${deps.baseUrl()}/billing/exports/${record.id}?token=${token}`,
      // An estimate until the file is rendered (by the page that serves it): a header and a line per row.
      fileSize: 128 + chosen.length * 160,
    };
  });
}
