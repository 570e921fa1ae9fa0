import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { decodeUpload, type InvoiceFileService } from '../invoice-files.js';

/** Keyed by fileId per client: the same file (bytes, type, name, payment) again answers the same; anything else under it is REPEAT_REQ_INCONSISTENT. */
export function uploadInvoiceShippingFileEndpoint(files: InvoiceFileService): EndpointModule<'payments/uploadInvoiceShippingFile'> {
  return keyedEndpointModule({
    path: 'payments/uploadInvoiceShippingFile',
    idempotency: {
      scope: 'invoiceShippingFile',
      fingerprint: (request) => ({
        paymentRequestId: request.paymentRequestId,
        fileType: request.fileType,
        fileName: request.fileName,
        // The bytes, not their text: the same file with other line breaks in its base64 is the same file.
        uploadFile: decodeUpload(request.uploadFile).sha256,
      }),
    },
    handle: (context, request) => files.upload(context, request),
  });
}
