/**
 * The rows of an invoice or receipt export: one per listed resource, in the
 * export's order, with the columns its preset names (DEFAULT: what a
 * finance team reconciles; ALL: every field the list answers, plus the
 * breakdown). Amounts are decimal major units of the row's currency
 * (`12.34` for 1234 USD minor units, `1000` for 1000 JPY) beside a Currency
 * column. Payment methods and payment ids are the most a row shows of how it
 * was paid: never card details.
 */
import { formatMajorUnits } from '@amsgate/protocol';
import type { ReceiptDoc, InvoiceDoc } from '../../../products/billing/invoicing/kinds.js';
import type { Cell, Table } from './table.js';

type WireAmount = { currency?: string; value?: string } | undefined;

export interface InvoiceRow {
  readonly id: string;
  readonly status: string;
  readonly number: string;
  readonly doc: Omit<InvoiceDoc, 'internal'>;
}

export interface ReceiptRow {
  readonly id: string;
  readonly status: string;
  readonly doc: Omit<ReceiptDoc, 'internal'>;
}

interface Column<Row> {
  readonly header: string;
  readonly all?: true;
  readonly value: (row: Row) => Cell;
}

/** Minor units as a decimal in major units; negative amounts keep their sign. */
export function decimalOf(amount: WireAmount, currency: string | undefined): Cell {
  if (amount?.value === undefined || currency === undefined) return '';
  const minor = BigInt(amount.value);
  const text = formatMajorUnits({ currency, minor: minor < 0n ? -minor : minor });
  return { decimal: minor < 0n ? `-${text}` : text };
}

function nameOf(doc: { customerFirstName?: string; customerLastName?: string }): string {
  return [doc.customerFirstName, doc.customerLastName].filter((part) => part !== undefined && part !== '').join(' ');
}

const text = (value: string | undefined): string => value ?? '';

const INVOICE_COLUMNS: ReadonlyArray<Column<InvoiceRow>> = [
  { header: 'Invoice ID', value: (r) => r.id },
  { header: 'Invoice number', value: (r) => r.number },
  { header: 'Status', value: (r) => r.status },
  { header: 'Customer ID', value: (r) => text(r.doc.customerId) },
  { header: 'Customer name', all: true, value: (r) => nameOf(r.doc) },
  { header: 'Customer email', value: (r) => text(r.doc.customerEmail) },
  { header: 'Subscription ID', all: true, value: (r) => text(r.doc.subscriptionId) },
  { header: 'Reason', all: true, value: (r) => text(r.doc.reason) },
  { header: 'Collection method', all: true, value: (r) => text(r.doc.collectionMethod) },
  { header: 'Currency', value: (r) => text(r.doc.currency) },
  { header: 'Subtotal', all: true, value: (r) => decimalOf(r.doc.subtotal, r.doc.currency) },
  { header: 'Discount', all: true, value: (r) => decimalOf(r.doc.discountAmount, r.doc.currency) },
  { header: 'Tax', all: true, value: (r) => decimalOf(r.doc.taxAmount, r.doc.currency) },
  { header: 'Total', value: (r) => decimalOf(r.doc.totalAmount, r.doc.currency) },
  { header: 'Paid', value: (r) => decimalOf(r.doc.paidAmount, r.doc.currency) },
  { header: 'Remaining', value: (r) => decimalOf(r.doc.remainAmount, r.doc.currency) },
  { header: 'Due date', value: (r) => text(r.doc.dueDate) },
  { header: 'Period start', all: true, value: (r) => text(r.doc.periodStart) },
  { header: 'Period end', all: true, value: (r) => text(r.doc.periodEnd) },
  { header: 'Paid time', all: true, value: (r) => text(r.doc.paidTime) },
  { header: 'Description', all: true, value: (r) => text(r.doc.description) },
  { header: 'Created', value: (r) => text(r.doc.gmtCreate) },
  { header: 'Updated', all: true, value: (r) => text(r.doc.gmtUpdate) },
];

const currencyOfReceipt = (doc: ReceiptRow['doc']): string | undefined => doc.totalAmount?.currency ?? doc.paidAmount?.currency;

const RECEIPT_COLUMNS: ReadonlyArray<Column<ReceiptRow>> = [
  { header: 'Receipt ID', value: (r) => r.id },
  { header: 'Invoice ID', value: (r) => text(r.doc.invoiceId) },
  { header: 'Status', value: (r) => r.status },
  { header: 'Receipt type', value: (r) => text(r.doc.receiptType) },
  { header: 'Customer ID', value: (r) => text(r.doc.customerId) },
  { header: 'Customer name', all: true, value: (r) => nameOf(r.doc) },
  { header: 'Customer email', value: (r) => text(r.doc.customerEmail) },
  { header: 'Subscription ID', all: true, value: (r) => text(r.doc.subscriptionId) },
  { header: 'Payment ID', all: true, value: (r) => text(r.doc.paymentId) },
  { header: 'Payment method', all: true, value: (r) => text(r.doc.paymentMethod) },
  { header: 'Currency', value: (r) => text(currencyOfReceipt(r.doc)) },
  { header: 'Subtotal', all: true, value: (r) => decimalOf(r.doc.subtotal, currencyOfReceipt(r.doc)) },
  { header: 'Discount', all: true, value: (r) => decimalOf(r.doc.discountAmount, currencyOfReceipt(r.doc)) },
  { header: 'Tax', all: true, value: (r) => decimalOf(r.doc.taxAmount, currencyOfReceipt(r.doc)) },
  { header: 'Total', value: (r) => decimalOf(r.doc.totalAmount, currencyOfReceipt(r.doc)) },
  { header: 'Paid', value: (r) => decimalOf(r.doc.paidAmount, currencyOfReceipt(r.doc)) },
  { header: 'Refunded', value: (r) => decimalOf(r.doc.refundedAmount, currencyOfReceipt(r.doc)) },
  { header: 'Remaining', all: true, value: (r) => decimalOf(r.doc.remainingAmount, currencyOfReceipt(r.doc)) },
  { header: 'Period start', all: true, value: (r) => text(r.doc.periodStart) },
  { header: 'Period end', all: true, value: (r) => text(r.doc.periodEnd) },
  { header: 'Paid time', value: (r) => text(r.doc.paidTime) },
  { header: 'Description', all: true, value: (r) => text(r.doc.description) },
  { header: 'Created', all: true, value: (r) => text(r.doc.gmtCreate) },
];

function tableOf<Row>(columns: ReadonlyArray<Column<Row>>, preset: string, rows: readonly Row[]): Table {
  const chosen = columns.filter((column) => preset === 'ALL' || column.all !== true);
  return { columns: chosen.map((column) => column.header), rows: rows.map((row) => chosen.map((column) => column.value(row))) };
}

export function invoiceTable(preset: string, rows: readonly InvoiceRow[]): Table {
  return tableOf(INVOICE_COLUMNS, preset, rows);
}

export function receiptTable(preset: string, rows: readonly ReceiptRow[]): Table {
  return tableOf(RECEIPT_COLUMNS, preset, rows);
}
