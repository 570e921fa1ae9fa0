/**
 * `payments/uploadInvoiceShippingFile`: a payment's invoice or air waybill,
 * stored with the payment (docs page "uploadInvoiceShippingFile"): for
 * payments by UPI, Net Banking or card only; the file is base64 of a PDF,
 * DOC, DOCX or JPEG, at most 1,000,000 characters (the schema's limit, so
 * at most 750,000 bytes of file). Keyed by `fileId` per client: the same
 * file again answers the same; other content, type, name or payment under
 * the same `fileId` is REPEAT_REQ_INCONSISTENT.
 */
import { createHash } from 'node:crypto';
import { AmsError, SUCCESS_RESULT, type UploadInvoiceShippingFileRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { Database, Db } from '../../schema.js';
import { toNumber } from '../../store/columns.js';
import { findPayment } from './payments-repository.js';

/**
 * The payment methods the docs take these files for: UPI, Net Banking
 * (`ONLINEBANKING_NETBANKING`) and Indian cards (`CARD`: the sandbox's test
 * cards have no Indian one, so any card payment).
 */
export const INVOICE_PAYMENT_METHODS: ReadonlySet<string> = new Set(['UPI', 'ONLINEBANKING_NETBANKING', 'CARD']);

export type FileFormat = 'PDF' | 'DOC' | 'DOCX' | 'JPEG';

/** An upload decoded and checked: its bytes' size, digest and format. */
export interface DecodedUpload {
  base64: string;
  size: number;
  sha256: string;
  format: FileFormat;
}

/** An uploaded file as the dashboard shows it: never its content. */
export interface InvoiceFileRecord {
  fileId: string;
  paymentRequestId: string;
  fileType: string;
  fileName: string;
  format: string;
  sizeBytes: number;
  sha256: string;
  createdAt: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes `uploadFile`; PARAM_ILLEGAL naming it when it is not base64 of a PDF, DOC, DOCX or JPEG. */
export function decodeUpload(uploadFile: string): DecodedUpload {
  const base64 = uploadFile.replace(/\s+/g, '');
  if (!BASE64.test(base64) || base64.length % 4 !== 0) throw AmsError.paramIllegal('uploadFile', 'must be base64 (A-Z, a-z, 0-9, +, / and = padding)');
  const bytes = Buffer.from(base64, 'base64');
  const format = formatOf(bytes);
  if (format === undefined) throw AmsError.paramIllegal('uploadFile', 'must be a PDF, DOC, DOCX or JPEG file');
  return { base64, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), format };
}

/** The file's format from its signature bytes (DOCX is a ZIP package). */
function formatOf(bytes: Buffer): FileFormat | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'PDF'; // %PDF-
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'DOC'; // OLE compound file
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'DOCX'; // PK\3\4
  return undefined;
}

export class InvoiceFileService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async upload(context: KeyedHandlerContext, request: UploadInvoiceShippingFileRequest): Promise<AnswerBody<'payments/uploadInvoiceShippingFile'>> {
    const file = decodeUpload(request.uploadFile);
    const now = this.clock.now();
    await this.database.transaction(async (tx) => {
      const payment = await findPayment(tx, context.clientId, { paymentRequestId: request.paymentRequestId });
      // The docs list PROCESS_FAIL as this call's business failure; another client's payment is not found either.
      if (!payment) throw new AmsError('PROCESS_FAIL', `paymentRequestId: no payment ${request.paymentRequestId}`, { field: 'paymentRequestId' });
      if (!INVOICE_PAYMENT_METHODS.has(payment.paymentMethodType)) {
        throw new AmsError('PROCESS_FAIL', `Payment ${request.paymentRequestId} is by ${payment.paymentMethodType}: invoices and air waybills are taken for UPI, Net Banking and card payments only`);
      }
      const claim = await claimOrRecorded(tx, context.idempotencyKey, request.fileId, now, async () => true);
      if (!claim.claimed) return;
      await tx.insertInto('invoice_shipping_files').values({
        client_id: context.clientId,
        file_id: request.fileId,
        payment_id: payment.paymentId,
        payment_request_id: payment.paymentRequestId,
        file_type: request.fileType,
        file_name: request.fileName,
        file_format: file.format,
        content: file.base64,
        size_bytes: file.size,
        sha256: file.sha256,
        created_at: now,
      }).execute();
    });
    return { result: { ...SUCCESS_RESULT } };
  }
}

/** The files uploaded for a payment, oldest first, without their content (the payment timeline). */
export async function listInvoiceFiles(db: Db, paymentId: string): Promise<InvoiceFileRecord[]> {
  const rows = await db
    .selectFrom('invoice_shipping_files')
    .select(['file_id', 'payment_request_id', 'file_type', 'file_name', 'file_format', 'size_bytes', 'sha256', 'created_at'])
    .where('payment_id', '=', paymentId)
    .orderBy('created_at')
    .orderBy('file_id')
    .execute();
  return rows.map((row) => ({
    fileId: row.file_id,
    paymentRequestId: row.payment_request_id,
    fileType: row.file_type,
    fileName: row.file_name,
    format: row.file_format,
    sizeBytes: toNumber(row.size_bytes),
    sha256: row.sha256,
    createdAt: toNumber(row.created_at),
  }));
}
