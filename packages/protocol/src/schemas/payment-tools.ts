/**
 * Calls beside a payment: `payments/createDeviceCertificate` (a certificate
 * over an in-store device's public key), `payments/syncArrear` (an Auto
 * Debit payment the user could not pay, handed back for collection) and
 * `payments/uploadInvoiceShippingFile` (an invoice or air waybill of a
 * payment, as base64). The docs page of the last gives its lengths; the
 * other two have none, so their lengths are ours (said where set).
 */
import type Type from 'typebox';
import { Enum, NonEmpty, Obj, Optional, Refine, Text, oneOfRequired } from './builder.js';
import { responseBase } from './common.js';

// ---------------------------------------------------------------------------
// createDeviceCertificate

/** Lengths are amsgate's: the docs give none (a PEM 4096-bit RSA public key is about 800 characters). */
export const CreateDeviceCertificateRequestSchema = Obj({
  devicePublicKey: NonEmpty(4096, { description: 'The device\'s public key: base64 DER (SPKI, or PKCS#1 for RSA) or PEM; RSA of 2048 bits or more, or EC P-256 / P-384.' }),
  deviceRequestId: NonEmpty(64, { description: 'The merchant\'s id of this request; a repeat with the same key answers the same certificate.' }),
});
export type CreateDeviceCertificateRequest = Type.Static<typeof CreateDeviceCertificateRequestSchema>;

export const CreateDeviceCertificateResponseSchema = Obj({
  ...responseBase,
  deviceCertificate: Optional(Text(undefined, { description: 'Base64 of the X.509 certificate (DER) over the device key, signed with the key that signs this client\'s answers.' })),
});
export type CreateDeviceCertificateResponse = Type.Static<typeof CreateDeviceCertificateResponseSchema>;

// ---------------------------------------------------------------------------
// syncArrear

/** `paymentId` wins when both are given (a handler's rule, not the schema's). */
export const SyncArrearRequestSchema = Refine(
  Obj({
    paymentId: Optional(NonEmpty(64)),
    paymentRequestId: Optional(NonEmpty(64)),
  }),
  oneOfRequired(['paymentId', 'paymentRequestId']),
);
export type SyncArrearRequest = Type.Static<typeof SyncArrearRequestSchema>;

export const SyncArrearResponseSchema = Obj({ ...responseBase });
export type SyncArrearResponse = Type.Static<typeof SyncArrearResponseSchema>;

// ---------------------------------------------------------------------------
// uploadInvoiceShippingFile

/** The docs' limit on `uploadFile` (base64 characters): at most 750,000 bytes of file. */
export const MAX_UPLOAD_FILE_CHARS = 1_000_000;

export const InvoiceFileTypeSchema = Enum(['Invoice', 'AWB'], { caseInsensitive: true });
export type InvoiceFileType = Type.Static<typeof InvoiceFileTypeSchema>;

export const UploadInvoiceShippingFileRequestSchema = Obj({
  paymentRequestId: NonEmpty(64),
  fileId: NonEmpty(20, { description: 'The merchant\'s id of the file; a repeat with the same file answers the same.' }),
  uploadFile: NonEmpty(MAX_UPLOAD_FILE_CHARS, { description: 'The file as base64: PDF, DOC, DOCX or JPEG.' }),
  fileType: InvoiceFileTypeSchema,
  fileName: NonEmpty(64),
});
export type UploadInvoiceShippingFileRequest = Type.Static<typeof UploadInvoiceShippingFileRequestSchema>;

export const UploadInvoiceShippingFileResponseSchema = Obj({ ...responseBase });
export type UploadInvoiceShippingFileResponse = Type.Static<typeof UploadInvoiceShippingFileResponseSchema>;
