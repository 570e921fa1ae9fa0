import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { SubMerchantService } from '../sub-merchant-service.js';

export function registerEndpoint(registrations: SubMerchantService): EndpointModule<'merchants/register'> {
  return keyedEndpointModule({
    path: 'merchants/register',
    idempotency: { scope: 'register', fingerprint: (request) => ({ 'merchantInfo.referenceMerchantId': request.merchantInfo.referenceMerchantId }) },
    handle: (context, request) => registrations.register(context, request),
  });
}
