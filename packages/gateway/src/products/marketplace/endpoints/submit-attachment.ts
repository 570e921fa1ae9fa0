import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { SubMerchantService } from '../sub-merchant-service.js';

export function submitAttachmentEndpoint(registrations: SubMerchantService): EndpointModule<'business/attachment/submitAttachment'> {
  return keyedEndpointModule({
    path: 'business/attachment/submitAttachment',
    idempotency: { scope: 'submitAttachment', fingerprint: (request) => ({ attachmentType: request.attachmentType, fileSha256: request.fileSha256.toLowerCase() }) },
    handle: (context, request) => registrations.submitAttachment(context, request),
  });
}
