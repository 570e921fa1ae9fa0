/**
 * Tables of the calls beside a payment (migration 0017,
 * `payment-tools-migration.ts`): the invoices and air waybills uploaded for
 * a payment, and the arrears of Auto Debit payments handed back for
 * collection. Both are read by the dashboard's payment timeline.
 */
import type { IntColumn } from '../../store/columns.js';

/** One uploaded file; `(client_id, file_id)` is unique (a repeat of the same file answers the same). */
export interface InvoiceShippingFilesTable {
  client_id: string;
  file_id: string;
  payment_id: string;
  payment_request_id: string;
  file_type: 'Invoice' | 'AWB';
  file_name: string;
  /** What the file is, from its first bytes: PDF, DOC, DOCX or JPEG. */
  file_format: string;
  /** The file as base64 (as sent, white space removed). */
  content: string;
  size_bytes: IntColumn;
  /** SHA-256 hex of the file's bytes. */
  sha256: string;
  created_at: IntColumn;
}

/** One `payments/syncArrear` call on a payment in arrears. */
export interface ArrearSyncsTable {
  sync_id: string;
  client_id: string;
  payment_id: string;
  /** The code the payment failed with (what left the arrear). */
  result_code: string;
  created_at: IntColumn;
}

export interface PaymentToolsTables {
  invoice_shipping_files: InvoiceShippingFilesTable;
  arrear_syncs: ArrearSyncsTable;
}
